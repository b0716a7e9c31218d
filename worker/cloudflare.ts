/**
 * @module worker/cloudflare
 * The Cloudflare Workers entry point (wrangler.jsonc beside it; `npm run build` bundles it to
 * dist/worker.js). Workers hand the settings to each request, not to the module, so the app
 * is built from the first request's env and kept for the isolate's life (the JWKS cache and
 * the rate limiter live in it). Bad settings answer every request with a 500 that says the
 * log names them, and the log does, one line per setting.
 */
import type { Hono } from 'hono'
import { type AppEnv, createApp } from './app.ts'
import { tokenVerifier } from './auth/verifier.ts'
import { type WorkerEnv, WorkerSettingsError, workerConfig } from './config.ts'
import { type DurableObjectNamespaceLike, durableObjectLedger } from './credits/durable-object.ts'
import { memoryLedger } from './credits/ledger.ts'
import { loadDemoTenant } from './demo.ts'
import { jsonLogger } from './http/log.ts'
import { tenantSources } from './tenant-source.ts'

export { CreditBalance } from './credits/durable-object.ts'

/**
 * The worker's own subrequests in one request: a JWKS refresh, the ledger's charge and its
 * refund. They come off SUBREQUEST_BUDGET before Microsoft 365 gets the rest.
 */
const RESERVED_SUBREQUESTS = 3

const logger = jsonLogger()
let built: Hono<AppEnv> | WorkerSettingsError | undefined

function appFor(env: WorkerEnv): Hono<AppEnv> | WorkerSettingsError {
  try {
    const config = workerConfig(env, 'cloudflare')
    const { start, store } = config.credits
    if (store === 'durable-object' && !env.CREDITS) {
      throw new WorkerSettingsError([
        'the CREDITS binding is missing: bind the CreditBalance Durable Object as CREDITS (worker/wrangler.jsonc), or set CREDITS_STORE=memory for local development',
      ])
    }
    const memory = store === 'memory' ? memoryLedger(start) : undefined
    return createApp({
      config,
      sources: tenantSources(config.live, loadDemoTenant),
      ledgerFor: (requestEnv) =>
        memory ??
        durableObjectLedger((requestEnv as { CREDITS: DurableObjectNamespaceLike }).CREDITS, start),
      verifier: tokenVerifier(config.auth),
      logger,
      reservedSubrequests: RESERVED_SUBREQUESTS,
    })
  } catch (error) {
    if (!(error instanceof WorkerSettingsError)) throw error
    for (const problem of error.problems) logger.log('error', problem, { code: error.code })
    return error
  }
}

export default {
  fetch(request: Request, env: WorkerEnv, context: unknown): Response | Promise<Response> {
    built ??= appFor(env)
    if (built instanceof WorkerSettingsError) {
      // The operator's mistake, not the caller's: a 500, and the log names each setting.
      return Response.json(
        {
          error: {
            code: built.code,
            message: 'the service is not configured: its log names each missing or bad setting',
          },
        },
        { status: 500, headers: { 'Cache-Control': 'no-store' } }
      )
    }
    return built.fetch(request, env, context as never)
  },
}
