// How big core is on the edge: bundles core/index.ts the way a Worker or Deno Deploy build
// would (platform-neutral ESM, minified, code splitting so lazy imports become their own
// chunks) and prints the raw, minified and gzipped sizes of what loads at start (the main
// chunk and the chunks it imports) and of everything, plus what fills the main chunk, by
// package. `npm run bench` runs it first; `--json` prints the numbers as JSON instead.
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const ENTRY = 'core/index.ts'

/** One esbuild pass over core: its chunks, each marked eager (loaded at start) or lazy. */
async function bundle(minify) {
  const { outputFiles, metafile } = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    // papaparse requires Node's stream only for Node streams, which no edge build passes it.
    external: ['stream'],
    minify,
    splitting: true,
    metafile: true,
    write: false,
    outdir: 'out',
    logLevel: 'warning',
  })
  const outputs = Object.entries(metafile.outputs).filter(([name]) => name.endsWith('.js'))
  const main = outputs.find(([, meta]) => meta.entryPoint === ENTRY)[0]
  // What the main chunk imports statically loads with it; dynamic imports are lazy.
  const eager = new Set([main])
  for (const name of eager) {
    for (const { path, kind } of metafile.outputs[name].imports) {
      if (kind === 'import-statement') eager.add(path)
    }
  }
  return outputs.map(([name, meta]) => ({
    name,
    meta,
    main: name === main,
    eager: eager.has(name),
    bytes: outputFiles.find((file) => file.path.endsWith(name.slice('out'.length))).contents,
  }))
}

/** `node_modules/zod/v4/core/x.js` → `zod`; our own files → `core (ours)`. */
function owner(path) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  return match ? match[1] : 'core (ours)'
}

/** Minified bytes per package in one chunk, largest first. */
function contributors(chunk) {
  const sums = new Map()
  for (const [path, { bytesInOutput }] of Object.entries(chunk.meta.inputs)) {
    if (bytesInOutput > 0) sums.set(owner(path), (sums.get(owner(path)) ?? 0) + bytesInOutput)
  }
  return [...sums].sort((a, b) => b[1] - a[1])
}

/** Which part of zod an input is (`v4/mini`, `v4/classic`, `v4/locales/en.js` ...). */
function zodPart(path) {
  const match = /node_modules\/zod\/(v4\/locales\/[^/]+|v4\/[^/]+|[^/]+)/.exec(path)
  return match?.[1]
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length
const sum = (list) => list.reduce((a, b) => a + b, 0)

/** Sizes of core's bundle in bytes, and what fills it. */
export async function measureCore() {
  const raw = await bundle(false)
  const min = await bundle(true)
  const size = (pick) => ({
    raw: sum(raw.filter(pick).map((c) => c.bytes.length)),
    minified: sum(min.filter(pick).map((c) => c.bytes.length)),
    gzipped: sum(min.filter(pick).map((c) => gzip(c.bytes))),
  })
  const main = min.find((c) => c.main)
  return {
    eager: size((c) => c.eager),
    total: size(() => true),
    chunks: min.map((c) => ({
      chunk: c.name.replace(/^out\//, ''),
      loads: c.main ? 'main' : c.eager ? 'with main' : 'lazy',
      minified: c.bytes.length,
      gzipped: gzip(c.bytes),
      holds: contributors(c).map(([name]) => name),
    })),
    mainByPackage: Object.fromEntries(contributors(main)),
    zodInMain: [
      ...new Set(
        Object.entries(main.meta.inputs)
          .filter(([, input]) => input.bytesInOutput > 0)
          .map(([path]) => zodPart(path))
          .filter(Boolean)
      ),
    ].sort(),
  }
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`

/** The measurement as the lines the bench prints. */
export function describeCore(m) {
  const row = (label, s) =>
    `  ${label.padEnd(24)}${kB(s.raw).padStart(9)} raw ${kB(s.minified).padStart(9)} minified ${kB(s.gzipped).padStart(9)} gzipped`
  return [
    'core bundle (esbuild: core/index.ts, platform neutral, ESM, minified, code splitting)',
    row('main chunk, at start', m.eager),
    row('total with lazy chunks', m.total),
    ...m.chunks.map(
      (c) =>
        `    ${c.loads.padEnd(10)} ${c.chunk}: ${kB(c.minified)} minified, ${kB(c.gzipped)} gzipped (${c.holds.join(', ') || 'esbuild runtime'})`
    ),
    `  main chunk by package, minified: ${Object.entries(m.mainByPackage)
      .map(([name, bytes]) => `${name} ${kB(bytes)}`)
      .join(', ')}`,
    `  zod in main chunk: ${m.zodInMain.join(', ') || 'none'}`,
  ].join('\n')
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const m = await measureCore()
  console.log(process.argv.includes('--json') ? JSON.stringify(m, null, 2) : describeCore(m))
}
