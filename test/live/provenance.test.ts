/**
 * Provenance in live audits: the simulator serves the demo tenant and its unified audit log
 * (Graph's audit log query, Search-UnifiedAuditLog), and a live audit dates exactly what the
 * offline audit of the same snapshot dates. Without the permissions the audit still runs,
 * undated, and says why once. The clock is frozen at the demo's capture time, so the window
 * and "recent" mean the same live and offline.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type AuditDependencies,
  type AuditReport,
  connectLive,
  liveSettings,
  runAudit,
  snapshotSource,
  type TenantSnapshot,
} from '../../core/index.ts'
import { type SimulatorOptions, startSimulator, testCaFromEnv } from '../simulator/index.ts'
import type { RequestLog } from '../simulator/request-log.ts'
import { liveContext } from './helpers.ts'

const demo: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))
const CAPTURE = Date.parse(demo.capturedAt as string)
// 180 days reaches the demo's oldest record (2026-07-02): Audit Standard keeps that long (6).
const REQUEST = {
  all_users: true,
  include_transport_rules: true,
  flag_freemail: true,
  audit_log_days: 180,
}
const POLL_FAST = { firstPollMs: 20, maxPollMs: 100, maxWaitMs: 30_000 }

async function liveAudit(
  options: Partial<SimulatorOptions> = {},
  request: Record<string, unknown> = REQUEST,
  dependencies: AuditDependencies = {}
): Promise<{ report: AuditReport; requests: RequestLog }> {
  const sim = await startSimulator({
    tenant: demo,
    ca: testCaFromEnv(),
    auditLog: { queryMs: 150 },
    ...options,
  })
  try {
    const settings = liveSettings({
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      authorityHost: sim.authorityHost,
      graphEndpoint: sim.graphEndpoint,
      exchangeEndpoint: sim.exchangeEndpoint,
    })
    if (!settings) throw new Error('no live settings')
    const context = liveContext({ now: () => CAPTURE })
    const { source } = connectLive(settings, context, { auditLogPolling: POLL_FAST })
    const report = await runAudit(request, source, {
      now: () => new Date(CAPTURE),
      ...dependencies,
    })
    return { report, requests: JSON.parse(JSON.stringify(sim.requests)) as RequestLog }
  } finally {
    await sim.close()
  }
}

/** What must agree between the live and the offline audit of one tenant. */
function dating(report: AuditReport) {
  return report.data.findings.map((f) => ({
    id: f.id,
    score: f.risk_score,
    factors: f.risk_factors.map((r) => r.category).sort(),
    created_at: f.created_at,
    modified_at: f.modified_at,
    undated: f.undated?.code ?? null,
    provenance: f.provenance ?? [],
  }))
}

const offline = () => runAudit(REQUEST, snapshotSource(demo), { now: () => new Date(CAPTURE) })

describe('a live audit reads the unified audit log', () => {
  it('through the Graph audit log query, dating every finding the offline audit of the snapshot dates', async () => {
    const [{ report, requests }, reference] = await Promise.all([liveAudit(), offline()])
    expect(dating(report)).toEqual(dating(reference))
    const dated = report.data.findings.filter((f) => f.created_at !== null)
    // The demo's log holds the creation of ten findings (demo/README.md).
    expect(dated.length).toBeGreaterThanOrEqual(10)
    for (const finding of dated) expect(finding.provenance?.[0]?.record_id).toBeTruthy()
    expect(report.data.summary.audit_log).toMatchObject({
      read: true,
      source: 'graph-audit-query',
      start: new Date(CAPTURE - 180 * 86_400_000).toISOString(),
      end: new Date(CAPTURE).toISOString(),
      notes: [],
    })
    // One query, polled while it ran, its records read in one page.
    expect(requests.byRoute.auditLogQueries).toBe(1)
    expect(requests.byRoute.auditLogQuery ?? 0).toBeGreaterThanOrEqual(1)
    expect(requests.byRoute.auditLogRecords).toBe(1)
    expect(requests.byRoute['invokeCommand:Search-UnifiedAuditLog']).toBeUndefined()
  })

  it('follows the records’ nextLinks through the Graph SDK when the service pages them', async () => {
    const [{ report, requests }, reference] = await Promise.all([
      liveAudit({ auditLog: { queryMs: 50, pageSize: 4 } }),
      offline(),
    ])
    expect(dating(report)).toEqual(dating(reference))
    // 17 records of the operations asked for, 4 a page.
    expect(requests.byRoute.auditLogRecords).toBe(5)
  })

  it('with Search-UnifiedAuditLog when the app has no AuditLogsQuery permission, dating the same', async () => {
    const [{ report, requests }, reference] = await Promise.all([
      liveAudit({ app: { graphRoles: ['User.Read.All', 'MailboxSettings.Read'] } }),
      offline(),
    ])
    expect(dating(report)).toEqual(dating(reference))
    expect(report.data.summary.audit_log.source).toBe('search-unifiedauditlog')
    expect(report.data.summary.audit_log.notes.join(' ')).toMatch(
      /Graph audit log query was refused.*AuditLogsQuery-Exchange\.Read\.All/
    )
    expect(requests.byRoute['invokeCommand:Search-UnifiedAuditLog']).toBeGreaterThanOrEqual(1)
  })

  it('without either permission it still audits everything, undated, and names the fix once', async () => {
    const [{ report }, reference] = await Promise.all([
      liveAudit({
        app: {
          graphRoles: ['User.Read.All', 'MailboxSettings.Read'],
          deniedCmdlets: ['Search-UnifiedAuditLog'],
        },
      }),
      offline(),
    ])
    expect(report.data.findings.map((f) => f.id).sort()).toEqual(
      reference.data.findings.map((f) => f.id).sort()
    )
    for (const finding of report.data.findings) {
      expect(finding.created_at).toBeNull()
      expect(finding.undated?.code).toBe('AUDIT_LOG_NOT_READ')
      expect(finding.provenance).toBeUndefined()
    }
    const { audit_log } = report.data.summary
    expect(audit_log.read).toBe(false)
    expect(audit_log.notes).toHaveLength(1)
    expect(audit_log.notes[0]).toMatch(/AuditLogsQuery-Exchange\.Read\.All.*View-Only Audit Logs/)
    const text = JSON.stringify(report)
    expect(text.split('AuditLogsQuery-Exchange.Read.All').length - 1).toBe(1)
  })

  it('`audit_log_days: 0` reads no log at all: no query, and the summary says so', async () => {
    const { report, requests } = await liveAudit({}, { ...REQUEST, audit_log_days: 0 })
    expect(requests.byRoute.auditLogQueries).toBeUndefined()
    expect(requests.byRoute['invokeCommand:Search-UnifiedAuditLog']).toBeUndefined()
    expect(report.data.summary.audit_log).toMatchObject({
      read: false,
      notes: ['not read: audit_log_days is 0'],
    })
  })

  it('a tenant whose unified audit log is off: every forwarding mailbox is AUDITING_OFF, and the summary says so', async () => {
    const off = {
      ...demo,
      adminAuditLogConfig: { UnifiedAuditLogIngestionEnabled: false },
    } as TenantSnapshot
    const { report } = await liveAudit({ tenant: off })
    const { audit_log } = report.data.summary
    expect(audit_log.read).toBe(false)
    expect(audit_log.notes[0]).toMatch(/AuditingDisabledTenant/)
    expect(audit_log.auditing[0]).toMatch(/ingestion is off/)
    const mailboxFindings = report.data.findings.filter(
      (f) => f.type !== 'transport_rule' && f.type !== 'journal_rule'
    )
    for (const finding of mailboxFindings) {
      expect(finding.undated?.code).toBe('AUDITING_OFF')
      expect(finding.risk_factors.map((r) => r.category)).toContain('auditing_off')
    }
  })

  it('reads the tenant’s audit settings: an audit bypass on a forwarding mailbox is a factor', async () => {
    const bypassed = {
      ...demo,
      mailboxAuditBypass: [{ Name: 'r.vogel', Identity: 'r.vogel', AuditBypassEnabled: true }],
    } as TenantSnapshot
    const { report } = await liveAudit({ tenant: bypassed })
    const vogel = report.data.findings.find((f) => f.user === 'r.vogel@contoso.com')
    expect(vogel?.risk_factors.map((r) => r.category)).toContain('auditing_off')
    expect(report.data.summary.audit_log.unaudited_mailboxes).toEqual([
      {
        mailbox: 'r.vogel@contoso.com',
        reason: expect.stringMatching(/bypasses mailbox auditing/),
      },
    ])
    expect(report.data.summary.audit_log.auditing).toEqual([
      'mailbox audit bypass is on for: r.vogel',
    ])
  })

  it('reads the audit settings in one batch; a refused cmdlet is read alone, named, and the rest kept', async () => {
    const { report, requests } = await liveAudit({
      app: { deniedCmdlets: ['Get-MailboxAuditBypassAssociation'] },
    })
    // The batch was refused as a whole (exchange-admin.ts), then each cmdlet ran on its own.
    expect(requests.byRoute['invokeCommand:Get-AdminAuditLogConfig']).toBe(2)
    const { auditing } = report.data.summary.audit_log
    expect(auditing).toHaveLength(1)
    expect(auditing[0]).toMatch(/^Get-MailboxAuditBypassAssociation not read/)
    expect(report.data.summary.audit_log.read).toBe(true)
    expect(report.data.findings.filter((f) => f.created_at !== null).length).toBeGreaterThan(0)
  })

  it('`since` drops a forward made before the date, keeps one made after, keeps (marked) the undated', async () => {
    const { report } = await liveAudit({}, { ...REQUEST, since: '2026-11-12' })
    const users = report.data.findings.map((f) => f.user)
    // r.vogel's forward was set 2026-11-10; accounts.payable's rule made 2026-11-17.
    expect(users).not.toContain('r.vogel@contoso.com')
    expect(users).toContain('accounts.payable@contoso.com')
    const support = report.data.findings.find((f) => f.user === 'support@contoso.com')
    expect(support?.created_at_unknown).toBe(true)
  })
})

describe('the incremental hidden-rule sweep', () => {
  const digest = (report: AuditReport) =>
    report.data.findings.map((f) => ({
      id: f.id,
      score: f.risk_score,
      hidden: f.hidden,
      factors: f.risk_factors.map((r) => r.category).sort(),
    }))

  it('`changed` runs Get-InboxRule only where the log shows rule changes, says why, and finds the same', async () => {
    const [all, changed] = await Promise.all([
      liveAudit(),
      liveAudit({}, { ...REQUEST, hidden_sweep: 'changed' }),
    ])
    expect(digest(changed.report)).toEqual(digest(all.report))
    const sweep = changed.report.data.summary.hidden_sweep
    expect(sweep).toMatchObject({ mode: 'changed', requested: 'changed', from_baseline: 0 })
    expect(sweep?.swept_mailboxes?.map((s) => s.mailbox)).toEqual([
      'accounts.payable@contoso.com',
      'b.schulz@contoso.com',
      'd.hoffmann@contoso.com',
      'e.rossi@contoso.com',
      'j.ortiz@contoso.com',
      'l.martin@contoso.com',
      'm.jensen@contoso.com',
      't.nguyen@contoso.com',
    ])
    expect(sweep?.swept_mailboxes?.[4]?.reason).toMatch(
      /^UpdateInboxRules 2026-11-08 21:14 by j\.ortiz/
    )
    expect(changed.requests.byRoute['invokeCommand:Get-InboxRule']).toBe(8)
    expect(all.requests.byRoute['invokeCommand:Get-InboxRule']).toBeGreaterThan(30)
  })

  it('`changed` with a baseline takes the hidden rules of mailboxes it does not sweep from it', async () => {
    // A log that shows no rule change at all: nothing is swept, and j.ortiz's hidden rule
    // (an Outlook rule, invisible to Graph) can only come from the baseline.
    const quiet = { ...demo, auditRecords: [] } as TenantSnapshot
    const request = { ...REQUEST, hidden_sweep: 'changed' }
    const without = await liveAudit({ tenant: quiet }, request)
    const withBaseline = await liveAudit({ tenant: quiet }, request, { sweepBaseline: demo })
    const hidden = (report: AuditReport) =>
      report.data.findings.filter((f) => f.hidden).map((f) => f.user)
    expect(hidden(without.report)).toEqual([])
    expect(hidden(withBaseline.report)).toEqual(['j.ortiz@contoso.com'])
    expect(withBaseline.requests.byRoute['invokeCommand:Get-InboxRule']).toBeUndefined()
    expect(withBaseline.report.data.summary.hidden_sweep).toMatchObject({
      swept: 0,
      from_baseline: 36,
      not_swept: 2,
    })
  })

  it('`changed` without a readable audit log sweeps every mailbox and says why', async () => {
    const { report, requests } = await liveAudit(
      {
        app: {
          graphRoles: ['User.Read.All', 'MailboxSettings.Read'],
          deniedCmdlets: ['Search-UnifiedAuditLog'],
        },
      },
      { ...REQUEST, hidden_sweep: 'changed' }
    )
    expect(report.data.summary.hidden_sweep).toMatchObject({ mode: 'all', requested: 'changed' })
    expect(report.data.summary.hidden_sweep?.note).toMatch(/audit log, which was not read/)
    expect(requests.byRoute['invokeCommand:Get-InboxRule']).toBeGreaterThan(30)
    // The missing permission and its fix are named once, in summary.audit_log.
    const text = JSON.stringify(report)
    expect(text.split('AuditLogsQuery-Exchange.Read.All').length - 1).toBe(1)
  })

  it('`off` runs no Get-InboxRule: only Graph’s visible rules, so the hidden one is not seen', async () => {
    const { report, requests } = await liveAudit({}, { ...REQUEST, hidden_sweep: 'off' })
    expect(requests.byRoute['invokeCommand:Get-InboxRule']).toBeUndefined()
    expect(report.data.findings.some((f) => f.hidden)).toBe(false)
    expect(report.data.summary.hidden_sweep).toMatchObject({ mode: 'off', swept: 0 })
  })
})
