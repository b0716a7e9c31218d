/**
 * What the audit reports, through runAudit: one finding per destination, hidden rules by diff,
 * how targets resolve, mailbox forwarding, the request's filters and scope, ids and counts.
 */
import { describe, expect, it } from 'vitest'
import { loadFreemailTest } from '../../core/analysis/freemail.ts'
import { parseAllowlist } from '../../core/index.ts'
import {
  audit,
  categoriesOf,
  daysBeforeCapture,
  exTarget,
  findingsOf,
  newInboxRuleRecord,
  onlyFinding,
  smtpTarget,
  tenant,
} from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const BEN = 'b.schulz@contoso.com'

describe('findings', () => {
  it('a rule with two destinations makes one finding per destination', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Forward reports to SOC',
          ForwardAsAttachmentTo: [
            smtpTarget('reports@phishalarm.example', 'PhishAlarm'),
            '"SOC" [SMTP:soc@contoso.com]',
          ],
        })
    )
    expect(findings.map((f) => [f.destination, f.external, f.action]).sort()).toEqual([
      ['reports@phishalarm.example', true, 'forward_as_attachment'],
      ['soc@contoso.com', false, 'forward_as_attachment'],
    ])
  })

  it('a rule forwarding and redirecting to the same address is one finding with both kinds', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Both',
          ForwardTo: [smtpTarget('drop@evil.example', 'Box')],
          RedirectTo: ['"drop" [SMTP:DROP@evil.example]'],
        })
    )
    expect(finding.destination).toBe('drop@evil.example')
    expect(finding.action).toBe('forward, redirect')
    expect(finding.type).toBe('inbox_rule')
    expect(finding.rule_name).toBe('Both')
    expect(finding.actions).toEqual([
      'forward to drop@evil.example',
      'redirect to drop@evil.example',
    ])
  })

  it('a rule that only moves or deletes mail is not a finding', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Newsletters',
          SubjectContainsWords: ['Newsletter'],
          MoveToFolder: 'alex.wilber@contoso.com:\\RSS Feeds',
          DeleteMessage: true,
        })
    )
    expect(findings).toEqual([])
  })

  it('a finding carries the rule’s readable conditions and actions', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Vendor payments',
          SubjectContainsWords: ['payment'],
          RedirectTo: [smtpTarget('payments@c0ntoso.com', 'Contoso Payments')],
          StopProcessingRules: true,
        })
    )
    expect(finding.conditions).toEqual(["subject contains 'payment'"])
    expect(finding.actions).toEqual([
      'redirect to payments@c0ntoso.com',
      'stop processing more rules',
    ])
  })
})

describe('built-in rules', () => {
  it('built-in hidden rules (junk filter, out of office) are never findings', async () => {
    const report = await audit(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Junk E-mail Rule', Priority: 0 })
        .inboxRule(ALEX, { Name: 'Microsoft.Exchange.OOF.InternalSenders.Global' })
        .inboxRule(ALEX, { Name: 'Microsoft.Exchange.OOF.AllExternalSenders.Global' })
        .noGraphRules(ALEX)
    )
    expect(report.data.findings).toEqual([])
    expect(report.meta.total_findings).toBe(0)
  })

  it('the delegate rule that forwards meeting requests to an internal delegate is not a finding', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .mailbox('p.novak@contoso.com')
        .inboxRule(ALEX, {
          Name: '',
          Provider: 'Schedule+ EMS Interface',
          ForwardTo: [exTarget('p.novak@contoso.com', 'Petra Novak')],
        })
        .noGraphRules(ALEX)
    )
    expect(findings).toEqual([])
  })

  it('a rule with a built-in name that forwards to an external address is a finding', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Junk E-mail Rule',
          ForwardTo: [smtpTarget('drop@evil.example')],
        })
        .noGraphRules(ALEX)
    )
    expect(finding.rule_name).toBe('Junk E-mail Rule')
    expect(finding.hidden).toBe(true)
    expect(categoriesOf(finding)).toContain('suspicious_rule_name')
  })

  it('a rule with a built-in name that forwards inside the tenant is a finding too', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox('p.novak@contoso.com')
        .inboxRule(ALEX, {
          Name: 'Microsoft.Exchange.OOF.InternalSenders.Global',
          ForwardTo: [exTarget('p.novak@contoso.com', 'Petra Novak')],
        })
        .noGraphRules(ALEX)
    )
    expect(finding.external).toBe(false)
    expect(categoriesOf(finding)).toContain('suspicious_rule_name')
  })
})

describe('hidden rules', () => {
  const forwardRule = { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] }

  it('an Exchange rule without a same-named Graph rule is hidden', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, forwardRule)
        .graphRule(ALEX, { displayName: 'Other rule', actions: { markAsRead: true } })
    )
    expect(finding.hidden).toBe(true)
  })

  it('an Exchange rule Graph also lists (names compared case-insensitively) is not hidden', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, forwardRule)
        .graphRule(ALEX, {
          displayName: 'SYNC',
          actions: { forwardTo: [{ emailAddress: { address: 'drop@evil.example' } }] },
        })
    )
    expect(finding.hidden).toBe(false)
  })

  it('a rule Graph lists as an opaque read-only shell is not hidden', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { ...forwardRule, ReceivedBeforeDate: '2027-01-01T00:00:00' })
        .graphRule(ALEX, { displayName: 'Sync', isReadOnly: true })
    )
    expect(finding.hidden).toBe(false)
    expect(finding.conditions).toEqual(["received before '2027-01-01T00:00:00'"])
  })

  it('two same-named Exchange rules and one Graph rule: the second is hidden', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('b@evil.example')] })
        .graphRule(ALEX, { displayName: 'Sync' })
    )
    const hidden = Object.fromEntries(findings.map((f) => [f.destination, f.hidden]))
    expect(hidden).toEqual({ 'a@evil.example': false, 'b@evil.example': true })
  })

  it('a hidden forward cannot hide behind a visible rule of the same name that does not forward', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Newsletters', ForwardTo: [smtpTarget('drop@evil.example')] })
        .inboxRule(ALEX, {
          Name: 'Newsletters',
          SubjectContainsWords: ['Digest'],
          MarkAsRead: true,
        })
        .graphRule(ALEX, {
          displayName: 'Newsletters',
          conditions: { subjectContains: ['Digest'] },
          actions: { markAsRead: true },
        })
    )
    expect(findings.map((f) => [f.destination, f.hidden])).toEqual([['drop@evil.example', true]])
  })

  it('a hidden forward cannot pass as the visible same-named rule Graph shows forwarding elsewhere', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('boss@contoso.com')] })
        .graphRule(ALEX, {
          displayName: 'Sync',
          actions: { forwardTo: [{ emailAddress: { address: 'BOSS@contoso.com' } }] },
        })
    )
    const hidden = Object.fromEntries(findings.map((f) => [f.destination, f.hidden]))
    expect(hidden).toEqual({ 'drop@evil.example': true, 'boss@contoso.com': false })
  })

  it('a forward Graph lists and Exchange does not (read at another moment) is still a finding', async () => {
    const graphForward = {
      displayName: 'Sync',
      actions: { forwardTo: [{ emailAddress: { address: 'drop@evil.example' } }] },
    }
    const absent = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Other', MarkAsRead: true })
        .graphRule(ALEX, graphForward)
    )
    expect([absent.destination, absent.hidden]).toEqual(['drop@evil.example', false])
    const notForwarding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', MarkAsRead: true })
        .graphRule(ALEX, graphForward)
    )
    expect(notForwarding.destination).toBe('drop@evil.example')
    const emptyList = await onlyFinding(
      tenant().mailbox(ALEX).noGraphRules(ALEX).graphRule(ALEX, graphForward).withBothViews()
    )
    expect(emptyList.destination).toBe('drop@evil.example')
  })

  it('with only the Exchange list, no rule can be called hidden', async () => {
    const finding = await onlyFinding(tenant().mailbox(ALEX).inboxRule(ALEX, forwardRule))
    expect(finding.hidden).toBe(false)
    expect(categoriesOf(finding)).not.toContain('hidden_rule')
  })

  it('with only the Graph list, its forwarding rules are findings and none is hidden', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .graphRule(ALEX, {
          displayName: 'From partner',
          conditions: { senderContains: ['ADELE'] },
          actions: { forwardTo: [{ emailAddress: { name: 'Box', address: 'drop@evil.example' } }] },
        })
    )
    expect(finding.hidden).toBe(false)
    expect(finding.conditions).toEqual(["sender contains 'ADELE'"])
  })
})

describe('destinations', () => {
  it('an [EX:] target resolves to the mailbox’s address and is internal', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox('svc-sync@contoso.com')
        .inboxRule(ALEX, { Name: 'Mailbox sync', ForwardTo: [exTarget('svc-sync@contoso.com')] })
    )
    expect(finding.destination).toBe('svc-sync@contoso.com')
    expect(finding.external).toBe(false)
    expect(categoriesOf(finding)).not.toContain('external_forwarding')
  })

  it('an [EX:] target naming a mail contact forwards out to the contact’s external address', async () => {
    const snapshot = tenant()
      .mailbox(ALEX)
      .mailContact('Fabrikam Project Team', 'project.team@fabrikam.com')
    const contactDn = String(snapshot.snapshot.recipients?.[0]?.LegacyExchangeDN)
    const finding = await onlyFinding(
      snapshot.inboxRule(ALEX, { Name: 'Partner', ForwardTo: [`"Fabrikam" [EX:${contactDn}]`] })
    )
    expect(finding.destination).toBe('project.team@fabrikam.com')
    expect(finding.external).toBe(true)
  })

  it('an [EX:] target nobody knows is external and shown as written', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Rob',
          SubjectContainsWords: ['g2o-test-forward'],
          ForwardTo: [
            '"Rob Knight" [EX:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b]',
          ],
        })
    )
    expect(finding.destination).toMatch(/^"Rob Knight" \[EX:\/o=ExchangeLabs\//)
    expect(finding.external).toBe(true)
  })

  it('ForwardingAddress naming a mail contact resolves to its external address and is external', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('project.atlas@contoso.com', {
          RecipientTypeDetails: 'SharedMailbox',
          ForwardingAddress: 'Fabrikam Project Team',
          DeliverToMailboxAndForward: true,
        })
        .mailContact('Fabrikam Project Team', 'project.team@fabrikam.com')
    )
    expect(finding).toMatchObject({
      type: 'smtp_forwarding',
      destination: 'project.team@fabrikam.com',
      external: true,
      action: 'forwarding_address',
      is_enabled: true,
      delivers_copy: true,
      rule_name: null,
    })
  })

  it('ForwardingAddress naming a mailbox by alias resolves to its address and is internal', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('m.keller@contoso.com', {
          ForwardingAddress: 's.brandt',
          DeliverToMailboxAndForward: true,
        })
        .mailbox('s.brandt@contoso.com')
    )
    expect(finding.destination).toBe('s.brandt@contoso.com')
    expect(finding.external).toBe(false)
  })

  it('an [SMTP:] target that is a mail contact’s address forwards to its external address', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailContact('Partner relay', 'relay@contoso.com', {
          ExternalEmailAddress: 'SMTP:inbox@fabrikam.com',
        })
        .inboxRule(ALEX, { Name: 'Relay', ForwardTo: [smtpTarget('relay@contoso.com')] })
    )
    expect(finding.destination).toBe('inbox@fabrikam.com')
    expect(finding.external).toBe(true)
  })

  it('a forward to a recipient in an InternalRelay domain is internal; to an ExternalRelay domain is external', async () => {
    const findings = await findingsOf(
      tenant()
        .acceptedDomain('contoso-labs.com', 'InternalRelay')
        .acceptedDomain('legacy.contoso-mail.com', 'ExternalRelay')
        .mailbox('lab@contoso-labs.com')
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'Labs',
          ForwardTo: [
            smtpTarget('lab@contoso-labs.com'),
            smtpTarget('old@legacy.contoso-mail.com'),
          ],
        })
    )
    const external = Object.fromEntries(findings.map((f) => [f.destination, f.external]))
    expect(external).toEqual({
      'lab@contoso-labs.com': false,
      'old@legacy.contoso-mail.com': true,
    })
  })

  it('a forward to an internal recipient hidden from address lists (known from Get-Recipient) is flagged', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, { ForwardingAddress: 'svc-sync', DeliverToMailboxAndForward: true })
        .recipient({
          Identity: 'svc-sync',
          Name: 'svc-sync',
          Alias: 'svc-sync',
          PrimarySmtpAddress: 'svc-sync@contoso.com',
          RecipientTypeDetails: 'UserMailbox',
          HiddenFromAddressListsEnabled: true,
        })
    )
    expect(finding.destination).toBe('svc-sync@contoso.com')
    expect(categoriesOf(finding)).toContain('hidden_from_address_list')
  })
})

describe('mailbox forwarding', () => {
  it('ForwardingAddress and ForwardingSmtpAddress both set: the SMTP one is not in effect', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX, {
          ForwardingAddress: 's.brandt',
          ForwardingSmtpAddress: 'smtp:alex.private@gmail.com',
          DeliverToMailboxAndForward: true,
        })
        .mailbox('s.brandt@contoso.com')
    )
    const byAction = Object.fromEntries(findings.map((f) => [f.action, f]))
    expect(byAction.forwarding_address?.is_enabled).toBe(true)
    expect(byAction.forwarding_smtp_address?.is_enabled).toBe(false)
    expect(byAction.forwarding_smtp_address?.destination).toBe('alex.private@gmail.com')
    expect(categoriesOf(byAction.forwarding_smtp_address!)).toContain('disabled')
  })

  it('DeliverToMailboxAndForward false: no copy is kept', async () => {
    const finding = await onlyFinding(
      tenant().mailbox('r.vogel@contoso.com', {
        ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com',
        DeliverToMailboxAndForward: false,
      })
    )
    expect(finding.delivers_copy).toBe(false)
    expect(categoriesOf(finding)).toContain('no_copy_kept')
    expect(finding.actions).toEqual([
      'ForwardingSmtpAddress cfo.personal@protonmail.com',
      'keep no copy in the mailbox',
    ])
  })

  it('DeliverToMailboxAndForward true: a copy is kept', async () => {
    const finding = await onlyFinding(
      tenant().mailbox('r.vogel@contoso.com', {
        ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com',
        DeliverToMailboxAndForward: true,
      })
    )
    expect(finding.delivers_copy).toBe(true)
    expect(categoriesOf(finding)).not.toContain('no_copy_kept')
  })

  it('inbox rule findings carry no delivers_copy', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
    )
    expect(finding).not.toHaveProperty('delivers_copy')
  })

  it('the freemail list loads once, on first use, with the providers the package lacks', async () => {
    const first = loadFreemailTest()
    expect(loadFreemailTest()).toBe(first)
    const isFreemail = await first
    expect(['gmail.com', 'protonmail.com', 'tuta.com'].map(isFreemail)).toEqual([true, true, true])
    expect(isFreemail('contoso.com')).toBe(false)
  })
})

/** Three mailboxes: low internal, medium external, high SMTP forward. */
const threeLevels = () =>
  tenant()
    .mailbox('k.yilmaz@contoso.com')
    .mailbox('p.novak@contoso.com')
    .mailbox(ALEX)
    .mailbox('r.vogel@contoso.com', {
      ForwardingSmtpAddress: 'smtp:r.vogel@fabrikam.com',
      DeliverToMailboxAndForward: true,
    })
    .inboxRule('k.yilmaz@contoso.com', {
      Name: 'Weekly pipeline report',
      SubjectContainsWords: ['pipeline'],
      ForwardTo: [exTarget('p.novak@contoso.com', 'Petra Novak')],
    })
    .inboxRule(ALEX, {
      Name: 'Project Atlas',
      SubjectContainsWords: ['Project Atlas'],
      ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
    })

describe('filters', () => {
  it('external_only drops internal destinations and counts them as filtered out', async () => {
    const report = await audit(threeLevels(), { all_users: true, external_only: true })
    expect(report.data.findings.map((f) => f.destination).sort()).toEqual([
      'j.doe@fabrikam.com',
      'r.vogel@fabrikam.com',
    ])
    expect(report.data.summary.filtered_out).toBe(1)
  })

  it.each([
    ['low', 3],
    ['medium', 2],
    ['high', 1],
    ['critical', 0],
  ])('risk_threshold %s keeps %i findings', async (threshold, kept) => {
    const report = await audit(threeLevels(), { all_users: true, risk_threshold: threshold })
    expect(report.data.findings).toHaveLength(kept)
    expect(report.data.summary.filtered_out).toBe(3 - kept)
  })

  it('since drops dated older findings and keeps undated ones, marked', async () => {
    const snapshot = tenant()
      .mailbox(ALEX)
      .mailbox(BEN)
      .mailbox('e.rossi@contoso.com')
      .inboxRule(ALEX, { Name: 'Old', ForwardTo: [smtpTarget('old@evil.example')] })
      .inboxRule(BEN, { Name: 'New', ForwardTo: [smtpTarget('new@evil.example')] })
      .inboxRule('e.rossi@contoso.com', {
        Name: 'Undated',
        ForwardTo: [smtpTarget('undated@evil.example')],
      })
      .audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Old',
          time: '2026-03-01T10:00:00',
          actor: ALEX,
        }),
        newInboxRuleRecord({
          mailbox: BEN,
          ruleName: 'New',
          time: '2026-10-01T10:00:00',
          actor: BEN,
        })
      )
    const report = await audit(snapshot, { all_users: true, since: '2026-06-01' })
    const kept = Object.fromEntries(
      report.data.findings.map((f) => [f.destination, [f.created_at, f.created_at_unknown]])
    )
    expect(kept).toEqual({
      'new@evil.example': ['2026-10-01T10:00:00.000Z', undefined],
      'undated@evil.example': [null, true],
    })
    expect(report.data.summary.filtered_out).toBe(1)
  })

  it('runs since, then risk_threshold, then external_only, and counts each finding against the first that removes it', async () => {
    // p.novak (internal, low), j.doe (external, medium), r.vogel (external, high): all dated
    // except r.vogel's forward; j.doe's rule predates `since`.
    const snapshot = threeLevels().audit(
      newInboxRuleRecord({
        mailbox: ALEX,
        ruleName: 'Project Atlas',
        time: '2026-03-01T10:00:00',
        actor: ALEX,
      }),
      newInboxRuleRecord({
        mailbox: 'k.yilmaz@contoso.com',
        ruleName: 'Weekly pipeline report',
        time: '2026-10-01T10:00:00',
        actor: 'k.yilmaz@contoso.com',
      })
    )
    const report = await audit(snapshot, {
      all_users: true,
      since: '2026-06-01',
      risk_threshold: 'medium',
      external_only: true,
    })
    // j.doe is old and medium: since removes it first. p.novak is new, low and internal:
    // risk_threshold removes it before external_only sees it.
    expect(report.data.summary.filtered_out_by).toEqual({
      since: 1,
      risk_threshold: 1,
      external_only: 0,
    })
    expect(report.data.summary.filtered_out).toBe(2)
    expect(report.data.findings.map((f) => f.destination)).toEqual(['r.vogel@fabrikam.com'])
  })

  it('the allowlist runs after the filters: a filtered finding is counted as filtered, not suppressed', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ destination: 'p.novak@contoso.com', reason: 'weekly report to the manager' }],
    })
    const report = await audit(
      threeLevels(),
      { all_users: true, external_only: true },
      { allowlist }
    )
    expect(report.data.summary.filtered_out_by.external_only).toBe(1)
    expect(report.data.summary.suppressed).toBe(0)
  })

  it('without since, undated findings are not marked', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'x1', ForwardTo: [smtpTarget('a@evil.example')] })
    )
    expect(finding.created_at).toBeNull()
    expect(finding).not.toHaveProperty('created_at_unknown')
  })

  it('include_inbox_rules false yields no inbox rule findings, but mailbox forwarding still', async () => {
    const report = await audit(threeLevels(), { all_users: true, include_inbox_rules: false })
    expect(report.data.findings.map((f) => f.type)).toEqual(['smtp_forwarding'])
    expect(report.data.summary.sources).not.toContain('snapshot:Get-InboxRule')
  })

  it('transport rules are read only with include_transport_rules', async () => {
    const snapshot = tenant().transportRule({
      Name: 'Compliance Retention Sync',
      BlindCopyTo: ['svc-retention@contoso-archive.net'],
    })
    expect(await findingsOf(snapshot)).toEqual([])
    const finding = await onlyFinding(snapshot, { all_users: true, include_transport_rules: true })
    expect(finding).toMatchObject({
      type: 'transport_rule',
      user: 'organization',
      destination: 'svc-retention@contoso-archive.net',
      action: 'bcc',
      rule_name: 'Compliance Retention Sync',
    })
  })

  it('a transport rule that sends every message to an outside moderator is a finding', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Approval',
        ModerateMessageByUser: ['approver@evil.example'],
      }),
      { all_users: true, include_transport_rules: true }
    )
    expect(finding).toMatchObject({
      action: 'moderate',
      destination: 'approver@evil.example',
      external: true,
    })
    expect(finding.actions).toEqual(['send for moderation to approver@evil.example'])
  })

  it('transport rules are reported even when the user scope names one mailbox', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .transportRule({ Name: 'Bcc', BlindCopyTo: ['a@evil.example'] }),
      { user: ALEX, include_transport_rules: true }
    )
    expect(findings.map((f) => f.type)).toEqual(['transport_rule'])
  })
})

describe('scope', () => {
  it('user reads only that mailbox', async () => {
    const report = await audit(threeLevels().withBothViews(), { user: 'R.Vogel@contoso.com' })
    expect(report.data.findings.map((f) => f.user)).toEqual(['r.vogel@contoso.com'])
    expect(report.data.summary).toMatchObject({
      mailboxes_requested: 1,
      mailboxes_scanned: 1,
      mailboxes_skipped: 0,
      complete: true,
    })
  })

  it('a mailbox can be named by any of its SMTP addresses', async () => {
    const report = await audit(threeLevels(), { user: 'r.vogel@contoso.onmicrosoft.com' })
    expect(report.data.findings.map((f) => f.user)).toEqual(['r.vogel@contoso.com'])
  })

  it('users reads those mailboxes; a missing one is skipped and the audit is incomplete', async () => {
    const report = await audit(threeLevels().withBothViews(), {
      users: [ALEX, 'k.yilmaz@contoso.com', 'ghost@contoso.com'],
    })
    expect(new Set(report.data.findings.map((f) => f.user))).toEqual(
      new Set([ALEX, 'k.yilmaz@contoso.com'])
    )
    const summary = report.data.summary
    expect(summary.mailboxes_requested).toBe(3)
    expect(summary.mailboxes_scanned).toBe(2)
    expect(summary.mailboxes_skipped).toBe(1)
    expect(summary.skipped).toEqual([
      { mailbox: 'ghost@contoso.com', code: 'MAILBOX_NOT_FOUND', reason: expect.any(String) },
    ])
    expect(summary.complete).toBe(false)
    expect(summary.incomplete_reasons).toEqual(['1 mailbox(es) could not be read'])
  })

  it('unreadable mailboxes are named in skipped, the exporter’s code kept in the reason', async () => {
    const report = await audit(
      threeLevels().unreadable(
        'f.wagner@contoso.com',
        'MailboxNotEnabledForRESTAPI',
        'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'
      )
    )
    expect(report.data.summary.skipped).toEqual([
      {
        mailbox: 'f.wagner@contoso.com',
        code: 'MAILBOX_UNAVAILABLE',
        reason:
          'MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
      },
    ])
    expect(report.data.summary.mailboxes_scanned).toBe(4)
    expect(report.data.summary.complete).toBe(false)
  })

  it('an unreadable mailbox’s forwarding settings are still reported; it stays skipped', async () => {
    const snapshot = tenant().mailbox(ALEX)
    snapshot.unreadable('f.wagner@contoso.com', 'MailboxNotEnabledForRESTAPI', 'inactive')
    snapshot.snapshot.mailboxes[1]!.mailbox.ForwardingSmtpAddress = 'smtp:a@evil.example'
    const report = await audit(snapshot)
    expect(report.data.findings.map((f) => [f.user, f.destination])).toEqual([
      ['f.wagner@contoso.com', 'a@evil.example'],
    ])
    expect(report.data.summary.mailboxes_skipped).toBe(1)
  })

  it('a complete audit says so and names what it read', async () => {
    const report = await audit(threeLevels().withBothViews())
    expect(report.data.summary).toMatchObject({
      tenant: 'contoso.onmicrosoft.com',
      mailboxes_requested: 'all',
      mailboxes_scanned: 4,
      complete: true,
      incomplete_reasons: [],
      started_at: '2026-11-20T09:30:00.000Z',
    })
    expect(report.data.summary.sources).toEqual(
      expect.arrayContaining(['snapshot:Get-Mailbox', 'snapshot:Get-InboxRule'])
    )
  })
})

describe('ids and counts', () => {
  it('finding ids are stable across runs and differ per destination', async () => {
    const snapshot = tenant()
      .mailbox(ALEX)
      .inboxRule(ALEX, {
        Name: 'Two',
        ForwardTo: [smtpTarget('a@evil.example'), smtpTarget('b@evil.example')],
      })
    const first = await findingsOf(snapshot)
    const second = await findingsOf(snapshot)
    expect(first.map((f) => f.id)).toEqual(second.map((f) => f.id))
    expect(new Set(first.map((f) => f.id)).size).toBe(2)
    for (const finding of first) expect(finding.id).toMatch(/^[0-9a-f]{32}$/)
  })

  it('two same-named rules of one mailbox to one destination get different ids', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
    )
    expect(findings).toHaveLength(2)
    expect(findings[0]?.id).not.toBe(findings[1]?.id)
  })

  it('the id does not depend on the rule’s position or the other mailboxes', async () => {
    const alone = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
    )
    const crowded = await findingsOf(
      threeLevels().inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
    )
    expect(crowded.map((f) => f.id)).toContain(alone.id)
  })

  it('findings are sorted by score, highest first', async () => {
    const scores = (await findingsOf(threeLevels())).map((f) => f.risk_score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('meta counts match the findings and leave out suppressed ones', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ mailbox: 'r.vogel@contoso.com', reason: 'Auditor mailbox, approved CHG-20431' }],
    })
    const report = await audit(threeLevels(), { all_users: true }, { allowlist })
    const { findings, summary } = report.data
    const counted = findings.filter((f) => !f.suppressed)
    expect(findings).toHaveLength(3)
    expect(counted).toHaveLength(2)
    expect(report.meta.total_findings).toBe(2)
    expect(summary.suppressed).toBe(1)
    expect(report.meta).toMatchObject({ critical: 0, high: 0, medium: 1, low: 1 })
    expect(report.meta.by_type).toEqual({ inbox_rule: 2 })
    expect(summary.by_level).toEqual({ critical: 0, high: 0, medium: 1, low: 1 })
    expect(summary.by_type).toEqual(report.meta.by_type)
  })
})

it('a report built from the same snapshot twice is identical (the clock is injected)', async () => {
  const snapshot = threeLevels().audit(
    newInboxRuleRecord({
      mailbox: ALEX,
      ruleName: 'Project Atlas',
      time: daysBeforeCapture(3),
      actor: ALEX,
    })
  )
  expect(await audit(snapshot)).toEqual(await audit(snapshot))
})
