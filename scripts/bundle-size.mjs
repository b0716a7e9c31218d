// How big core is on the edge: bundles core/index.ts the way a Worker or Deno Deploy build
// would (platform-neutral ESM, minified, code splitting so lazy imports become their own
// chunks) and prints the raw, minified and gzipped sizes of the main chunk and of everything,
// plus what fills the main chunk, by package. `npm run bench` runs it first; `--json` prints
// the numbers as JSON instead.
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ENTRY = 'core/index.ts'

/** One esbuild pass over core; the main chunk is the entry point's output. */
async function bundle(minify) {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    minify,
    splitting: true,
    metafile: true,
    write: false,
    outdir: 'out',
    logLevel: 'warning',
  })
  const chunks = result.outputFiles
    .filter((file) => file.path.endsWith('.js'))
    .map((file) => {
      const name = `out/${file.path.split(/[\\/]out[\\/]/).pop()}`
      const meta = result.metafile.outputs[name]
      return { name, bytes: file.contents, main: meta?.entryPoint === ENTRY, meta }
    })
  return { chunks }
}

/** `node_modules/zod/v4/core/x.js` → `zod`; our own files → `core (ours)`. */
function owner(path) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  return match ? match[1] : 'core (ours)'
}

function contributors(chunk) {
  const sums = new Map()
  for (const [path, { bytesInOutput }] of Object.entries(chunk.meta.inputs)) {
    sums.set(owner(path), (sums.get(owner(path)) ?? 0) + bytesInOutput)
  }
  return [...sums].sort((a, b) => b[1] - a[1])
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length
const sum = (list) => list.reduce((a, b) => a + b, 0)

export async function measureCore() {
  const raw = await bundle(false)
  const min = await bundle(true)
  const measure = (chunks) => ({
    raw: 0,
    minified: sum(chunks.map((c) => c.bytes.length)),
    gzipped: sum(chunks.map((c) => gzip(c.bytes))),
  })
  const main = measure(min.chunks.filter((c) => c.main))
  main.raw = sum(raw.chunks.filter((c) => c.main).map((c) => c.bytes.length))
  const total = measure(min.chunks)
  total.raw = sum(raw.chunks.map((c) => c.bytes.length))
  const mainChunk = min.chunks.find((c) => c.main)
  const lazy = min.chunks
    .filter((c) => !c.main)
    .map((c) => ({
      chunk: c.name,
      minified: c.bytes.length,
      gzipped: gzip(c.bytes),
      holds: contributors(c).map(([name]) => name),
    }))
  const inputs = Object.keys(mainChunk.meta.inputs)
  return {
    main,
    total,
    lazy,
    contributors: contributors(mainChunk),
    zodBuilds: [...new Set(inputs.map(zodPart).filter(Boolean))].sort(),
  }
}

/** Which part of zod an input is (`v4/mini`, `v4/classic`, `v4/locales` ...). */
function zodPart(path) {
  const match = /node_modules\/zod\/(v4\/[^/]+|[^/]+)/.exec(path)
  return match?.[1]
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`

export function describe(m) {
  const row = (label, s) =>
    `  ${label.padEnd(28)}${kb(s.raw).padStart(9)} raw ${kb(s.minified).padStart(9)} minified ${kb(s.gzipped).padStart(9)} gzipped`
  const lines = [
    'core bundle (esbuild: core/index.ts, platform neutral, ESM, minified, code splitting)',
    row('main chunk', m.main),
    row('total with lazy chunks', m.total),
    ...m.lazy.map(
      (c) =>
        `    lazy ${c.chunk.replace(/^out\//, '')}: ${kb(c.minified)} minified, ${kb(c.gzipped)} gzipped (${c.holds.join(', ')})`
    ),
    `  main chunk by package (minified bytes): ${m.contributors.map(([name, bytes]) => `${name} ${kb(bytes)}`).join(', ')}`,
    `  zod parts in main chunk: ${m.zodBuilds.join(', ') || 'none'}`,
  ]
  return lines.join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = await measureCore()
  console.log(process.argv.includes('--json') ? JSON.stringify(m, null, 2) : describe(m))
}
