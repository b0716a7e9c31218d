/**
 * The baseline: two audits of one tenant compared finding by finding, and the gate that then
 * fails only on what changed for the worse. Both sides are real audits of built snapshots.
 */
import { describe, expect, it } from 'vitest'
import {
  type AuditReport,
  applyBaseline,
  compareWithBaseline,
  failingFindings,
  formatReport,
  InvalidInputError,
  parseAllowlist,
  parseBaseline,
} from '../../core/index.ts'
import { audit, NOW, smtpTarget, type TenantBuilder, tenant } from './tenant-builder.ts'

const ALICE = 'alice@contoso.com'
const BOB = 'bob@contoso.com'
const CAROL = 'carol@contoso.com'
const DAVE = 'dave@contoso.com'

/** The base branch: alice forwards to a partner (high), bob to Gmail without a copy (critical), dave to a contractor. */
function baseTenant(): TenantBuilder {
  return tenant()
    .mailbox(ALICE)
    .inboxRule(ALICE, { Name: 'Partner copy', ForwardTo: [smtpTarget('partner@fabrikam.com')] })
    .mailbox(BOB, { ForwardingSmtpAddress: 'smtp:bob.home@gmail.com' })
    .mailbox(CAROL)
    .mailbox(DAVE)
    .inboxRule(DAVE, { Name: 'Contractor', ForwardTo: [smtpTarget('dave@contractor.example')] })
}

/**
 * The change: alice's rule now also deletes and marks read (raised), bob keeps a copy (lowered),
 * carol gains a rule (new), dave's rule is gone.
 */
function changedTenant(): TenantBuilder {
  return tenant()
    .mailbox(ALICE)
    .inboxRule(ALICE, {
      Name: 'Partner copy',
      ForwardTo: [smtpTarget('partner@fabrikam.com')],
      DeleteMessage: true,
      MarkAsRead: true,
    })
    .mailbox(BOB, {
      ForwardingSmtpAddress: 'smtp:bob.home@gmail.com',
      DeliverToMailboxAndForward: true,
    })
    .mailbox(CAROL)
    .inboxRule(CAROL, { Name: 'x', RedirectTo: [smtpTarget('c4rol@proton.me')] })
    .mailbox(DAVE)
}

/** A report as compareWithBaseline takes it. */
const asBaseline = (report: AuditReport) => ({
  tenant: report.data.summary.tenant,
  request: report.data.summary.request,
  findings: report.data.findings,
})

const statusOf = (report: AuditReport, user: string) =>
  report.data.findings.find((f) => f.user === user)?.baseline

describe('comparing with a baseline report', () => {
  it('marks each finding new, raised, lowered or unchanged by its id, and lists what is gone', async () => {
    const base = await audit(baseTenant())
    const head = await audit(changedTenant())
    // The scenario's premise: alice's level rose and bob's fell.
    const level = (r: AuditReport, user: string) =>
      r.data.findings.find((f) => f.user === user)?.risk_level
    expect([level(base, ALICE), level(head, ALICE)]).toEqual(['high', 'critical'])
    expect([level(base, BOB), level(head, BOB)]).toEqual(['critical', 'high'])

    const compared = await applyBaseline(
      head,
      parseBaseline(formatReport(base, 'json'), 'base.json'),
      {
        request: { all_users: true },
      }
    )
    expect(statusOf(compared, ALICE)).toBe('raised')
    expect(statusOf(compared, BOB)).toBe('lowered')
    expect(statusOf(compared, CAROL)).toBe('new')
    const alice = compared.data.findings.find((f) => f.user === ALICE)
    expect(alice?.baseline_risk_level).toBe('high')
    expect(compared.data.summary.baseline).toMatchObject({
      compared_with: 'base.json',
      kind: 'report',
      new: 1,
      raised: 1,
      unchanged: 0,
      lowered: 1,
      gone: 1,
      warnings: [],
    })
    expect(compared.data.summary.baseline?.gone_findings).toEqual([
      expect.objectContaining({
        user: DAVE,
        destination: 'dave@contractor.example',
        rule_name: 'Contractor',
      }),
    ])
  })

  it('an audit compared with itself is all unchanged and fails no gate', async () => {
    const report = await audit(baseTenant())
    const compared = compareWithBaseline(report, asBaseline(report), {
      comparedWith: 'same',
      kind: 'report',
    })
    expect(compared.data.findings.every((f) => f.baseline === 'unchanged')).toBe(true)
    expect(failingFindings(report, 'low').length).toBeGreaterThan(0)
    expect(failingFindings(compared, 'low')).toEqual([])
  })

  it('the gate counts only new and raised findings at or above its level', async () => {
    const base = await audit(baseTenant())
    const compared = await applyBaseline(
      await audit(changedTenant()),
      parseBaseline(formatReport(base, 'json')),
      {
        request: { all_users: true },
      }
    )
    const failing = failingFindings(compared, 'high').map((f) => [f.user, f.baseline])
    // bob is still high but lowered; he does not fail a gate the change did not cause.
    expect(failing.sort()).toEqual([
      [ALICE, 'raised'],
      [CAROL, 'new'],
    ])
  })

  it('a finding the baseline had suppressed and this audit reports is new', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ mailbox: DAVE, reason: 'contract until March', expires: '2026-12-31' }],
    })
    const base = await audit(baseTenant(), { all_users: true }, { allowlist })
    expect(base.data.findings.find((f) => f.user === DAVE)?.suppressed).toBeDefined()
    const head = await audit(baseTenant())
    const compared = compareWithBaseline(head, asBaseline(base), {
      comparedWith: 'base',
      kind: 'report',
    })
    expect(statusOf(compared, DAVE)).toBe('new')
    expect(failingFindings(compared, 'low').map((f) => f.user)).toEqual([DAVE])
  })

  it('warns when the baseline is of another tenant or ran with other settings', async () => {
    const other = baseTenant()
    other.snapshot.tenant = {
      id: '11111111-2222-4333-a444-555555555555',
      name: 'fabrikam.onmicrosoft.com',
    }
    const base = await audit(other, { all_users: true, include_transport_rules: true })
    const compared = await applyBaseline(
      await audit(baseTenant()),
      parseBaseline(formatReport(base, 'json')),
      {
        request: { all_users: true },
      }
    )
    const warnings = compared.data.summary.baseline?.warnings ?? []
    expect(warnings).toEqual([
      expect.stringContaining('tenant fabrikam.onmicrosoft.com'),
      expect.stringContaining('include_transport_rules'),
    ])
    // Finding ids include the tenant, so nothing matches: everything is new.
    expect(compared.data.summary.baseline?.new).toBe(compared.meta.total_findings)
  })

  it('warns when mailboxes the baseline could not read were read now', async () => {
    const base = baseTenant().unreadable('erin@contoso.com', 'ACCESS_DENIED', 'policy')
    const head = baseTenant().mailbox('erin@contoso.com')
    const compared = await applyBaseline(
      await audit(head),
      parseBaseline(JSON.stringify(base.build())),
      {
        request: { all_users: true },
        dependencies: { now: () => NOW },
      }
    )
    expect(compared.data.summary.baseline?.warnings).toEqual([
      '1 mailbox(es) the baseline could not read were read now: their findings count as new',
    ])
  })
})

describe('a snapshot as the baseline', () => {
  it('is audited with the same request, so only the change shows', async () => {
    const head = await audit(changedTenant())
    const compared = await applyBaseline(
      head,
      parseBaseline(JSON.stringify(baseTenant().build()), 'base'),
      {
        request: { all_users: true },
        dependencies: { now: () => NOW },
      }
    )
    expect(compared.data.summary.baseline).toMatchObject({
      kind: 'snapshot',
      new: 1,
      raised: 1,
      lowered: 1,
      gone: 1,
    })
  })

  it('applies the same allowlist to both sides', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ mailbox: CAROL, reason: 'reviewed: forwards to her own proton account' }],
    })
    const head = await audit(changedTenant(), { all_users: true }, { allowlist })
    const compared = await applyBaseline(
      head,
      parseBaseline(JSON.stringify(baseTenant().build())),
      {
        request: { all_users: true },
        dependencies: { allowlist, now: () => NOW },
      }
    )
    expect(compared.data.findings.find((f) => f.user === CAROL)?.suppressed).toBeDefined()
    expect(failingFindings(compared, 'low').map((f) => f.user)).toEqual([ALICE])
  })
})

describe('parseBaseline', () => {
  const code = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      return error instanceof InvalidInputError ? [error.code, error.message, error.field] : error
    }
    return 'no error'
  }

  it('names the file when it is not JSON', () => {
    expect(code(() => parseBaseline('{', '--baseline b.json'))).toEqual([
      'INVALID_BASELINE',
      expect.stringMatching(/^--baseline b\.json is not valid JSON/),
      undefined,
    ])
  })

  it('refuses a document that is neither a report nor a snapshot', () => {
    for (const document of ['[]', '{"version":1,"entries":[]}', '{"format":"sarif"}', '"x"']) {
      expect(code(() => parseBaseline(document, 'b.json'))).toEqual([
        'INVALID_BASELINE',
        expect.stringContaining('b.json is neither a JSON report'),
        undefined,
      ])
    }
  })

  it('names the field of a malformed report', () => {
    const report = {
      data: {
        findings: [
          {
            id: 'x',
            type: 'inbox_rule',
            user: 'a',
            destination: 'b',
            rule_name: null,
            risk_level: 'severe',
          },
        ],
        summary: { tenant: 't' },
      },
    }
    expect(code(() => parseBaseline(JSON.stringify(report), 'b.json'))).toEqual([
      'INVALID_BASELINE',
      expect.stringMatching(/^b\.json `data\.findings\[0\]\.risk_level`: /),
      'data.findings[0].risk_level',
    ])
  })

  it('names the field of a malformed snapshot, with the baseline code', () => {
    const snapshot = baseTenant().build()
    delete (snapshot.mailboxes[0]!.mailbox as Record<string, unknown>).UserPrincipalName
    expect(code(() => parseBaseline(JSON.stringify(snapshot), 'base.json'))).toEqual([
      'INVALID_BASELINE',
      expect.stringMatching(/^base\.json: snapshot `mailboxes\[0\]\.mailbox\.UserPrincipalName`/),
      'mailboxes[0].mailbox.UserPrincipalName',
    ])
  })

  it('reads UTF-16 files as PowerShell writes them', async () => {
    const text = `\ufeff${formatReport(await audit(baseTenant()), 'json')}`
    const bytes = new Uint8Array(text.length * 2)
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8
    }
    expect(parseBaseline(bytes).kind).toBe('report')
  })
})
