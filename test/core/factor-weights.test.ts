/**
 * One risk table drives the scores: every factor in every report carries its table weight, with
 * no exception. The floor that keeps a blocked attacker rule high is a factor of its own
 * (`blocked_but_malicious`, core/risk/floor.ts), not an adjustment of another factor's score.
 */
import { describe, expect, it } from 'vitest'
import { RISK_TABLE, type RiskCategory } from '../../core/index.ts'
import { auditDemo, DEMO_REQUEST } from '../demo-audit.ts'
import {
  daysBeforeCapture,
  exTarget,
  findingsOf,
  newInboxRuleRecord,
  newTransportRuleRecord,
  setMailboxRecord,
  smtpTarget,
  tenant,
} from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const BEN = 'b.schulz@contoso.com'
const KEMAL = 'k.yilmaz@contoso.com'
/** The default outbound spam policy with AutoForwardingMode Automatic: external auto-forward off. */
const FORWARDING_OFF = {
  policies: [{ Name: 'Default', IsDefault: true, AutoForwardingMode: 'Automatic' }],
}

/** Mailbox forwarding, inbox rules of every action, transport rules of every mode, and history. */
const varied = () =>
  tenant()
    .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:alex.private@gmail.com' })
    .mailbox(BEN, { HiddenFromAddressListsEnabled: true })
    .mailbox(KEMAL)
    // New, hidden and disabled: every sign an internal destination can carry.
    .mailbox('svc-sync@contoso.com', {
      HiddenFromAddressListsEnabled: true,
      WhenCreatedUTC: '2026-11-14T02:10:00.0000000Z',
      AccountDisabled: true,
    })
    .inboxRule(BEN, {
      Name: '.',
      SubjectOrBodyContainsWords: [' ', 'invoice'],
      RedirectTo: [smtpTarget('payments@c0ntoso.com')],
      MoveToFolder: 'b.schulz@contoso.com:\\RSS Feeds',
      MarkAsRead: true,
      StopProcessingRules: true,
    })
    .inboxRule(BEN, {
      Name: 'Cleanup',
      SubjectContainsWords: ['Wire transfer'],
      ForwardTo: [smtpTarget('drop@evil.example')],
      MoveToFolder: 'Deleted Items',
      DeleteMessage: true,
    })
    .inboxRule(BEN, { Name: 'Old', Enabled: false, ForwardTo: [smtpTarget('old@gmail.com')] })
    .noGraphRules(BEN)
    .inboxRule(KEMAL, { Name: 'Sync', ForwardTo: [exTarget('svc-sync@contoso.com')] })
    .inboxRule(KEMAL, { Name: 'Backup', ForwardTo: [smtpTarget('drop@evil.example')] })
    .inboxRule(KEMAL, {
      Name: 'Hidden copies',
      SubjectContainsWords: ['board'],
      ForwardTo: [
        smtpTarget('k7@mozmail.com'),
        smtpTarget('board@mailinator.com'),
        smtpTarget('journal@archive.mimecast.com'),
      ],
    })
    .transportRule({ Name: 'Bcc all', BlindCopyTo: ['svc-retention@contoso-archive.net'] })
    .transportRule({ Name: 'Trial', Mode: 'Audit', RedirectMessageTo: 'x@evil.example' })
    .transportRule({ Name: 'Relay', State: 'Disabled', RouteMessageOutboundConnector: 'Relay' })
    .outboundConnector({
      Name: 'Relay',
      UseMXRecord: false,
      SmartHosts: ['smtp.c0ntoso-relay.com'],
      WhenCreatedUTC: '2026-11-14T02:19:02.0000000Z',
    })
    .journalRule({ Name: 'Vault', JournalEmailAddress: 'journal@ledgerline.example' })
    .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('alex.sync@evil.example')] })
    // Kemal's account bypasses mailbox auditing: a gap on his forwarding.
    .auditing({ bypass: ['k.yilmaz'] })
    .audit(
      newInboxRuleRecord({ mailbox: BEN, ruleName: '.', time: daysBeforeCapture(2), actor: BEN }),
      newTransportRuleRecord({ ruleName: 'Bcc all', time: daysBeforeCapture(1), actor: KEMAL }),
      // One account on three mailboxes within minutes: a spray.
      ...[BEN, KEMAL, ALEX].map((mailbox, i) =>
        newInboxRuleRecord({
          mailbox,
          ruleName: mailbox === BEN ? 'Cleanup' : 'Sync',
          time: `2026-11-17T02:0${i}:00`,
          actor: 'it-support2@contoso.com',
        })
      )
    )
    // One account setting forwarding three times in ten minutes: a spray.
    .audit(
      ...[ALEX, KEMAL, KEMAL].map((mailbox, i) => {
        const time = daysBeforeCapture(3).replace(/:\d\d:/, `:${String(10 + i * 5)}:`)
        const actor = 'helpdesk@contoso.com'
        return mailbox === ALEX
          ? setMailboxRecord({
              mailbox,
              actor,
              time,
              parameters: { ForwardingSmtpAddress: 'smtp:alex.private@gmail.com' },
            })
          : newInboxRuleRecord({
              mailbox,
              actor,
              time,
              ruleName: i === 1 ? 'Sync' : 'Backup',
              parameters: { ForwardTo: i === 1 ? 'svc-sync@contoso.com' : 'drop@evil.example' },
            })
      })
    )

describe('risk factor scores', () => {
  it('every factor in every report carries its table weight', async () => {
    const findings = [
      ...(await auditDemo()).data.findings,
      ...(await findingsOf(varied(), DEMO_REQUEST)),
      // The same tenant with external auto-forwarding off: blocked, malicious-looking and not.
      ...(await findingsOf(varied().controls(FORWARDING_OFF), DEMO_REQUEST)),
    ]
    const seen = new Set<string>()
    for (const finding of findings) {
      for (const factor of finding.risk_factors) {
        const where = `${factor.category} on ${finding.user} → ${finding.destination}`
        expect(Object.keys(RISK_TABLE), where).toContain(factor.category)
        seen.add(factor.category)
        expect(factor.score, where).toBe(RISK_TABLE[factor.category as RiskCategory].weight)
      }
    }
    // Otherwise a factor missing from these tenants would escape the check above.
    expect([...seen].sort(), 'factors these tenants produce').toEqual(
      Object.keys(RISK_TABLE).sort()
    )
  })
})
