/**
 * @module test/bench/live
 * `npm run bench` (second part): a live audit of 10,000 simulated mailboxes over real HTTPS,
 * with Microsoft's costs modelled in the simulator: 50 ms per call and per batch item, about a
 * second of service time per Get-InboxRule, and a tenant-wide cap on concurrent cmdlets.
 * Prints wall time, HTTP requests per mailbox and peak memory for the batched audit, and the
 * same for a one-request-per-mailbox sequential baseline measured on a sample (a full
 * sequential run would take hours) and extrapolated, as a ratio. Then the incremental
 * hidden-rule sweep: the same tenant audited with `--hidden-sweep changed` while its audit log
 * shows rule changes on 1 % of the mailboxes (every hidden rule among them), with the Graph
 * audit query running AUDIT_QUERY_MS before it succeeds: wall time, requests per mailbox, and
 * whether it finds exactly what the full sweep finds.
 *
 * The simulator runs in this process; each audit runs in a child process, so its memory is its
 * own and NODE_EXTRA_CA_CERTS (read by Node only at start) can trust the throwaway CA.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { AZURE_SETTING_NAMES, runAudit } from '../../core/index.ts'
import { exchangeAdmin } from '../../core/m365/exchange-admin.ts'
import { graphApi } from '../../core/m365/graph.ts'
import { tokenProvider } from '../../core/m365/tokens.ts'
import type { LiveContext } from '../../core/m365/types.ts'
import { connectLive } from '../../core/sources/live/connect.ts'
import { createTestCa } from '../simulator/ca.ts'
import { startSimulator } from '../simulator/index.ts'
import { changedMailboxes, withAuditLog } from './generate-audit-log.ts'
import { generateTenant } from './generate-tenant.ts'

const MAILBOXES = Number(process.env.BENCH_LIVE_MAILBOXES ?? 10_000)
/** The tenant size the request target is stated for: 0.17 requests per mailbox at default flags. */
const DEFAULT_FLAGS_MAILBOXES = 500
const SAMPLE = Number(process.env.BENCH_BASELINE_MAILBOXES ?? 40)
const LATENCY_MS = 50
const INBOX_RULE_MS = 1000
/** Concurrent cmdlet executions the simulated tenant allows (Exchange throttles per tenant). */
const EXCHANGE_CONCURRENCY = 200
/** The audit's request: units of 20 mailboxes (one Graph $batch, two Exchange $batch), 10 in flight. */
const BATCH = 20
const CONCURRENCY = 10
/** Share of mailboxes whose rules the audit log shows changing (the 1 %). */
const CHANGED_SHARE = 0.01
/** How long the simulated Graph audit query runs before it succeeds (real ones: minutes). */
const AUDIT_QUERY_MS = 10_000

interface ClientConfig {
  /**
   * `default`: the audit's own defaults (no --batch, no --concurrency), as a first run uses it;
   * `changed`: the batched flags with `--hidden-sweep changed`.
   */
  mode: 'batched' | 'default' | 'changed' | 'sequential'
  tenantId: string
  clientId: string
  clientSecret: string
  endpoints: { authority: string; graph: string; exchange: string }
  mailboxes: string[]
}

function context(): LiveContext {
  return {
    fetch: globalThis.fetch,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    now: Date.now,
    retry: { maxRetries: 10, baseDelayMs: 100, maxDelayMs: 10_000 },
  }
}

/** Child: run one audit and print what it measured. */
async function client(config: ClientConfig): Promise<void> {
  const credential = {
    kind: 'secret' as const,
    tenantId: config.tenantId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  }
  const started = performance.now()
  let findings: { id: string; score: number; hidden: boolean; factors: string[] }[] = []
  let swept = 0
  if (config.mode !== 'sequential') {
    const settings = { credential, endpoints: config.endpoints, names: AZURE_SETTING_NAMES }
    const { source } = connectLive(settings, context())
    const request =
      config.mode === 'default'
        ? { all_users: true }
        : {
            all_users: true,
            include_transport_rules: true,
            flag_freemail: true,
            batch: BATCH,
            concurrency: CONCURRENCY,
            hidden_sweep: config.mode === 'changed' ? ('changed' as const) : ('all' as const),
          }
    const report = await runAudit(request, source)
    findings = report.data.findings.map((f) => ({
      id: f.id,
      score: f.risk_score,
      hidden: f.hidden,
      factors: f.risk_factors.map((r) => r.category).sort(),
    }))
    swept = report.data.summary.hidden_sweep?.swept ?? 0
  } else {
    // The naive way: for each mailbox in turn, one Graph call and one Exchange call.
    const ctx = context()
    const tokens = tokenProvider(credential, {
      authority: config.endpoints.authority,
      context: ctx,
    })
    const exchange = exchangeAdmin({
      endpoint: config.endpoints.exchange,
      tenantId: config.tenantId,
      tokens,
      context: ctx,
    })
    const graph = graphApi({ endpoint: config.endpoints.graph, tokens, context: ctx })
    for (const upn of config.mailboxes) {
      await graph.messageRules([upn])
      await exchange.invoke('Get-InboxRule', { Mailbox: upn, IncludeHidden: true })
    }
  }
  const result = {
    wall_ms: performance.now() - started,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024,
    findings,
    swept,
  }
  process.stdout.write(JSON.stringify(result))
}

interface ClientResult {
  wall_ms: number
  peak_rss_mib: number
  findings: { id: string; score: number; hidden: boolean; factors: string[] }[]
  swept: number
}

function runClient(config: ClientConfig, caPath: string): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [process.argv[1] as string, '--client'], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exited ${code}`))
    )
    child.stdin.end(JSON.stringify(config))
  })
}

async function main(): Promise<void> {
  const ca = await createTestCa()
  const generated = generateTenant({ mailboxes: MAILBOXES })
  const changed = changedMailboxes(generated, CHANGED_SHARE)
  const tenant = withAuditLog(generated, changed, Date.now())
  const sim = await startSimulator({
    tenant,
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
    latencyMs: LATENCY_MS,
    cmdletLatencyMs: { 'Get-InboxRule': INBOX_RULE_MS },
    limits: { exchangeConcurrency: EXCHANGE_CONCURRENCY },
    auditLog: { queryMs: AUDIT_QUERY_MS },
  })
  const base = {
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    endpoints: {
      authority: sim.authorityHost,
      graph: sim.graphEndpoint,
      exchange: sim.exchangeEndpoint,
    },
  }
  try {
    const upns = tenant.mailboxes.map((entry) => entry.mailbox.UserPrincipalName)
    const batched = await runClient({ ...base, mode: 'batched', mailboxes: [] }, ca.certPath)
    const batchedRequests = sim.requests.total
    const maxPerMailbox = Math.max(0, ...Object.values(sim.requests.maxConcurrency.byMailbox))
    sim.resetRequests()
    const incremental = await runClient({ ...base, mode: 'changed', mailboxes: [] }, ca.certPath)
    const changedRequests = sim.requests.total
    const changedSweeps = sim.requests.byRoute['invokeCommand:Get-InboxRule'] ?? 0
    sim.resetRequests()
    const sequential = await runClient(
      { ...base, mode: 'sequential', mailboxes: upns.slice(0, SAMPLE) },
      ca.certPath
    )
    const sequentialRequests = sim.requests.total

    // What the simulator's limits allow: every mailbox needs one Get-InboxRule (~1 s of
    // service time plus the call's latency), at most EXCHANGE_CONCURRENCY at a time; Graph
    // and the tenant-level cmdlets overlap with it.
    const inFlight = Math.min(EXCHANGE_CONCURRENCY, BATCH * CONCURRENCY)
    const boundMs = Math.ceil(MAILBOXES / inFlight) * (INBOX_RULE_MS + 2 * LATENCY_MS)
    const sequentialMs = (sequential.wall_ms / SAMPLE) * MAILBOXES
    const line = (label: string, value: string) => console.log(`  ${label.padEnd(28)}${value}`)
    console.log(`live audit of ${MAILBOXES.toLocaleString('en')} simulated mailboxes over HTTPS`)
    console.log(
      `  (simulator: ${LATENCY_MS} ms per call, ${INBOX_RULE_MS} ms per Get-InboxRule, ${EXCHANGE_CONCURRENCY} concurrent cmdlets; audit: --batch ${BATCH} --concurrency ${CONCURRENCY})`
    )
    line(
      'batched wall time',
      `${(batched.wall_ms / 1000).toFixed(1)} s  (limits allow ${(boundMs / 1000).toFixed(1)} s: ${(batched.wall_ms / boundMs).toFixed(2)}x, target <= 1.5x)`
    )
    line(
      'batched HTTP requests',
      `${batchedRequests} = ${(batchedRequests / MAILBOXES).toFixed(3)} per mailbox (target <= 0.2)`
    )
    line('batched peak memory', `${batched.peak_rss_mib.toFixed(0)} MiB (client process)`)
    line('max requests on one mailbox', `${maxPerMailbox} at once (Outlook allows 4)`)
    line(
      'findings',
      `${batched.findings.length} (${batched.findings.filter((f) => f.hidden).length} hidden)`
    )
    line(
      'sequential baseline',
      `${(sequential.wall_ms / SAMPLE).toFixed(0)} ms per mailbox over ${SAMPLE} mailboxes, ${(sequentialRequests / SAMPLE).toFixed(2)} requests per mailbox, ${sequential.peak_rss_mib.toFixed(0)} MiB`
    )
    line(
      'sequential, extrapolated',
      `${(sequentialMs / 1000 / 60).toFixed(0)} min for ${MAILBOXES.toLocaleString('en')} mailboxes`
    )
    line(
      'speed-up',
      `${(sequentialMs / batched.wall_ms).toFixed(0)}x faster, ${(sequentialRequests / SAMPLE / (batchedRequests / MAILBOXES)).toFixed(0)}x fewer requests`
    )
    const same = JSON.stringify(incremental.findings) === JSON.stringify(batched.findings)
    console.log(
      `--hidden-sweep changed: the audit log shows rule changes on ${changed.length} mailboxes (${((changed.length / MAILBOXES) * 100).toFixed(1)} %, every hidden rule among them); the audit query runs ${AUDIT_QUERY_MS / 1000} s`
    )
    line(
      'changed wall time',
      `${(incremental.wall_ms / 1000).toFixed(1)} s  (all: ${(batched.wall_ms / 1000).toFixed(1)} s, ${(batched.wall_ms / incremental.wall_ms).toFixed(1)}x faster)`
    )
    line(
      'changed HTTP requests',
      `${changedRequests} = ${(changedRequests / MAILBOXES).toFixed(3)} per mailbox (target <= 0.06; all: ${(batchedRequests / MAILBOXES).toFixed(3)})`
    )
    line(
      'changed Get-InboxRule runs',
      `${changedSweeps} (summary: ${incremental.swept} swept; all: ${MAILBOXES})`
    )
    line('changed peak memory', `${incremental.peak_rss_mib.toFixed(0)} MiB (client process)`)
    line(
      'same findings as all',
      same
        ? `yes, ${incremental.findings.length} (${incremental.findings.filter((f) => f.hidden).length} hidden)`
        : `NO: ${incremental.findings.length} vs ${batched.findings.length}`
    )
  } finally {
    await sim.close()
  }
  await defaultFlags(ca)
}

/** Requests per mailbox at default flags, without the simulated service time (it adds none). */
async function defaultFlags(ca: Awaited<ReturnType<typeof createTestCa>>): Promise<void> {
  const sim = await startSimulator({
    tenant: generateTenant({ mailboxes: DEFAULT_FLAGS_MAILBOXES }),
    ca: { certPem: ca.certPem, keyPem: ca.keyPem },
  })
  try {
    const result = await runClient(
      {
        mode: 'default',
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        endpoints: {
          authority: sim.authorityHost,
          graph: sim.graphEndpoint,
          exchange: sim.exchangeEndpoint,
        },
        mailboxes: [],
      },
      ca.certPath
    )
    const { total, byApi, byRoute } = sim.requests
    // Once per audit, whatever the tenant's size: the audit settings' `$batch` (the Exchange
    // batches beyond Get-InboxRule's, 10 mailboxes each) and the Graph audit log query.
    const auditLog =
      (byRoute.exchangeBatch ?? 0) -
      Math.ceil(DEFAULT_FLAGS_MAILBOXES / 10) +
      (byRoute.auditLogQueries ?? 0) +
      (byRoute.auditLogQuery ?? 0) +
      (byRoute.auditLogRecords ?? 0)
    console.log(
      `live audit of ${DEFAULT_FLAGS_MAILBOXES} simulated mailboxes at default flags (--batch 10 --concurrency 5 --audit-log-days 90)`
    )
    console.log(
      `  requests per mailbox        ${(total / DEFAULT_FLAGS_MAILBOXES).toFixed(3)}: ${total} requests = ${byApi.token} token, ${byApi.graph} Graph, ${byApi.exchange} Exchange; ${result.findings.length} findings`
    )
    console.log(
      `  without the audit log       ${((total - auditLog) / DEFAULT_FLAGS_MAILBOXES).toFixed(3)} (target <= 0.17): the audit log's ${auditLog} requests are once per audit`
    )
  } finally {
    await sim.close()
  }
}

if (process.argv.includes('--client')) {
  await client(JSON.parse(readFileSync(0, 'utf8')) as ClientConfig)
} else {
  await main()
}
