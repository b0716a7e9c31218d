/**
 * @module test/worker/harness/runtimes
 * Starts each runtime once for the whole suite: one Deno process (the `deno` npm package)
 * serving the worker's TypeScript source, and one workerd process (Miniflare from npm)
 * serving the Cloudflare bundle dist/worker.js, each hosting every test configuration on a
 * port of its own. Both trust the throwaway test CA (DENO_CERT; NODE_EXTRA_CA_CERTS, which
 * Miniflare hands to workerd), so they reach the simulator and the JWKS over real HTTPS.
 * Every line either runtime writes is kept, for the tests that read the logs.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

export type RuntimeName = 'deno' | 'workerd'

export interface Runtime {
  name: RuntimeName
  /** Base URL per configuration name, without a trailing slash. */
  urls: Record<string, string>
  /** Every line the runtime wrote so far (stdout and stderr). */
  lines: string[]
  close(): Promise<void>
}

const ROOT = process.cwd()
const DENO = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.cmd' : 'deno')

/** The worker's TypeScript under real Deno, one port per configuration. */
export async function startDeno(configs: Record<string, Record<string, string>>): Promise<Runtime> {
  const lines: string[] = []
  const child = spawn(
    DENO,
    [
      'run',
      '--config',
      join(ROOT, 'deno.json'),
      '--allow-net',
      '--allow-env',
      `--allow-read=${ROOT}`,
      '--unstable-kv',
      '--unstable-no-legacy-abort',
      '--no-prompt',
      join(ROOT, 'test/worker/harness/deno-host.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DENO_DIR: join(ROOT, 'node_modules', '.cache', 'deno'),
        DENO_CERT: process.env.FA_TEST_CA_CERT,
        NO_COLOR: '1',
        FA_WORKER_CONFIGS: JSON.stringify(configs),
      },
    }
  )
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    collect(child, lines, (line) => {
      const ready = line.startsWith('{"ready"') ? JSON.parse(line).ready : undefined
      if (ready) resolve(ready)
    })
    child.once('exit', (code) =>
      reject(new Error(`deno exited with ${code} before it was ready:\n${lines.join('\n')}`))
    )
  })
  const urls = Object.fromEntries(
    Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`])
  )
  return { name: 'deno', urls, lines, close: () => stop(child) }
}

/** dist/worker.js under real workerd, one worker (and port) per configuration. */
export async function startWorkerd(
  configs: Record<string, Record<string, string>>
): Promise<Runtime> {
  const lines: string[] = []
  // @ts-expect-error: a plain ESM script without types (scripts/workerd.mjs)
  const { startWorkerd: start } = await import('../../../scripts/workerd.mjs')
  const { urls, close } = (await start({
    workers: Object.entries(configs).map(([name, bindings]) => ({ name, bindings })),
    onLine: (line: string) => keep(lines, 'workerd', line),
  })) as { urls: Record<string, URL>; close(): Promise<void> }
  return {
    name: 'workerd',
    urls: Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [name, url.href.replace(/\/$/, '')])
    ),
    lines,
    close,
  }
}

function collect(child: ChildProcess, lines: string[], onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) {
      createInterface({ input: stream }).on('line', (line) => {
        keep(lines, 'deno', line)
        onLine(line)
      })
    }
  }
}

/** Keep a runtime's line; FA_WORKER_LOG=1 also shows it, for debugging the suite. */
function keep(lines: string[], runtime: RuntimeName, line: string): void {
  lines.push(line)
  if (process.env.FA_WORKER_LOG === '1') process.stderr.write(`[${runtime}] ${line}\n`)
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
