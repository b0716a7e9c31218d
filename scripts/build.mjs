// Bundles the CLI for Node (the `forwarding-audit` bin and `npm start`). esbuild is quick
// enough (well under a second) to run before every start and test run.
import { build } from 'esbuild'
import { buildWorker } from './build-worker.mjs'

const started = Date.now()
await build({
  entryPoints: {
    cli: 'cli/bin.ts',
    'write-schemas': 'scripts/write-schemas.ts',
    'bench-offline': 'test/bench/offline.ts',
    'bench-live': 'test/bench/live.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS dependencies still call require(); give ESM output one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
})
// The library itself, for the package's `exports` default: web-standard APIs only, so one
// neutral ESM build serves Node, Deno, Bun and the edge.
await build({
  entryPoints: { core: 'core/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'neutral',
  mainFields: ['module', 'main'],
  format: 'esm',
  // Dependencies stay imports: whoever installs the package resolves them.
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})
// The Cloudflare Workers bundle, dist/worker.js and its lazily loaded modules.
await buildWorker()
if (process.env.FA_BUILD_QUIET !== '1' && process.argv.includes('--verbose')) {
  console.error(`built dist/ in ${Date.now() - started} ms`)
}
