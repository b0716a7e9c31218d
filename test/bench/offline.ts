/**
 * @module test/bench/offline
 * `npm run bench`: the offline audit of a generated 100,000-mailbox tenant (about three rules
 * each, a few hundred planted attacks). Prints wall time (read + parse + validate + audit) and
 * peak memory, measured in a fresh process so nothing else counts.
 * Targets on a 2-core machine: under 3 s and under 1 GiB.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  formatJobSummary,
  formatReport,
  runAudit,
  snapshotLocator,
  snapshotSource,
} from '../../core/index.ts'
import { generateTenant, plantedCount } from './generate-tenant.ts'

const MAILBOXES = Number(process.env.BENCH_MAILBOXES ?? 100_000)

async function measure(path: string): Promise<void> {
  const started = performance.now()
  const text = readFileSync(path, 'utf8')
  const document = JSON.parse(text)
  const parsed = performance.now()
  const report = await runAudit(
    { all_users: true, include_transport_rules: true, flag_freemail: true },
    snapshotSource(document)
  )
  const finished = performance.now()
  // What the action adds for a pull-request gate: every finding's snapshot line, SARIF, summary.
  const locator = snapshotLocator(text, document)
  const located = report.data.findings.filter((f) => locator.line(f) !== undefined).length
  const locatedAt = performance.now()
  const sarif = formatReport(report, 'sarif', {
    locate: (f) => ({ uri: 'tenant.json', line: locator.line(f) ?? 1 }),
  })
  const sarifAt = performance.now()
  const summary = formatJobSummary(report, { failOn: 'high' })
  const summaryAt = performance.now()
  const result = {
    wall_ms: Math.round(finished - started),
    json_parse_ms: Math.round(parsed - started),
    audit_ms: Math.round(finished - parsed),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    findings: report.data.findings.length,
    scanned: report.data.summary.mailboxes_scanned,
    locate_ms: Math.round(locatedAt - finished),
    located,
    sarif_ms: Math.round(sarifAt - locatedAt),
    sarif_mib: +(sarif.length / 2 ** 20).toFixed(1),
    summary_ms: Math.round(summaryAt - sarifAt),
    summary_kib: Math.round(new TextEncoder().encode(summary).length / 1024),
  }
  process.stdout.write(JSON.stringify(result))
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3] as string)
} else {
  const dir = mkdtempSync(join(tmpdir(), 'fa-bench-'))
  const path = join(dir, 'tenant.json')
  writeFileSync(path, JSON.stringify(generateTenant({ mailboxes: MAILBOXES })))
  const size = statSync(path).size
  const child = spawnSync(process.execPath, [process.argv[1] as string, '--measure', path], {
    encoding: 'utf8',
  })
  if (child.status !== 0) throw new Error(child.stderr)
  const r = JSON.parse(child.stdout)
  const expected = plantedCount({ mailboxes: MAILBOXES })
  console.log(
    `offline audit of ${MAILBOXES.toLocaleString('en')} mailboxes (${(size / 2 ** 20).toFixed(0)} MiB snapshot, ~3 rules each)`
  )
  console.log(
    `  wall time      ${(r.wall_ms / 1000).toFixed(2)} s   (JSON.parse ${r.json_parse_ms} ms, validate + audit ${r.audit_ms} ms)   target < 3 s`
  )
  console.log(`  peak memory    ${r.peak_rss_mib} MiB (max RSS)   target < 1024 MiB`)
  console.log(
    `  findings       ${r.findings} (planted ${expected}), mailboxes scanned ${r.scanned}`
  )
  console.log(
    `  action extras  snapshot lines of ${r.located}/${r.findings} findings ${r.locate_ms} ms, SARIF ${r.sarif_ms} ms (${r.sarif_mib} MiB), job summary ${r.summary_ms} ms (${r.summary_kib} KiB, limit 1024)`
  )
}
