/**
 * The bundled demo tenant is a golden test: its findings are reviewed once and kept in
 * test/fixtures/demo-findings.json. A change to scoring shows up here as a reviewed diff.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/demo-golden.test.ts, then read the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { AuditReport } from '../core/index.ts'
import { auditDemo as audit, DEMO_REQUEST, demoTenant } from './demo-audit.ts'

const GOLDEN = 'test/fixtures/demo-findings.json'
const tenant = demoTenant()
const auditDemo = (withAllowlist: boolean) => audit(DEMO_REQUEST, { withAllowlist })

function digest(report: AuditReport) {
  return report.data.findings.map((f) => ({
    id: f.id,
    type: f.type,
    user: f.user,
    destination: f.destination,
    rule_name: f.rule_name,
    risk_score: f.risk_score,
    risk_level: f.risk_level,
    factors: f.risk_factors.map((factor) => factor.category),
    hidden: f.hidden,
    is_enabled: f.is_enabled,
    created_at: f.created_at,
    modified_at: f.modified_at,
    undated: f.undated?.code ?? null,
    made_by:
      f.provenance?.map((p) => `${p.operation} ${p.actor ?? '?'} ${p.client_ip ?? '?'}`) ?? [],
    suppressed: f.suppressed?.reason ?? null,
  }))
}

const find = (report: AuditReport, user: string, destination: string) =>
  report.data.findings.find((f) => f.user === user && f.destination === destination)

describe('the demo tenant', () => {
  it('matches the reviewed golden findings', async () => {
    const actual = {
      summary: summaryOf(await auditDemo(true)),
      findings: digest(await auditDemo(true)),
    }
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 2)}\n`)
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')))
  })

  it('rates every planted attack high or critical', async () => {
    const report = await auditDemo(true)
    const attacks = [
      ['organization', 'svc-retention@contoso-archive.net'], // LAPSUS$ org-wide Bcc
      ['j.ortiz@contoso.com', 'j.ortiz.backup@proton.me'], // hidden MAPI rule
      ['accounts.payable@contoso.com', 'ap.contoso@gmail.com'], // "." rule, RSS Feeds
      ['r.vogel@contoso.com', 'cfo.personal@protonmail.com'], // SMTP forward, no copy
      ['t.nguyen@contoso.com', 'payments@c0ntoso.com'], // look-alike domain
      ['l.martin@contoso.com', 'dropbox.sales@outlook.com'], // shared destination
      ['e.rossi@contoso.com', 'dropbox.sales@outlook.com'],
      ['d.hoffmann@contoso.com', 'svc-sync@contoso.com'], // to a GAL-hidden account
      ['h.tanaka@contoso.com', 'quiet.harbor.5k2@duck.com'], // to a relay service
      ['s.kowalski@contoso.com', 'hr.archive@contoso.com'], // to a new, hidden, unlicensed mailbox
    ] as const
    for (const [user, destination] of attacks) {
      const finding = find(report, user, destination)
      expect(finding, `${user} → ${destination}`).toBeDefined()
      expect(['high', 'critical'], `${user} → ${destination}`).toContain(finding?.risk_level)
      expect(finding?.suppressed).toBeUndefined()
    }
  })

  it('the Sales policy, scoped to a group, lets its members forward: they are not reported blocked', async () => {
    const report = await auditDemo(false)
    for (const user of ['l.martin@contoso.com', 'e.rossi@contoso.com', 'c.dubois@contoso.com']) {
      const finding = report.data.findings.find((f) => f.user === user)
      expect(finding?.tenant_policy, user).toEqual({
        external_forwarding_blocked: false,
        reason: expect.stringContaining('"Allow forwarding - Sales"'),
      })
    }
    // Not in the group: the Default policy still blocks j.ortiz's hidden rule.
    const ortiz = find(report, 'j.ortiz@contoso.com', 'j.ortiz.backup@proton.me')
    expect(ortiz?.tenant_policy?.external_forwarding_blocked).toBe(true)
    expect(report.data.summary.sources).toContain('snapshot:transitiveMemberOf')
  })

  it("the departing employee's forward to the manager is low: internal, copy kept", async () => {
    const finding = find(await auditDemo(false), 'm.keller@contoso.com', 's.brandt@contoso.com')
    expect(finding?.risk_level).toBe('low')
    expect(finding?.risk_factors.map((f) => f.category)).toContain('internal_destination')
  })

  it('the hidden MAPI rule is marked hidden and dated from the audit log', async () => {
    const finding = find(await auditDemo(false), 'j.ortiz@contoso.com', 'j.ortiz.backup@proton.me')
    expect(finding?.hidden).toBe(true)
    expect(finding?.created_at).toMatch(/^2026-11-/)
    expect(finding?.provenance?.[0]?.operation).toBe('UpdateInboxRules')
  })

  it('the allowlist suppresses the legitimate forwarding the Sigma rule lists, and says why', async () => {
    const report = await auditDemo(true)
    const legitimate = [
      ['m.keller@contoso.com', 's.brandt@contoso.com'], // departing employee
      ['project.atlas@contoso.com', 'project.team@fabrikam.com'], // migration partner
      ['support@contoso.com', 'support@contoso.zendesk.com'], // helpdesk connector
      ['phishing@contoso.com', 'soc@contoso.com'], // phishing reports
      ['organization', 'journal@archive.mimecast.com'], // compliance archiving
    ] as const
    for (const [user, destination] of legitimate) {
      const finding = find(report, user, destination)
      expect(finding?.suppressed?.reason, `${user} → ${destination}`).toBeTruthy()
    }
    expect(report.data.summary.suppressed).toBeGreaterThanOrEqual(legitimate.length)
    expect(report.data.summary.expired_allowlist_entries.length).toBeGreaterThan(0)
  })

  it('names both unreadable mailboxes and says the audit is incomplete', async () => {
    const { summary } = (await auditDemo(false)).data
    expect(summary.skipped.map((s) => s.mailbox).sort()).toEqual([
      'f.wagner@contoso.com',
      'scan.warehouse@contoso.com',
    ])
    expect(summary.complete).toBe(false)
    expect(summary.mailboxes_scanned + summary.mailboxes_skipped).toBe(tenant.mailboxes.length)
  })
})

function summaryOf(report: AuditReport) {
  const { by_level, by_type, suppressed, mailboxes_scanned, mailboxes_skipped, audit_log } =
    report.data.summary
  return {
    by_level,
    by_type,
    suppressed,
    mailboxes_scanned,
    mailboxes_skipped,
    audit_log,
    meta: report.meta,
  }
}
