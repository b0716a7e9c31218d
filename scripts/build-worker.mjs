// The Cloudflare Workers bundle: worker/cloudflare.ts → dist/worker.js, what `wrangler deploy`
// uploads (worker/wrangler.jsonc). Platform-neutral ESM, minified: size is upload size and cold
// start at the edge. What only some requests need (the freemail list, the demo tenant) is
// loaded with import(), so it becomes a module of its own in dist/worker-chunks/, uploaded
// beside the entry and read only when asked for.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

/** Build the bundle; resolves to esbuild's metafile (what each output holds). */
export async function buildWorker({ write = true } = {}) {
  if (write) await rm('dist/worker-chunks', { recursive: true, force: true })
  const result = await build({
    entryPoints: { worker: 'worker/cloudflare.ts' },
    outdir: 'dist',
    chunkNames: 'worker-chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'neutral',
    // The Graph SDK has no `exports` map: its ES build is under `module` (stack notes 0.3).
    mainFields: ['module', 'main'],
    target: 'es2022',
    // papaparse (core's audit-log CSV reader) requires Node's stream only to parse a Node
    // stream, which the worker never passes it: left as a require that is never called.
    external: ['stream'],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    write,
    logLevel: 'warning',
  })
  return result
}
