/**
 * Which mailboxes the incremental hidden-rule sweep reads with Get-InboxRule -IncludeHidden,
 * and why: the plan alone, without a tenant to call.
 */
import { describe, expect, it } from 'vitest'
import type { AuditLog } from '../../core/model/tenant.ts'
import { normalizeAuditRecords } from '../../core/normalize/audit-record.ts'
import { normalizeMailbox } from '../../core/normalize/mailbox.ts'
import { planHiddenSweep } from '../../core/sources/live/hidden-sweep.ts'
import {
  newInboxRuleRecord,
  setMailboxRecord,
  smtpTarget,
  tenant,
  updateInboxRulesRecord,
} from './tenant-builder.ts'

const A = 'adam@contoso.com'
const B = 'megan@contoso.com'
const C = 'lee@contoso.com'
const built = tenant().mailbox(A).mailbox(B).mailbox(C).build()
const mailboxes = built.mailboxes.map((e) => normalizeMailbox(e.mailbox as never))

const log = (records: Record<string, unknown>[], extra: Partial<AuditLog> = {}): AuditLog => ({
  read: true,
  start: '2026-08-22T09:00:00.000Z',
  end: '2026-11-20T09:00:00.000Z',
  records: normalizeAuditRecords(records),
  notes: [],
  ...extra,
})

describe('the hidden-rule sweep plan', () => {
  it('`changed` sweeps every mailbox when the log read hit its cap: any record may be missing', () => {
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log(
        [newInboxRuleRecord({ mailbox: A, ruleName: 'x', time: '2026-11-10T08:00:00', actor: A })],
        { truncated: true }
      ),
    })
    expect([A, B, C].map((upn) => plan.sweeps(upn))).toEqual([true, true, true])
    expect(plan.summary()).toMatchObject({
      mode: 'all',
      requested: 'changed',
      swept: 3,
      note: expect.stringMatching(/cut short at its record cap/),
    })
  })

  it('`changed` sweeps the mailboxes whose rules the log shows changing, and says which change', () => {
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([
        newInboxRuleRecord({ mailbox: A, ruleName: 'x', time: '2026-11-10T08:00:00', actor: A }),
        updateInboxRulesRecord({
          mailbox: B,
          ruleName: ' ',
          time: '2026-11-11T09:30:00',
          actor: B,
        }),
        // Mailbox forwarding is no rule change: Get-Mailbox already shows it.
        setMailboxRecord({
          mailbox: C,
          time: '2026-11-12T10:00:00',
          actor: C,
          parameters: { ForwardingSmtpAddress: 'x@evil.example' },
        }),
      ]),
    })
    expect([A, B, C].map((upn) => plan.sweeps(upn))).toEqual([true, true, false])
    expect(plan.summary()).toEqual({
      mode: 'changed',
      requested: 'changed',
      swept: 2,
      swept_mailboxes: [
        { mailbox: A, reason: `New-InboxRule 2026-11-10 08:00 by ${A}` },
        { mailbox: B, reason: `UpdateInboxRules 2026-11-11 09:30 by ${B}` },
      ],
      from_baseline: 0,
      not_swept: 1,
    })
  })

  it('`changed` also sweeps a mailbox whose changes the log cannot show', () => {
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([]),
      auditing: { mailboxAuditingByDefault: false, bypassed: [], unread: [] },
    })
    expect(plan.sweeps(C)).toBe(true)
    expect(plan.summary().swept_mailboxes?.[0]?.reason).toMatch(/mailbox auditing is off/)
  })

  it('an account that bypasses auditing may change any mailbox unlogged: `changed` sweeps every mailbox and says why', () => {
    // Lee's hidden rule made in Adam's mailbox (full access, MAPI) leaves no UpdateInboxRules.
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([]),
      auditing: { bypassed: ['lee'], unread: [] },
    })
    expect([A, B, C].map((upn) => plan.sweeps(upn))).toEqual([true, true, true])
    expect(plan.summary()).toMatchObject({ mode: 'all', requested: 'changed', swept: 3 })
    expect(plan.summary().note).toMatch(/1 account\(s\) bypass mailbox auditing \(lee\)/)
  })

  it('an unread bypass list is no proof that nobody bypasses auditing: `changed` sweeps every mailbox', () => {
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([]),
      auditing: {
        bypassed: [],
        unread: ['Get-MailboxAuditBypassAssociation not read: the app may not run it'],
      },
    })
    expect(plan.summary()).toMatchObject({ mode: 'all', swept: 3 })
    expect(plan.summary().note).toMatch(/which accounts bypass mailbox auditing is unknown/)
  })

  it('`changed` without a readable log sweeps everything and says why', () => {
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: { read: false, records: [], notes: ['no permission'] },
    })
    expect(plan.sweeps(A) && plan.sweeps(B) && plan.sweeps(C)).toBe(true)
    expect(plan.summary()).toMatchObject({ mode: 'all', requested: 'changed', swept: 3 })
    expect(plan.summary().note).toMatch(/not read \(see summary\.audit_log\)/)
    expect(plan.summary().note).not.toContain('no permission')
  })

  it('a baseline gives the hidden rules of mailboxes not swept, and none of those swept', () => {
    const baseline = tenant()
      .mailbox(A)
      .mailbox(B)
      .inboxRule(B, { Name: ' ', RedirectTo: [smtpTarget('drop@evil.example')] })
      .inboxRule(B, { Name: 'Visible', ForwardTo: [smtpTarget('me@home.example')] })
      .graphRule(B, { displayName: 'Visible' })
      .noGraphRules(A)
      .build()
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([
        newInboxRuleRecord({ mailbox: A, ruleName: 'x', time: '2026-11-10T08:00:00', actor: A }),
      ]),
      baseline: baseline as never,
    })
    expect(plan.baselineHidden(A)).toBeUndefined()
    expect(plan.baselineHidden(B)?.map((r) => r.Name)).toEqual([' '])
    expect(plan.baselineHidden(C)).toBeUndefined()
    expect(plan.summary()).toMatchObject({ swept: 1, from_baseline: 1, not_swept: 1 })
  })

  it('a baseline older than the log window is named: changes between them are not seen', () => {
    const baseline = { ...tenant().mailbox(A).build(), capturedAt: '2026-06-01T00:00:00Z' }
    const plan = planHiddenSweep({
      requested: 'changed',
      mailboxes,
      log: log([]),
      baseline: baseline as never,
    })
    expect(plan.summary().note).toMatch(/older than the audit log window.*read at least 174 days/)
  })

  it('`off` sweeps nothing; `all` sweeps everything and lists nobody', () => {
    const off = planHiddenSweep({ requested: 'off', mailboxes })
    expect(off.sweeps(A)).toBe(false)
    expect(off.summary()).toEqual({
      mode: 'off',
      requested: 'off',
      swept: 0,
      from_baseline: 0,
      not_swept: 3,
    })
    const all = planHiddenSweep({ requested: 'all', mailboxes })
    expect(all.summary()).toEqual({
      mode: 'all',
      requested: 'all',
      swept: 3,
      from_baseline: 0,
      not_swept: 0,
    })
  })
})
