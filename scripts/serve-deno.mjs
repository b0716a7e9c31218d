// `npm run serve`: the worker on real Deno (the `deno` npm package) at PORT (default 8787),
// with `deno serve` on worker/deno.ts, the way Deno Deploy runs it. It passes on only the
// settings the worker reads (scripts/worker-settings.mjs). Without JWT_* settings it trusts
// the local development key (npm run dev-token); without AZURE_* it serves the demo tenant.
// Credits are in Deno KV in memory unless DENO_KV_PATH names a file. A private CA: Deno reads
// DENO_CERT; when only NODE_EXTRA_CA_CERTS is set, it is passed on as DENO_CERT.
import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launcherSettings } from './worker-settings.mjs'

const ROOT = resolve(fileURLToPath(import.meta.url), '../..')

/** The deno binary from node_modules, and the arguments that serve the worker. */
export function denoServeCommand({ port, host, entry = 'worker/deno.ts' }) {
  const deno = join(
    ROOT,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'deno.cmd' : 'deno'
  )
  return [
    deno,
    [
      'serve',
      '--config',
      join(ROOT, 'deno.json'),
      '--port',
      String(port),
      '--host',
      host,
      // The network (serve, Microsoft 365, the JWKS), its settings, its own files; nothing else.
      '--allow-net',
      '--allow-env',
      `--allow-read=${ROOT}`,
      '--unstable-kv',
      // request.signal aborts only when the client goes away (Deno warns about the old way).
      '--unstable-no-legacy-abort',
      '--no-prompt',
      join(ROOT, entry),
    ],
  ]
}

/** The environment Deno gets: the worker's settings, Deno's own variables, a CA to trust. */
export function denoEnv(settings) {
  const env = { DENO_DIR: join(ROOT, 'node_modules', '.cache', 'deno'), NO_COLOR: '1' }
  for (const name of ['PATH', 'HOME', 'DENO_CERT', 'HTTPS_PROXY', 'NO_PROXY']) {
    if (process.env[name] !== undefined) env[name] = process.env[name]
  }
  if (env.DENO_CERT === undefined && process.env.NODE_EXTRA_CA_CERTS) {
    env.DENO_CERT = process.env.NODE_EXTRA_CA_CERTS
  }
  return { ...env, DENO_KV_PATH: ':memory:', ...settings }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8787)
  const host = process.env.HOST ?? '127.0.0.1'
  const { settings, dev } = await launcherSettings(process.env)
  const [command, args] = denoServeCommand({ port, host })
  console.error(
    `forwarding-audit on Deno at http://${host}:${port}/` +
      (dev ? ' (tokens: npm run dev-token)' : '') +
      (process.env.AZURE_CLIENT_ID ? '' : ', serving the demo tenant')
  )
  const child = spawn(command, args, { cwd: ROOT, env: denoEnv(settings), stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}
