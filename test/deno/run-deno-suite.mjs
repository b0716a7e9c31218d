/**
 * @module test/deno/run-deno-suite
 * `npm run test:deno`: proves core is runtime-neutral by running its tests under real Deno.
 *
 * 1. `deno check core/` and the worker's entry points with the root deno.json: they type-check
 *    against Deno's own libraries through the import map that deployments use.
 * 2. `deno test` on every test/**\/*.test.ts except those in EXCLUDED, with the vitest shim
 *    (test/deno/deno.json). A new test file runs under Deno unless it is listed here with a
 *    reason, so nothing drops out silently.
 *
 * Deno gets read access to the project and env access (Jest's expect reads CI variables) and
 * nothing else: no network, no writes, no subprocesses. Its cache (DENO_DIR) lives in
 * node_modules/.cache/deno, so a run writes nothing outside the project's ignored files.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Test files or folders (ending in /) that do not run under Deno, each with its reason. */
const EXCLUDED = {
  'test/cli/': 'end-to-end: spawns the built CLI (dist/cli.mjs) as a Node child process',
  'test/action/':
    'end-to-end: runs the committed action bundle (action/dist/index.js) as a Node child process',
  'test/simulator/': 'tests the Node HTTPS Microsoft 365 simulator itself (node:https servers)',
  'test/live/exchange-admin.test.ts': 'runs against the HTTPS simulator (needs a server + its CA)',
  'test/live/forwarding-paths.test.ts':
    'runs against the HTTPS simulator (needs a server + its CA)',
  'test/live/mail-folders.test.ts': 'runs against the HTTPS simulator (needs a server + its CA)',
  'test/live/requests.test.ts': 'counts requests the HTTPS simulator receives (needs a server)',
  'test/live/graph.test.ts': 'runs against the HTTPS simulator and uses vi.stubGlobal',
  'test/live/group-membership.test.ts':
    'runs against the HTTPS simulator (needs a server + its CA)',
  'test/live/retry.test.ts': 'its "against the simulator" suite starts the HTTPS simulator',
  'test/live/tokens.test.ts': 'runs against the HTTPS simulator (needs a server + its CA)',
  'test/live/provenance.test.ts':
    'live audits against the HTTPS simulator (needs a server + its CA)',
  'test/docs.test.ts': 'checks docs against cli/ and scripts/, Node-only code, not core',
  'test/live/plan.test.ts': 'counts requests against the HTTPS simulator (needs a server + its CA)',
  'test/worker/http.test.ts':
    'starts Deno and workerd as child processes; the worker already runs under real Deno there',
  'test/worker/readme.test.ts': 'runs the npm run serve launchers and curl as child processes',
}

const ROOT = resolve(import.meta.dirname, '../..')
const DENO = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.cmd' : 'deno')
const DENO_DIR = join(ROOT, 'node_modules', '.cache', 'deno')
const JUNIT = join(ROOT, 'node_modules', '.cache', 'deno-junit.xml')

function testFiles(dir) {
  return readdirSync(join(ROOT, dir))
    .sort()
    .flatMap((name) => {
      const path = `${dir}/${name}`
      if (statSync(join(ROOT, path)).isDirectory()) return testFiles(path)
      return path.endsWith('.test.ts') ? [path] : []
    })
}

function deno(args) {
  const env = { ...process.env, DENO_DIR }
  // UPDATE_GOLDEN, UPDATE_DENO_JSON: files are regenerated under vitest; Deno may not write.
  for (const name of Object.keys(env)) if (name.startsWith('UPDATE_')) delete env[name]
  if (!process.stdout.isTTY) env.NO_COLOR = '1'
  // A failing test is not a Deno crash; its Rust backtrace would only bury the test's own error.
  env.RUST_BACKTRACE = '0'
  const started = performance.now()
  const result = spawnSync(DENO, args, {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    shell: process.platform === 'win32',
  })
  if (result.error) throw result.error
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  return { status: result.status, output: `${result.stdout}${result.stderr}`, seconds }
}

function fail(message, output = '') {
  // The dot reporter prints a line per test (. passed, , skipped, ! failed), then each failure.
  process.stdout.write(output.replace(/^[.,!]+\n/gm, ''))
  console.error(`\ndeno: ${message}`)
  process.exit(1)
}

const stale = Object.keys(EXCLUDED).filter((entry) => !existsSync(join(ROOT, entry)))
if (stale.length > 0) {
  fail(`EXCLUDED in test/deno/run-deno-suite.mjs names paths that do not exist: ${stale}`)
}
const covers = (entry, file) => (entry.endsWith('/') ? file.startsWith(entry) : file === entry)
const all = testFiles('test')
const included = all.filter((file) => !Object.keys(EXCLUDED).some((entry) => covers(entry, file)))

const version = deno(['--version']).output.split(' ').slice(0, 2).join(' ')
// The worker's entry points too: Deno Deploy type-checks worker/deno.ts with Deno's own types.
const CHECKED = ['core/', 'worker/deno.ts', 'worker/cloudflare.ts']
const check = deno(['check', '--config', 'deno.json', ...CHECKED])
if (check.status !== 0)
  fail(`${CHECKED.join(', ')} do not type-check under ${version}`, check.output)
console.log(
  `deno: ${CHECKED.join(', ')} type-check under ${version} with deno.json (${check.seconds} s)`
)

rmSync(JUNIT, { force: true })
const run = deno([
  'test',
  '--config',
  'test/deno/deno.json',
  // tsc already type-checks the test files; under Deno some of them (ajv's CJS default export)
  // would need edits only to please a second checker. core itself was checked above.
  '--no-check',
  // The project, and the shared third-party schemas tests validate against (../shared/schemas).
  `--allow-read=${ROOT},${resolve(ROOT, '..', 'shared', 'schemas')}`,
  '--allow-env',
  '--parallel',
  '--reporter=dot',
  `--junit-path=${JUNIT}`,
  ...included,
])
const junit = existsSync(JUNIT) ? readFileSync(JUNIT, 'utf8') : ''
const count = (attribute) =>
  Number(junit.match(new RegExp(`<testsuites [^>]*${attribute}="(\\d+)"`))?.[1])
const tests = count('tests')
const failed = count('failures') + count('errors')
const ignored = (junit.match(/<skipped/g) ?? []).length
if (run.status !== 0 || !(tests > 0) || failed !== 0) {
  fail(
    `FAILED under ${version}: ${failed || 'some'} of ${tests || '?'} tests (exit status ${run.status}).` +
      '\nA test file that cannot run under Deno belongs in EXCLUDED in test/deno/run-deno-suite.mjs, with its reason.',
    run.output
  )
}

console.log(
  `deno: ${tests - ignored} tests passed${ignored ? `, ${ignored} skipped` : ''} in ${included.length} ` +
    `of ${all.length} test files under ${version} (${run.seconds} s). Not run under Deno:`
)
for (const [entry, reason] of Object.entries(EXCLUDED)) {
  const files = all.filter((file) => covers(entry, file))
  console.log(`  ${entry} (${files.length} file${files.length === 1 ? '' : 's'}): ${reason}`)
}
