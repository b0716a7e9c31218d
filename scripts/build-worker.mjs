// The Cloudflare Workers bundle: worker/cloudflare.ts → dist/worker.js, what `wrangler deploy`
// uploads (worker/wrangler.jsonc). Platform-neutral ESM, minified: size is upload size and cold
// start at the edge. What only some requests need (the freemail list, the demo tenant) is
// loaded with import(), so it becomes a module of its own in dist/worker-chunks/, uploaded
// beside the entry and read only when asked for.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

/**
 * A CommonJS package esbuild would keep whole although nothing calls it: papaparse is a UMD
 * factory with no effect on load, and the worker never reads an audit-log export file, so
 * saying so lets esbuild drop its 20 KB.
 */
function sideEffectFree(name) {
  const filter = new RegExp(`^${name}$`)
  return {
    name: `side-effect-free-${name}`,
    setup(build) {
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === 'resolving') return undefined
        const { path, errors } = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        })
        return errors.length > 0 ? { errors } : { path, sideEffects: false }
      })
    },
  }
}

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
    plugins: [sideEffectFree('papaparse')],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    write,
    logLevel: 'warning',
  })
  return result
}
