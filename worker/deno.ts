/**
 * @module worker/deno
 * The Deno entry point (Deno Deploy, `deno serve`): reads the settings from Deno's environment
 * once, at start, and exits naming every missing or bad setting rather than serving errors.
 *
 *   deno serve --allow-net --allow-env --allow-read --unstable-kv worker/deno.ts
 *
 * `npm run serve` runs it with the flags and a local development key (scripts/serve-deno.mjs).
 */
import { WorkerSettingsError } from './config.ts'
import type { KvStore } from './credits/deno-kv.ts'
import { denoApp } from './deno-app.ts'
import { jsonLogger } from './http/log.ts'

/** The parts of the `Deno` global used here, so tsc checks this file without Deno's types. */
interface DenoRuntime {
  env: { toObject(): Record<string, string> }
  openKv(path?: string): Promise<KvStore>
  exit(code: number): never
}

const runtime = (globalThis as unknown as { Deno: DenoRuntime }).Deno
const logger = jsonLogger()

async function start() {
  try {
    return await denoApp(runtime.env.toObject(), {
      openKv: (path) => runtime.openKv(path),
      logger,
    })
  } catch (error) {
    if (!(error instanceof WorkerSettingsError)) throw error
    for (const problem of error.problems) logger.log('error', problem, { code: error.code })
    return runtime.exit(2)
  }
}

const app = await start()

export default { fetch: (request: Request) => app.fetch(request) }
