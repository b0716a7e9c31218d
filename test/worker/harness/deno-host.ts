/**
 * @module test/worker/harness/deno-host
 * Runs under real Deno (started by runtimes.ts): serves the worker app once per configuration
 * in FA_WORKER_CONFIGS ({ name: env }), each on its own port of one Deno process, with credits
 * in an in-memory Deno KV, then prints `{"ready":{name:port}}` on stdout. The app's log lines
 * follow on stdout, as Deno Deploy would collect them.
 */
import type { KvStore } from '../../../worker/credits/deno-kv.ts'
import { denoApp } from '../../../worker/deno-app.ts'

interface DenoRuntime {
  env: { get(name: string): string | undefined }
  openKv(path?: string): Promise<KvStore>
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>
  ): { addr: { port: number } }
}

const runtime = (globalThis as unknown as { Deno: DenoRuntime }).Deno
const configs = JSON.parse(runtime.env.get('FA_WORKER_CONFIGS') ?? '{}') as Record<
  string,
  Record<string, string>
>
const ports: Record<string, number> = {}
for (const [name, env] of Object.entries(configs)) {
  const app = await denoApp(env, { openKv: () => runtime.openKv(':memory:') })
  const server = runtime.serve({ port: 0, hostname: '127.0.0.1', onListen: () => {} }, (request) =>
    app.fetch(request)
  )
  ports[name] = server.addr.port
}
console.log(JSON.stringify({ ready: ports }))
