/**
 * The command against a live tenant: the Microsoft 365 simulator over real HTTPS, reached with
 * the Azure SDK's variables, through the real Graph SDK and Node's TLS stack.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type AuditReport,
  runAudit,
  snapshotSource,
  type TenantSnapshot,
} from '../../core/index.ts'
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { oneCleanLine, runCliAsync } from './run-cli.ts'

const demo: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))
// The live audit reads the log for the last 90 days of today's clock, the offline one the
// whole snapshot; so both audit the tenant without it, and what the log adds is tested in
// test/live/provenance.test.ts with a frozen clock.
const { auditRecords: _auditRecords, ...tenant } = demo
const dir = mkdtempSync(join(tmpdir(), 'fa-live-'))
const FLAGS = ['--all-users', '--include-transport-rules', '--flag-freemail']
const REQUEST = { all_users: true, include_transport_rules: true, flag_freemail: true }

function envFor(sim: Simulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AZURE_TENANT_ID: sim.tenantId,
    AZURE_CLIENT_ID: sim.clientId,
    AZURE_CLIENT_SECRET: sim.clientSecret,
    AZURE_AUTHORITY_HOST: sim.authorityHost,
    GRAPH_ENDPOINT: sim.graphEndpoint,
    EXCHANGE_ENDPOINT: sim.exchangeEndpoint,
    ...extra,
  }
}

async function withSimulator<T>(
  options: Partial<SimulatorOptions>,
  run: (sim: Simulator) => Promise<T>
): Promise<T> {
  const sim = await startSimulator({
    tenant: tenant as TenantSnapshot,
    ca: testCaFromEnv(),
    ...options,
  })
  try {
    return await run(sim)
  } finally {
    await sim.close()
  }
}

/** What must agree between two audits of one tenant. */
function digest(report: AuditReport) {
  return {
    findings: report.data.findings.map((f) => ({
      id: f.id,
      type: f.type,
      user: f.user,
      destination: f.destination,
      risk_score: f.risk_score,
      factors: f.risk_factors.map((r) => r.category).sort(),
      hidden: f.hidden,
      is_enabled: f.is_enabled,
    })),
    skipped: report.data.summary.skipped.map((s) => s.mailbox).sort(),
    scanned: report.data.summary.mailboxes_scanned,
  }
}

let offline: ReturnType<typeof digest>
beforeAll(async () => {
  offline = digest(await runAudit(REQUEST, snapshotSource(tenant)))
  // A comparison of empty reports would prove nothing.
  expect(offline.findings.length).toBeGreaterThan(10)
  expect(offline.skipped.length).toBe(2)
})

describe('a live audit of the simulated tenant', () => {
  it('finds exactly what the offline audit of the same tenant finds', async () => {
    await withSimulator({}, async (sim) => {
      const out = join(dir, 'live.json')
      const { status, stderr } = await runCliAsync(
        [...FLAGS, '--format', 'json', '--output', out],
        envFor(sim)
      )
      expect(status, stderr).toBe(0)
      expect(stderr).not.toMatch(/demo tenant/)
      const text = readFileSync(out, 'utf8')
      const report: AuditReport = JSON.parse(text)
      expect(digest(report)).toEqual(offline)
      // Secrets and tokens never reach a report.
      expect(text).not.toContain(sim.clientSecret)
      expect(text).not.toMatch(/eyJ[\w-]{10,}\.eyJ/)
      expect(report.data.summary.sources).toEqual(
        expect.arrayContaining(['Get-Mailbox', 'Get-InboxRule', 'messageRules'])
      )
      // Batched: far fewer requests than mailboxes times calls.
      expect(sim.requests.byRoute.graphBatch ?? 0).toBeGreaterThan(0)
      expect(sim.requests.byRoute.exchangeBatch ?? 0).toBeGreaterThan(0)
    })
  })

  it('with 20% of calls failing (429, 503, dropped, truncated) finds the same', async () => {
    await withSimulator(
      {
        faults: {
          rate: 0.2,
          kinds: ['429', '503', 'drop', 'truncate'],
          batchItems: true,
          seed: 7,
          retryAfterSeconds: 0.01,
        },
      },
      async (sim) => {
        const out = join(dir, 'faults.json')
        const { status, stderr } = await runCliAsync(
          [...FLAGS, '--format', 'json', '--output', out],
          envFor(sim)
        )
        expect(status, stderr).toBe(0)
        expect(digest(JSON.parse(readFileSync(out, 'utf8')))).toEqual(offline)
        // The faults really happened. Which request draws which kind depends on timing, so
        // only the total and the throttling kinds are certain at this rate.
        const faults = sim.requests.faults
        const total = Object.values(faults).reduce((sum, n) => sum + n, 0)
        expect(total).toBeGreaterThan(5)
        expect((faults['429'] ?? 0) + (faults['503'] ?? 0)).toBeGreaterThan(0)
      }
    )
  })

  it('the exported snapshot audits to the same findings as the live tenant', async () => {
    await withSimulator({}, async (sim) => {
      const path = join(dir, 'export.json')
      const exported = await runCliAsync(['snapshot', '--output', path], envFor(sim))
      expect(exported.status, exported.stderr).toBe(0)
      const text = readFileSync(path, 'utf8')
      expect(text).not.toContain(sim.clientSecret)
      expect(text).not.toMatch(/eyJ[\w-]{10,}\.eyJ/)
      const fromExport = await runAudit(
        REQUEST,
        snapshotSource(JSON.parse(readFileSync(path, 'utf8')))
      )
      expect(digest(fromExport)).toEqual(offline)
    })
  })
})

describe('the audit log', () => {
  it('without a permission to read it, the audit runs undated and the table names the fix once', async () => {
    await withSimulator(
      {
        app: {
          graphRoles: ['User.Read.All', 'MailboxSettings.Read'],
          deniedCmdlets: ['Search-UnifiedAuditLog'],
        },
      },
      async (sim) => {
        const { status, stdout, stderr } = await runCliAsync(FLAGS, envFor(sim))
        expect(status, stderr).toBe(0)
        expect(stdout).toMatch(/^Audit log: NOT READ, findings are undated$/m)
        expect(stdout.split('AuditLogsQuery-Exchange.Read.All').length - 1).toBe(1)
      }
    )
  })

  it('--hidden-sweep changed reads Get-InboxRule only for mailboxes the log shows changing', async () => {
    // The demo's records moved to end now, as if it were captured today: the CLI's clock is real.
    const shift = Date.now() - Date.parse(demo.capturedAt as string)
    const records = (demo.auditRecords as Record<string, unknown>[]).map((r) => ({
      ...r,
      CreationTime: new Date(Date.parse(`${r.CreationTime}Z`) + shift).toISOString().slice(0, 19),
    }))
    await withSimulator({ tenant: { ...demo, auditRecords: records } }, async (sim) => {
      const out = join(dir, 'changed.json')
      const { status, stderr } = await runCliAsync(
        [...FLAGS, '--hidden-sweep', 'changed', '--audit-log-days', '180', '--output', out],
        envFor(sim)
      )
      expect(status, stderr).toBe(0)
      const { summary } = (JSON.parse(readFileSync(out, 'utf8')) as AuditReport).data
      expect(summary.hidden_sweep).toMatchObject({ mode: 'changed', swept: 8 })
      expect(sim.requests.byRoute['invokeCommand:Get-InboxRule']).toBe(8)
    })
  })
})

describe('a deadline', () => {
  it('stops the scan and reports what was read, marked incomplete, with the unread counted', async () => {
    // Units of 20 mailboxes, one at a time: the 37 mailboxes need two units of 600 ms, more than
    // the one-second deadline allows.
    await withSimulator({ cmdletLatencyMs: { 'Get-InboxRule': 600 } }, async (sim) => {
      const out = join(dir, 'deadline.json')
      const args = [
        ...FLAGS,
        '--batch',
        '5',
        '--concurrency',
        '1',
        '--deadline',
        '1',
        '--format',
        'json',
        '--output',
        out,
      ]
      const { status, stderr } = await runCliAsync(args, envFor(sim))
      expect(status, stderr).toBe(0)
      const { summary } = (JSON.parse(readFileSync(out, 'utf8')) as AuditReport).data
      expect(summary.complete).toBe(false)
      expect(summary.incomplete_reasons.join(' ')).toMatch(
        /deadline reached after \d+ mailboxes: \d+ not read/
      )
      expect(summary.mailboxes_scanned).toBeLessThan(offline.scanned)
    })
  })
})

describe('a live audit that cannot run exits 3 with one line naming the fix', () => {
  it('a wrong client secret', async () => {
    await withSimulator({}, async (sim) => {
      const secret = 'not-the-secret-Q7x'
      const { status, stderr } = await runCliAsync(
        FLAGS,
        envFor(sim, { AZURE_CLIENT_SECRET: secret })
      )
      expect(status).toBe(3)
      expect(oneCleanLine(stderr)).toMatch(/AZURE_CLIENT_SECRET/)
      expect(stderr).not.toContain(secret)
    })
  })

  it('an app without Exchange.ManageAsApp (its token is refused by Exchange)', async () => {
    await withSimulator({ app: { exchangeManageAsApp: false } }, async (sim) => {
      const { status, stderr } = await runCliAsync(FLAGS, envFor(sim))
      expect(status).toBe(3)
      expect(oneCleanLine(stderr)).toMatch(/Exchange\.ManageAsApp/)
    })
  })

  it('an app without the Graph permission MailboxSettings.Read', async () => {
    await withSimulator({ app: { graphRoles: ['User.Read.All'] } }, async (sim) => {
      const { status, stderr } = await runCliAsync(FLAGS, envFor(sim))
      expect(status).toBe(3)
      expect(oneCleanLine(stderr)).toMatch(/MailboxSettings\.Read/)
    })
  })

  it('an app without the Exchange role that Get-Mailbox needs', async () => {
    await withSimulator({ app: { deniedCmdlets: ['Get-Mailbox'] } }, async (sim) => {
      const { status, stderr } = await runCliAsync(FLAGS, envFor(sim))
      expect(status).toBe(3)
      expect(oneCleanLine(stderr)).toMatch(/Get-Mailbox.*Global Reader/)
    })
  })
})
