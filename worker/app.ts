/**
 * @module worker/app
 * The HTTP API as one Hono app, built from injected dependencies (settings, tenant sources,
 * credit ledger, token verifier, logger), so Deno, Cloudflare Workers and the tests run the
 * same app. It translates HTTP into one core call and back and holds no audit logic:
 *
 * - `POST /api/v1/bec/forwarding-audit`: the seed's request → runAudit → the seed's envelope
 * - `GET /api/v1/bec/status`: core's connection check (what to grant), no credits
 * - `GET /api/v1/openapi.json`, `GET /healthz`: no auth, no Microsoft call
 *
 * Auth sits on each protected route, never on a prefix or behind app.mount.
 */
import type { Context } from 'hono'
import { cors } from 'hono/cors'
import { createMiddleware } from 'hono/factory'
import { type RequestIdVariables, requestId } from 'hono/request-id'
import { secureHeaders } from 'hono/secure-headers'
// The tiny preset: one small router for a handful of fixed routes, less to start at the edge
// than the default's two (its routes also match with a trailing slash: see strictPaths below).
import { Hono } from 'hono/tiny'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AuthVariables } from './auth/bearer.ts'
import { bearerAuth } from './auth/bearer.ts'
import type { TokenVerifier } from './auth/verifier.ts'
import type { WorkerConfig } from './config.ts'
import type { CreditLedger } from './credits/ledger.ts'
import { type BodyVariables, jsonBody } from './http/body.ts'
import { ApiError, errorResponseParts } from './http/errors.ts'
import type { Logger } from './http/log.ts'
import { rateLimiter } from './limits/rate-limit.ts'
import { auditHandler } from './routes/audit.ts'
import { statusHandler } from './routes/status.ts'
import type { TenantSources } from './tenant-source.ts'

export interface AppDependencies {
  config: WorkerConfig
  sources: TenantSources
  /**
   * The credit ledger for one request. Cloudflare's Durable Object binding arrives with each
   * request's env (`c.env`), so the ledger is looked up per request rather than kept.
   */
  ledgerFor: (env: unknown) => CreditLedger
  verifier: TokenVerifier
  logger: Logger
  /**
   * Outgoing requests the worker makes for itself in one request, besides Microsoft 365: a
   * JWKS refresh and the ledger's charge and refund. Kept out of the Microsoft 365 budget.
   */
  reservedSubrequests: number
  /** Epoch ms; tests freeze it. */
  now?: () => number
}

export type AppEnv = {
  Variables: AuthVariables & BodyVariables & RequestIdVariables & { errorCode?: string }
}

export const AUDIT_PATH = '/api/v1/bec/forwarding-audit'
export const STATUS_PATH = '/api/v1/bec/status'
export const OPENAPI_PATH = '/api/v1/openapi.json'

/**
 * The app. Build it once per isolate: the verifier's key cache and the rate limiter live in it.
 * @example
 * const ledger = memoryLedger(config.credits.start)
 * const app = createApp({ config, sources, ledgerFor: () => ledger, verifier, logger, reservedSubrequests: 0 })
 * Deno.serve((request) => app.fetch(request))
 */
export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const { config, logger } = deps
  const now = deps.now ?? Date.now
  const app = new Hono<AppEnv>()
  const limiter = rateLimiter(config.rateLimitPerMinute, now)
  const auth = bearerAuth(deps.verifier, config.auth.scope)
  const budget =
    config.subrequestBudget === undefined
      ? undefined
      : Math.max(1, config.subrequestBudget - deps.reservedSubrequests)

  app.use(requestId())
  app.use(async function accessLog(c, next) {
    const started = now()
    await next()
    const principal = c.get('principal')
    logger.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      // The path only: a query string could carry anything.
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: now() - started,
      ...(principal ? { caller: principal.caller } : {}),
      ...(c.get('errorCode') ? { code: c.get('errorCode') } : {}),
    })
  })
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      xFrameOptions: 'DENY',
    })
  )
  app.use(async function noStore(c, next) {
    await next()
    c.header('Cache-Control', 'no-store')
  })
  if (config.corsOrigins.length > 0) {
    // Only listed origins are answered; an unknown Origin gets no CORS header, never its echo.
    const allowed = new Set(config.corsOrigins)
    app.use(
      cors({
        origin: (origin) => (allowed.has(origin) ? origin : null),
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposeHeaders: ['X-Request-Id', 'Retry-After'],
        maxAge: 600,
      })
    )
  }

  // One spelling per endpoint: `/healthz/` is not `/healthz` (the tiny router would match it).
  app.use(async function strictPaths(c, next) {
    const path = c.req.path
    if (path.length > 1 && path.endsWith('/')) return c.notFound()
    await next()
  })
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  // Loaded on the first request for it: the document is not part of the entry's cold start.
  app.get(OPENAPI_PATH, async (c) => c.json(await openapiDocument()))
  const rateLimit = createMiddleware<AppEnv>(async function rateLimit(c, next) {
    limiter.take(c.get('principal').caller)
    await next()
  })
  app.post(AUDIT_PATH, auth, rateLimit, jsonBody(), auditHandler({ ...deps, budget }))
  app.get(STATUS_PATH, auth, rateLimit, statusHandler({ ...deps, budget }))

  const fail = (thrown: unknown, c: Context<AppEnv>) => {
    const requestId = c.get('requestId') ?? 'unknown'
    const { status, body, headers, error } = errorResponseParts(thrown, requestId)
    c.set('errorCode', error.code)
    const reason = error instanceof ApiError ? error.extra.reason : undefined
    if (status >= 500) {
      // A bug gets its stack in the log (never in the answer); anything else, its cause's name.
      const internal = error.code === 'INTERNAL'
      const cause = internal ? (error.cause ?? thrown) : error.cause
      logger.log('error', error.message, {
        request_id: requestId,
        code: error.code,
        ...(cause instanceof Error ? { cause: `${cause.name}: ${cause.message}` } : {}),
        ...(internal && cause instanceof Error ? { stack: cause.stack } : {}),
      })
    } else if (reason) {
      logger.log('info', error.message, { request_id: requestId, code: error.code, reason })
    }
    return c.json(body, status as ContentfulStatusCode, headers)
  }
  app.notFound((c) =>
    fail(new ApiError('NOT_FOUND', 'no such endpoint: see /api/v1/openapi.json'), c)
  )
  app.onError(fail)
  return app
}

let openapi: Promise<unknown> | undefined
function openapiDocument(): Promise<unknown> {
  openapi ??= import('../docs/openapi.json', { with: { type: 'json' } }).then((m) => m.default)
  return openapi
}
