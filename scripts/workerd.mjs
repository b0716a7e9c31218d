// Runs dist/worker.js in real workerd through Miniflare (from npm), configured from
// worker/wrangler.jsonc: the compatibility date, the CREDITS Durable Object, the vars. One
// workerd process can serve several configurations of the worker side by side, each on its
// own port (the test suite's settings), or one on PORT (`npm run serve:workerd`).
//
// Private CAs: workerd has its own trust store. Miniflare reads NODE_EXTRA_CA_CERTS when it is
// imported and hands those certificates to workerd as trustedCertificates, so set it before
// this module is loaded (the serve script and the tests do).
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')
const DIST = join(ROOT, 'dist')

/** worker/wrangler.jsonc without its comments. */
export function wranglerConfig() {
  const text = readFileSync(join(ROOT, 'worker', 'wrangler.jsonc'), 'utf8')
  // Drop // comments outside strings, then trailing commas.
  const json = text
    .replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (_match, string) => string ?? '')
    .replace(/,(\s*[}\]])/g, '$1')
  return JSON.parse(json)
}

/** The bundle's modules: the entry first, then the chunks it imports lazily. */
function bundleModules() {
  const chunks = readdirSync(join(DIST, 'worker-chunks'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(DIST, 'worker-chunks', name))
  return [join(DIST, 'worker.js'), ...chunks].map((path) => ({ type: 'ESModule', path }))
}

/**
 * Start workerd with one worker per entry of `workers` ({ name, bindings }). With `port`, the
 * first worker answers there; without, each gets its own ephemeral port. Resolves to
 * { urls: { name: URL }, close() }. Lines the worker logs go to `onLine(line, stream)`.
 */
export async function startWorkerd({ workers, port, host = '127.0.0.1', onLine = () => {} }) {
  const { Miniflare } = await import('miniflare')
  const wrangler = wranglerConfig()
  const modules = bundleModules()
  const durableObjects = Object.fromEntries(
    (wrangler.durable_objects?.bindings ?? []).map((b) => [b.name, b.class_name])
  )
  const vars = Object.fromEntries(
    Object.entries(wrangler.vars ?? {}).map(([key, value]) => [key, String(value)])
  )
  const direct = port === undefined
  const { Log, LogLevel } = await import('miniflare')
  const mf = new Miniflare({
    // FA_MF_DEBUG=1: Miniflare's own log, for debugging a launcher or the suite.
    ...(process.env.FA_MF_DEBUG ? { log: new Log(LogLevel.DEBUG) } : {}),
    host,
    ...(direct ? {} : { port }),
    workers: workers.map((worker) => ({
      name: worker.name,
      modules,
      modulesRoot: DIST,
      compatibilityDate: wrangler.compatibility_date,
      compatibilityFlags: wrangler.compatibility_flags ?? [],
      bindings: { ...vars, ...worker.bindings },
      durableObjects,
      ...(direct ? { unsafeDirectSockets: [{ host, port: 0 }] } : {}),
    })),
    handleRuntimeStdio(stdout, stderr) {
      for (const [stream, name] of [
        [stdout, 'stdout'],
        [stderr, 'stderr'],
      ]) {
        createInterface({ input: stream }).on('line', (line) => onLine(line, name))
      }
    },
  })
  const entry = await mf.ready
  const urls = {}
  for (const worker of workers) {
    urls[worker.name] = direct ? await mf.unsafeGetDirectURL(worker.name) : entry
  }
  return { urls, close: () => mf.dispose() }
}
