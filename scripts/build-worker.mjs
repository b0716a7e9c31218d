// The Cloudflare Workers bundle: worker/cloudflare.ts → dist/worker.js, what `wrangler deploy`
// uploads (worker/wrangler.jsonc). Platform-neutral ESM, minified: size is upload size and cold
// start at the edge. What only some requests need (the freemail list, the demo tenant) is
// loaded with import(), so it becomes a module of its own in dist/worker-chunks/, uploaded
// beside the entry and read only when asked for.
import { rm } from 'node:fs/promises'
import { build } from 'esbuild'

/**
 * Packages whose modules do nothing on load but which do not say so (no `sideEffects` in their
 * package.json), so esbuild keeps what nobody calls: papaparse, a CommonJS UMD factory (the
 * worker never reads an audit-log export file: 20 KB), and the Graph SDK, whose index
 * re-exports upload tasks, batching and page iterators core never uses (about 15 KB). Every
 * module of the package, and the package itself, is marked free of side effects.
 */
function sideEffectFree(...names) {
  const inside = names.map((name) => `/node_modules/${name}/`)
  return {
    name: 'side-effect-free',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === 'resolving') return undefined
        const bare = names.includes(args.path)
        if (!bare && !inside.some((dir) => args.importer.includes(dir))) return undefined
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        })
        // Externals (papaparse's never-called require('stream')) and other packages these
        // import (tslib) stay as esbuild resolved them.
        const own = inside.some((dir) => resolved.path.includes(dir))
        if (resolved.errors.length > 0 || resolved.external || !own) return resolved
        return { path: resolved.path, sideEffects: false }
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
    plugins: [sideEffectFree('papaparse', '@microsoft/microsoft-graph-client')],
    minify: true,
    sourcemap: 'linked',
    metafile: true,
    write,
    logLevel: 'warning',
  })
  return result
}
