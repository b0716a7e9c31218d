/**
 * @module worker/deno-app
 * The app as Deno runs it: settings from an environment map, credits in Deno KV (or memory),
 * logs as JSON lines on stdout. worker/deno.ts hands it `Deno.env`; the test harness hands it
 * several environments to serve side by side in one Deno process.
 */
import type { Hono } from 'hono'
import { type AppEnv, createApp } from './app.ts'
import { tokenVerifier } from './auth/verifier.ts'
import { type WorkerEnv, workerConfig } from './config.ts'
import { denoKvLedger, type KvStore } from './credits/deno-kv.ts'
import { memoryLedger } from './credits/ledger.ts'
import { loadDemoTenant } from './demo.ts'
import { jsonLogger, type Logger } from './http/log.ts'
import { tenantSources } from './tenant-source.ts'

export interface DenoAppOptions {
  /** `Deno.openKv`, passed in so this module needs no Deno types. */
  openKv: (path?: string) => Promise<KvStore>
  logger?: Logger
}

/**
 * Build the app from `env`; throws WorkerSettingsError naming every bad setting.
 * @example
 * const app = await denoApp(Deno.env.toObject(), { openKv: (path) => Deno.openKv(path) })
 * Deno.serve((request) => app.fetch(request))
 */
export async function denoApp(env: WorkerEnv, options: DenoAppOptions): Promise<Hono<AppEnv>> {
  const config = workerConfig(env, 'deno')
  const { start, store, kvPath } = config.credits
  const ledger =
    store === 'kv' ? denoKvLedger(await options.openKv(kvPath), start) : memoryLedger(start)
  return createApp({
    config,
    sources: tenantSources(config.live, loadDemoTenant),
    ledgerFor: () => ledger,
    verifier: tokenVerifier(config.auth),
    logger: options.logger ?? jsonLogger(),
    // Deno counts no subrequests; a budget set on Deno is for Microsoft 365 alone.
    reservedSubrequests: 0,
  })
}
