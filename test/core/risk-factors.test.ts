/**
 * Every risk factor in RISK_TABLE, each triggered by the smallest tenant that shows it, through
 * runAudit. The last test fails when a factor is added to the table without a test here.
 */
import { describe, expect, it } from 'vitest'
import { type Finding, RISK_TABLE, type RiskCategory, riskLevel } from '../../core/index.ts'
import {
  categoriesOf,
  cmdletRecord,
  daysBeforeCapture,
  exTarget,
  findingsOf,
  newInboxRuleRecord,
  onlyFinding,
  setInboxRuleRecord,
  setMailboxRecord,
  smtpTarget,
  tenant,
} from './tenant-builder.ts'

const exercised = new Set<RiskCategory>()

/** Assert the finding carries the factor with the table's weight, and count it as tested. */
function expectFactor(finding: Finding, category: RiskCategory): void {
  const factor = finding.risk_factors.find((f) => f.category === category)
  expect(factor, `${category} on ${finding.user} → ${finding.destination}`).toBeDefined()
  expect(factor?.score).toBe(RISK_TABLE[category].weight)
  expect(factor?.description).not.toBe('')
  exercised.add(category)
}

function expectNoFactor(finding: Finding, category: RiskCategory): void {
  expect(categoriesOf(finding), `${finding.user} → ${finding.destination}`).not.toContain(category)
}

const ALEX = 'alex.wilber@contoso.com'

/** Alex's mailbox with one Exchange inbox rule. */
const withRule = (rule: Record<string, unknown> & { Name: string }) =>
  tenant().mailbox(ALEX).inboxRule(ALEX, rule)

/** An external forward narrowed by a harmless condition, so only the factor under test is added. */
const narrowForward = (extra: Record<string, unknown> = {}) =>
  withRule({
    Name: 'Project Atlas',
    SubjectContainsWords: ['Project Atlas'],
    ForwardTo: [smtpTarget('j.doe@fabrikam.com', 'John Doe')],
    ...extra,
  })

describe('destination factors', () => {
  it('mailbox forwarding to another company is external_forwarding', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, {
        ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com',
        DeliverToMailboxAndForward: true,
      })
    )
    expect(finding.external).toBe(true)
    expectFactor(finding, 'external_forwarding')
  })

  it('forwarding to an accepted domain is not external_forwarding', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX, {
          ForwardingSmtpAddress: 'smtp:k.yilmaz@contoso.onmicrosoft.com',
          DeliverToMailboxAndForward: true,
        })
        .mailbox('k.yilmaz@contoso.com')
    )
    expect(findings).toHaveLength(1)
    expect(findings[0]?.external).toBe(false)
    expectNoFactor(findings[0]!, 'external_forwarding')
  })

  it('a forward to a free mail provider is free_email_provider only with flag_freemail', async () => {
    const snapshot = tenant().mailbox(ALEX, {
      ForwardingSmtpAddress: 'smtp:alex.private@gmail.com',
      DeliverToMailboxAndForward: true,
    })
    const flagged = await onlyFinding(snapshot, { all_users: true, flag_freemail: true })
    expectFactor(flagged, 'free_email_provider')
    expectNoFactor(await onlyFinding(snapshot), 'free_email_provider')
  })

  it('a company domain is never free_email_provider', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com' }),
      { all_users: true, flag_freemail: true }
    )
    expectNoFactor(finding, 'free_email_provider')
  })

  it.each([
    ['c0ntoso.com', 'one edit away'],
    ['contoso.co', 'one edit away, another suffix'],
    ['contoso-archive.net', 'the tenant name inside another domain'],
    ['contoso.com.evil.io', 'the accepted domain as a prefix'],
    ['contoso.net', 'the same name under another suffix'],
    ['contoso.co.uk', 'the same name under a two-level suffix'],
    ['contosso.onmicrosoft.com', 'another tenant one edit from this one'],
    ['contoso-it.onmicrosoft.com', 'another tenant with this one’s name in it'],
  ])('a forward to %s (%s) is lookalike_domain', async (domain) => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingSmtpAddress: `smtp:payments@${domain}` })
    )
    expectFactor(finding, 'lookalike_domain')
    expect(
      finding.risk_factors.find((f) => f.category === 'lookalike_domain')?.description
    ).toMatch(/contoso\.com/)
  })

  it.each([
    ['contoso.zendesk.com', 'a vendor subdomain named after the tenant'],
    ['fabrikam.com', 'an unrelated company'],
    ['gmail.com', 'a free mail provider'],
    ['northwind.onmicrosoft.com', 'an unrelated tenant'],
  ])('a forward to %s (%s) is not lookalike_domain', async (domain) => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingSmtpAddress: `smtp:support@${domain}` })
    )
    expectNoFactor(finding, 'lookalike_domain')
  })

  it('a forwarding mailbox hidden from address lists is hidden_from_address_list', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, {
        HiddenFromAddressListsEnabled: true,
        ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com',
      })
    )
    expectFactor(finding, 'hidden_from_address_list')
  })

  it('forwarding to an internal mailbox hidden from address lists is hidden_from_address_list', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox('svc-sync@contoso.com', { HiddenFromAddressListsEnabled: true })
        .inboxRule(ALEX, { Name: 'Mailbox sync', ForwardTo: [exTarget('svc-sync@contoso.com')] })
    )
    expect(finding.destination).toBe('svc-sync@contoso.com')
    expect(finding.external).toBe(false)
    expectFactor(finding, 'hidden_from_address_list')
  })

  it('forwarding between visible mailboxes is not hidden_from_address_list', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox('p.novak@contoso.com')
        .inboxRule(ALEX, {
          Name: 'Weekly pipeline report',
          SubjectContainsWords: ['Weekly pipeline'],
          ForwardTo: [exTarget('p.novak@contoso.com', 'Petra Novak')],
        })
    )
    expectNoFactor(finding, 'hidden_from_address_list')
  })
})

describe('destinations that hide who receives the mail', () => {
  it.each([
    'quiet.harbor.42@duck.com',
    'x7k2p@mozmail.com',
    'shop.alias@ben.anonaddy.com',
    'alias@simplelogin.io',
  ])('forwarding to the relay %s is relay_service', async (address) => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, {
        ForwardingSmtpAddress: `smtp:${address}`,
        DeliverToMailboxAndForward: true,
      })
    )
    expectFactor(finding, 'relay_service')
  })

  it('a relay is not a free mail provider, even where a freemail list names it (33mail.com)', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, {
        ForwardingSmtpAddress: 'smtp:shop@ben.33mail.com',
        DeliverToMailboxAndForward: true,
      }),
      { all_users: true, flag_freemail: true }
    )
    expectFactor(finding, 'relay_service')
    expectNoFactor(finding, 'free_email_provider')
  })

  it('a disposable mail domain is disposable_address, without flag_freemail', async () => {
    const finding = await onlyFinding(
      narrowForward({ ForwardTo: [smtpTarget('ap@mailinator.com')] })
    )
    expectFactor(finding, 'disposable_address')
  })

  it('an ordinary company domain is neither relay_service nor disposable_address', async () => {
    const finding = await onlyFinding(narrowForward())
    expectNoFactor(finding, 'relay_service')
    expectNoFactor(finding, 'disposable_address')
  })

  it('an inbox rule or mailbox forward to an archiving vendor is archive_service_forward; a transport rule is not', async () => {
    const findings = await findingsOf(
      narrowForward({ ForwardTo: [smtpTarget('journal@archive.mimecast.com')] })
        .mailbox('e.rossi@contoso.com', {
          ForwardingSmtpAddress: 'smtp:capture@eu.smarsh.com',
          DeliverToMailboxAndForward: true,
        })
        .transportRule({ Name: 'Archive', BlindCopyTo: ['journal@archive.mimecast.com'] }),
      { all_users: true, include_transport_rules: true }
    )
    const byType = Object.fromEntries(findings.map((f) => [f.type, f]))
    expectFactor(byType.inbox_rule!, 'archive_service_forward')
    expectFactor(byType.smtp_forwarding!, 'archive_service_forward')
    expectNoFactor(byType.transport_rule!, 'archive_service_forward')
  })
})

describe('rule condition factors', () => {
  it('a rule without conditions that forwards is match_all_forwarding', async () => {
    const finding = await onlyFinding(
      withRule({ Name: 'CRM sync', ForwardTo: [smtpTarget('dropbox.sales@outlook.com')] })
    )
    expectFactor(finding, 'match_all_forwarding')
  })

  it('mailbox forwarding is match_all_forwarding: it sends every message', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com' })
    )
    expectFactor(finding, 'match_all_forwarding')
  })

  it('a rule with a subject condition is not match_all_forwarding', async () => {
    expectNoFactor(await onlyFinding(narrowForward()), 'match_all_forwarding')
  })

  it.each([
    [' ', 'a space'],
    ['.', 'one character'],
    ['e;', 'a vowel with a semicolon'],
    ['\u0000', 'NUL'],
  ])('the subject word %j (%s) is broad_subject_match', async (word) => {
    const finding = await onlyFinding(
      withRule({
        Name: 'Sync',
        SubjectOrBodyContainsWords: [word],
        ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
      })
    )
    expectFactor(finding, 'broad_subject_match')
  })

  it('an ordinary subject phrase is not broad_subject_match', async () => {
    expectNoFactor(await onlyFinding(narrowForward()), 'broad_subject_match')
  })

  it.each([['invoice'], ['Wire transfer'], ['Rechnung'], ['ACH'], ['Password reset']])(
    'the condition word %j is sensitive_keywords',
    async (word) => {
      const finding = await onlyFinding(
        withRule({
          Name: 'Vendor mail',
          SubjectOrBodyContainsWords: [word],
          ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
        })
      )
      expectFactor(finding, 'sensitive_keywords')
    }
  )

  it.each([
    ['teacher conference', '`ach` inside `teacher`'],
    ['attribute', '`rib` inside `attribute`'],
    ['syntax', '`tax` inside `syntax`'],
    ['Project Atlas', 'no keyword at all'],
  ])('%j (%s) is not sensitive_keywords', async (word) => {
    const finding = await onlyFinding(
      withRule({
        Name: 'School',
        SubjectContainsWords: [word],
        ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
      })
    )
    expectNoFactor(finding, 'sensitive_keywords')
  })

  it('a transport rule that picks payment mail is sensitive_keywords', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Finance copy',
        Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SubjectContainsPredicate'],
        SubjectContainsWords: ['payment'],
        BlindCopyTo: ['finance-copy@fabrikam.com'],
      }),
      { all_users: true, include_transport_rules: true }
    )
    expectFactor(finding, 'sensitive_keywords')
  })
})

describe('rule name and visibility factors', () => {
  it('a hidden rule (Exchange shows it, Graph does not) is hidden_rule', async () => {
    const finding = await onlyFinding(
      narrowForward().graphRule(ALEX, {
        displayName: 'Newsletters',
        conditions: { subjectContains: ['Newsletter'] },
        actions: { moveToFolder: 'AAMkAGI2TAAA=' },
      })
    )
    expect(finding.hidden).toBe(true)
    expectFactor(finding, 'hidden_rule')
  })

  it('a rule Graph also lists is not hidden_rule', async () => {
    const finding = await onlyFinding(
      narrowForward().graphRule(ALEX, {
        displayName: 'Project Atlas',
        conditions: { subjectContains: ['Project Atlas'] },
        actions: {
          forwardTo: [{ emailAddress: { name: 'John Doe', address: 'j.doe@fabrikam.com' } }],
        },
      })
    )
    expect(finding.hidden).toBe(false)
    expectNoFactor(finding, 'hidden_rule')
  })

  it.each([
    ['.', 'punctuation only'],
    [' ', 'blank'],
    ['', 'empty'],
    ['x', 'a single character'],
    ['Junk E-mail Rule', 'a built-in rule name'],
    ['Microsoft.Exchange.OOF.AllExternalSenders.Global', 'a built-in out-of-office name'],
  ])('a forwarding rule named %j (%s) is suspicious_rule_name', async (name) => {
    const finding = await onlyFinding(
      withRule({
        Name: name,
        SubjectContainsWords: ['Project Atlas'],
        ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
      })
    )
    expectFactor(finding, 'suspicious_rule_name')
  })

  it.each([['Monthly report'], ['CC'], ['Zendesk intake']])(
    'a rule named %j is not suspicious_rule_name',
    async (name) => {
      const finding = await onlyFinding(narrowForward({ Name: name }))
      expectNoFactor(finding, 'suspicious_rule_name')
    }
  )
})

describe('rule action factors', () => {
  it.each([
    ['alex.wilber@contoso.com:\\Deleted Items'],
    ['Deleted Items'],
    ['\\Gelöschte Elemente'],
  ])('moving to %j is moves_to_deleted_items', async (folder) => {
    expectFactor(
      await onlyFinding(narrowForward({ MoveToFolder: folder })),
      'moves_to_deleted_items'
    )
  })

  it.each([
    ['alex.wilber@contoso.com:\\RSS Feeds'],
    ['alex.wilber@contoso.com:\\RSS-Feeds'],
    ['alex.wilber@contoso.com:\\Archiv'],
    ['Archive'],
    ['\\Conversation History'],
    ['alex.wilber@contoso.com:\\Inbox\\Archivio'],
  ])('moving to %j is moves_to_hidden_folder', async (folder) => {
    expectFactor(
      await onlyFinding(narrowForward({ MoveToFolder: folder })),
      'moves_to_hidden_folder'
    )
  })

  it.each([
    ['alex.wilber@contoso.com:\\Newsletters'],
    ['alex.wilber@contoso.com:\\Archived projects'],
    ['Vendors'],
  ])('moving to the ordinary folder %j is neither hidden nor deleted', async (folder) => {
    const finding = await onlyFinding(narrowForward({ MoveToFolder: folder }))
    expectNoFactor(finding, 'moves_to_hidden_folder')
    expectNoFactor(finding, 'moves_to_deleted_items')
  })

  it.each([['DeleteMessage'], ['SoftDeleteMessage'], ['PermanentDelete']])(
    'a forwarding rule with %s is deletes_messages',
    async (action) => {
      expectFactor(await onlyFinding(narrowForward({ [action]: true })), 'deletes_messages')
    }
  )

  it('a forwarding rule that marks mail as read is marks_as_read', async () => {
    expectFactor(await onlyFinding(narrowForward({ MarkAsRead: true })), 'marks_as_read')
  })

  it('a forwarding rule that stops processing is stops_processing', async () => {
    expectFactor(
      await onlyFinding(narrowForward({ StopProcessingRules: true })),
      'stops_processing'
    )
  })

  it('with explicit nulls and false for unset actions (PowerShell), no action factor is added', async () => {
    const finding = await onlyFinding(
      narrowForward({
        RedirectTo: null,
        ForwardAsAttachmentTo: null,
        MoveToFolder: null,
        CopyToFolder: null,
        DeleteMessage: false,
        SoftDeleteMessage: false,
        PermanentDelete: false,
        MarkAsRead: false,
        StopProcessingRules: false,
      })
    )
    expect(categoriesOf(finding)).toEqual(['external_forwarding'])
  })

  it('a transport rule that redirects is no_copy_kept; one that Bccs is not', async () => {
    const findings = await findingsOf(
      tenant()
        .transportRule({
          Name: 'Redirect',
          Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate'],
          From: ['ceo@contoso.com'],
          RedirectMessageTo: 'attacker@evil.example',
        })
        .transportRule({
          Name: 'Copy',
          Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate'],
          From: ['ceo@contoso.com'],
          BlindCopyTo: ['copy@evil.example'],
        }),
      { all_users: true, include_transport_rules: true }
    )
    const redirect = findings.find((f) => f.rule_name === 'Redirect')!
    const copy = findings.find((f) => f.rule_name === 'Copy')!
    expectFactor(redirect, 'no_copy_kept')
    expectNoFactor(copy, 'no_copy_kept')
  })
})

describe('transport rule factors', () => {
  const transport = { all_users: true, include_transport_rules: true }

  it('a transport rule without conditions is organization_wide', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Compliance Retention Sync',
        BlindCopyTo: ['svc-retention@contoso-archive.net'],
      }),
      transport
    )
    expect(finding.user).toBe('organization')
    expectFactor(finding, 'organization_wide')
    expectFactor(finding, 'match_all_forwarding')
  })

  it.each([
    ['FromScope', 'NotInOrganization'],
    ['FromScope', 'InOrganization'],
    ['SentToScope', 'NotInOrganization'],
    ['SentToScope', 'InOrganization'],
  ])(
    'a transport rule whose only condition is %s %s takes every message of a direction: match-all',
    async (predicate, scope) => {
      const finding = await onlyFinding(
        tenant().transportRule({
          Name: 'Inbound copy',
          Conditions: [`Microsoft.Exchange.MessagingPolicies.Rules.Tasks.${predicate}Predicate`],
          [predicate]: scope,
          BlindCopyTo: ['copy@evil.example'],
        }),
        transport
      )
      expectFactor(finding, 'match_all_forwarding')
      expectFactor(finding, 'organization_wide')
      expect(finding.risk_score).toBe(95)
    }
  )

  it('a transport rule for named senders is not organization_wide', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'CEO copy',
        Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate'],
        From: ['ceo@contoso.com'],
        BlindCopyTo: ['assistant@fabrikam.com'],
      }),
      transport
    )
    expectNoFactor(finding, 'organization_wide')
    expectNoFactor(finding, 'match_all_forwarding')
  })

  it('a transport rule that routes through a chosen connector is outbound_connector_route', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Partner relay',
        RouteMessageOutboundConnector: 'Relay to partner',
      }),
      transport
    )
    expect(finding.destination).toBe('connector:Relay to partner')
    expect(finding.action).toBe('outbound_connector')
    expectFactor(finding, 'outbound_connector_route')
  })

  it('a connector created days before the audit is connector_recently_changed', async () => {
    const rule = { Name: 'Partner relay', RouteMessageOutboundConnector: 'Relay to partner' }
    const connector = {
      Name: 'Relay to partner',
      UseMXRecord: false,
      SmartHosts: ['smtp.partner-relay.example'],
      IsTransportRuleScoped: true,
    }
    const recent = await onlyFinding(
      tenant()
        .transportRule(rule)
        .outboundConnector({ ...connector, WhenCreatedUTC: `${daysBeforeCapture(5)}Z` }),
      transport
    )
    expectFactor(recent, 'connector_recently_changed')
    const old = await onlyFinding(
      tenant()
        .transportRule(rule)
        .outboundConnector({ ...connector, WhenCreatedUTC: `${daysBeforeCapture(200)}Z` }),
      transport
    )
    expectNoFactor(old, 'connector_recently_changed')
  })

  it('a transport rule in Audit mode is audit_mode_only', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Test bcc',
        Mode: 'Audit',
        BlindCopyTo: ['copy@evil.example'],
      }),
      transport
    )
    expectFactor(finding, 'audit_mode_only')
  })

  it('a transport rule in AuditAndNotify mode is audit_mode_only; Enforce is not', async () => {
    const findings = await findingsOf(
      tenant()
        .transportRule({ Name: 'Notify', Mode: 'AuditAndNotify', BlindCopyTo: ['a@evil.example'] })
        .transportRule({ Name: 'Enforce', Mode: 'Enforce', BlindCopyTo: ['b@evil.example'] }),
      transport
    )
    expectFactor(findings.find((f) => f.rule_name === 'Notify')!, 'audit_mode_only')
    expectNoFactor(findings.find((f) => f.rule_name === 'Enforce')!, 'audit_mode_only')
  })

  it('a transport rule in a mode Exchange does not have is not taken for audit_mode_only', async () => {
    const findings = await findingsOf(
      tenant()
        .transportRule({ Name: 'Lower', Mode: 'enforce', BlindCopyTo: ['a@evil.example'] })
        .transportRule({ Name: 'Unknown', Mode: 5, BlindCopyTo: ['b@evil.example'] }),
      transport
    )
    expectNoFactor(findings.find((f) => f.rule_name === 'Lower')!, 'audit_mode_only')
    expectNoFactor(findings.find((f) => f.rule_name === 'Unknown')!, 'audit_mode_only')
  })

  it('a disabled transport rule is disabled', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Old bcc',
        State: 'Disabled',
        BlindCopyTo: ['a@evil.example'],
      }),
      transport
    )
    expect(finding.is_enabled).toBe(false)
    expectFactor(finding, 'disabled')
  })
})

describe('internal forwarding', () => {
  const MANAGER = 's.brandt@contoso.com'
  /** Mailbox forwarding of everything, no copy kept, to the manager (ForwardingAddress alias). */
  const toManager = (source: Record<string, unknown> = {}, manager: Record<string, unknown> = {}) =>
    tenant()
      .mailbox(ALEX, {
        ForwardingAddress: 's.brandt',
        DeliverToMailboxAndForward: false,
        ...source,
      })
      .mailbox(MANAGER, {
        WhenCreatedUTC: '2019-04-02T08:11:40.0000000Z',
        AccountDisabled: false,
        SKUAssigned: true,
        ...manager,
      })

  it('forwarding everything, no copy kept, to the manager is internal_destination and stays medium', async () => {
    const finding = await onlyFinding(toManager())
    expect(finding.external).toBe(false)
    expectFactor(finding, 'internal_destination')
    expect(categoriesOf(finding).sort()).toEqual(
      ['internal_destination', 'match_all_forwarding', 'no_copy_kept'].sort()
    )
    expect(finding.risk_score).toBe(40)
    expect(finding.risk_level).toBe('medium')
  })

  it("a leaver's mailbox hidden from the address lists, forwarded to the manager this month, stays medium", async () => {
    const finding = await onlyFinding(
      toManager({
        HiddenFromAddressListsEnabled: true,
        RecipientTypeDetails: 'SharedMailbox',
      }).audit(
        setMailboxRecord({
          mailbox: ALEX,
          time: daysBeforeCapture(5),
          actor: 't.becker@contoso.com',
          parameters: { ForwardingAddress: 's.brandt', DeliverToMailboxAndForward: 'False' },
        })
      )
    )
    expectNoFactor(finding, 'hidden_from_address_list')
    expectFactor(finding, 'recently_created')
    expect(finding.risk_level).toBe('medium')
  })

  it('a destination account created within 30 days is new_destination_account: forward-all, no copy, to it is high', async () => {
    const finding = await onlyFinding(
      toManager({}, { WhenCreatedUTC: '2026-11-17T23:47:00.0000000Z' })
    )
    expectFactor(finding, 'new_destination_account')
    expect(finding.risk_level).toBe('high')
  })

  it('an account created 45 days before the capture is not new', async () => {
    const finding = await onlyFinding(
      toManager({}, { WhenCreatedUTC: '2026-10-06T09:00:00.0000000Z' })
    )
    expectNoFactor(finding, 'new_destination_account')
  })

  it('a destination hidden from the address lists raises it: hidden_from_address_list', async () => {
    const finding = await onlyFinding(toManager({}, { HiddenFromAddressListsEnabled: true }))
    expectFactor(finding, 'hidden_from_address_list')
    expect(finding.risk_score).toBe(55)
  })

  it.each([
    ['disabled', { AccountDisabled: true }],
    ['unlicensed', { SKUAssigned: false }],
  ])('a %s user mailbox as destination is inactive_destination_account', async (_what, fields) => {
    const finding = await onlyFinding(toManager({}, fields))
    expectFactor(finding, 'inactive_destination_account')
    expect(finding.risk_level).toBe('high')
  })

  it('a shared mailbox, disabled and unlicensed by design, is not inactive_destination_account', async () => {
    const finding = await onlyFinding(
      toManager(
        {},
        { RecipientTypeDetails: 'SharedMailbox', AccountDisabled: true, SKUAssigned: false }
      )
    )
    expectNoFactor(finding, 'inactive_destination_account')
  })

  it('a mail user addressed in an accepted domain whose real address is outside is judged external', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:partner.desk@contoso.com' })
        .recipient({
          Identity: 'Partner Desk',
          Name: 'Partner Desk',
          Alias: 'partnerdesk',
          PrimarySmtpAddress: 'partner.desk@contoso.com',
          ExternalEmailAddress: 'SMTP:desk@fabrikam.com',
          RecipientType: 'MailUser',
          RecipientTypeDetails: 'MailUser',
          EmailAddresses: ['SMTP:partner.desk@contoso.com', 'smtp:desk@fabrikam.com'],
        })
    )
    expect(finding.destination).toBe('desk@fabrikam.com')
    expectFactor(finding, 'external_forwarding')
    expectNoFactor(finding, 'internal_destination')
  })

  it('the same internal destination collecting from two mailboxes is shared_destination', async () => {
    const findings = await findingsOf(
      toManager().mailbox('e.rossi@contoso.com', {
        ForwardingAddress: 's.brandt',
        DeliverToMailboxAndForward: false,
      })
    )
    expect(findings).toHaveLength(2)
    for (const finding of findings) {
      expectFactor(finding, 'shared_destination')
      expect(finding.risk_score).toBe(55)
    }
  })

  it('an internal forward by a rule that hides what it forwards is raised by those actions', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox(MANAGER)
        .inboxRule(ALEX, {
          Name: 'Tidy',
          ForwardTo: [exTarget(MANAGER)],
          DeleteMessage: true,
          MarkAsRead: true,
        })
    )
    expectFactor(finding, 'internal_destination')
    expect(categoriesOf(finding)).toEqual(
      expect.arrayContaining(['deletes_messages', 'marks_as_read'])
    )
    expect(finding.risk_score).toBe(40 + 20 + 10 - 20)
  })

  it('an address in an Authoritative domain that no recipient owns gets no mitigation: we do not know what it is', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, {
        ForwardingSmtpAddress: 'smtp:ghost@contoso.com',
        DeliverToMailboxAndForward: false,
      })
    )
    expect(finding.external).toBe(false)
    expectNoFactor(finding, 'internal_destination')
    expect(finding.risk_score).toBe(40 + 20)
  })

  it.each([
    ['a sub-domain that is not accepted itself', 'desk@emea.contoso.com', []],
    ['an InternalRelay domain', 'desk@contoso-labs.com', [['contoso-labs.com', 'InternalRelay']]],
  ])(
    'an address in %s that no recipient owns leaves the tenant: Exchange relays it to that domain',
    async (_, address, domains) => {
      let built = tenant()
      for (const [name, type] of domains) built = built.acceptedDomain(name!, type!)
      const finding = await onlyFinding(
        built.mailbox(ALEX, { ForwardingSmtpAddress: `smtp:${address}` })
      )
      expect(finding.external).toBe(true)
      expectFactor(finding, 'external_forwarding')
      expectNoFactor(finding, 'internal_destination')
    }
  )

  it('a sub-domain address a recipient owns is internal; a more specific ExternalRelay domain is not', async () => {
    const findings = await findingsOf(
      tenant()
        .acceptedDomain('partners.contoso.com', 'ExternalRelay')
        .mailbox('desk@contoso.com', {
          EmailAddresses: ['SMTP:desk@contoso.com', 'smtp:desk@emea.contoso.com'],
        })
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:desk@emea.contoso.com' })
        .mailbox('e.rossi@contoso.com', {
          ForwardingSmtpAddress: 'smtp:desk@eu.partners.contoso.com',
        })
    )
    const external = Object.fromEntries(findings.map((f) => [f.destination, f.external]))
    expect(external).toEqual({
      'desk@emea.contoso.com': false,
      'desk@eu.partners.contoso.com': true,
    })
  })
})

describe('history and context factors', () => {
  it('a rule created within 7 days of the capture is recently_created', async () => {
    const finding = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(6),
          actor: ALEX,
        })
      )
    )
    expectFactor(finding, 'recently_created')
  })

  it('one destination receiving forwards from two mailboxes is shared_destination', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox('l.martin@contoso.com')
        .mailbox('e.rossi@contoso.com')
        .inboxRule('l.martin@contoso.com', {
          Name: 'Leads backup',
          SubjectContainsWords: ['quote', 'RFQ'],
          ForwardTo: [smtpTarget('dropbox.sales@outlook.com')],
        })
        .inboxRule('e.rossi@contoso.com', {
          Name: 'CRM sync',
          ForwardTo: [smtpTarget('dropbox.sales@outlook.com')],
        })
    )
    expect(findings).toHaveLength(2)
    for (const finding of findings) expectFactor(finding, 'shared_destination')
  })

  it('a destination another mailbox forwarded to, per the audit log only, is shared_destination', async () => {
    const finding = await onlyFinding(
      narrowForward()
        .mailbox('megan.bowen@contoso.com')
        .audit(
          newInboxRuleRecord({
            mailbox: 'megan.bowen@contoso.com',
            ruleName: 'Sync',
            time: daysBeforeCapture(40),
            actor: 'megan.bowen@contoso.com',
            parameters: { ForwardTo: 'j.doe@fabrikam.com' },
          })
        )
    )
    expectFactor(finding, 'shared_destination')
  })

  it('a forwarding rule of the same name in two mailboxes is shared_rule_name', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox('adam@contoso.com')
        .mailbox('stinger@contoso.com')
        .inboxRule('adam@contoso.com', {
          Name: 'ForwardToHeaven',
          ForwardTo: [smtpTarget('alpha@fabrikam.example')],
        })
        .inboxRule('stinger@contoso.com', {
          Name: 'forwardtoheaven ',
          ForwardTo: [smtpTarget('beta@fabrikam.example')],
        })
    )
    expect(findings).toHaveLength(2)
    for (const finding of findings) expectFactor(finding, 'shared_rule_name')
  })

  it('two mailboxes that share only a display name are two mailboxes: shared_rule_name and shared_destination', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox('john.smith@contoso.com', { DisplayName: 'John Smith' })
        .mailbox('john.smith2@contoso.com', { DisplayName: 'John Smith' })
        .inboxRule('john.smith@contoso.com', {
          Name: 'Sync',
          ForwardTo: [smtpTarget('drop@evil.example')],
        })
        .inboxRule('john.smith2@contoso.com', {
          Name: 'Sync',
          ForwardTo: [smtpTarget('drop@evil.example')],
        })
    )
    expect(findings).toHaveLength(2)
    for (const finding of findings) {
      expectFactor(finding, 'shared_rule_name')
      expectFactor(finding, 'shared_destination')
    }
  })

  it('the log showing a forwarding rule of this name made in another mailbox is shared_rule_name', async () => {
    const finding = await onlyFinding(
      narrowForward()
        .mailbox('megan.bowen@contoso.com')
        .audit(
          newInboxRuleRecord({
            mailbox: 'megan.bowen@contoso.com',
            ruleName: 'Project Atlas',
            time: daysBeforeCapture(40),
            actor: 'megan.bowen@contoso.com',
            parameters: { RedirectTo: 'someone@else.example' },
          })
        )
    )
    expectFactor(finding, 'shared_rule_name')
  })

  it('a rule made by another account in a user mailbox is changed_by_other_account', async () => {
    const finding = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(40),
          actor: 'it-support2@contoso.com',
        })
      )
    )
    expectFactor(finding, 'changed_by_other_account')
  })

  it('a rule the owner made, or a shared mailbox any delegate changed, is not changed_by_other_account', async () => {
    const own = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(40),
          actor: ALEX.toUpperCase(),
        })
      )
    )
    expectNoFactor(own, 'changed_by_other_account')
    const shared = await onlyFinding(
      tenant()
        .mailbox('ap@contoso.com', { RecipientTypeDetails: 'SharedMailbox' })
        .inboxRule('ap@contoso.com', { Name: 'x', ForwardTo: [smtpTarget('a@evil.example')] })
        .audit(
          newInboxRuleRecord({
            mailbox: 'ap@contoso.com',
            ruleName: 'x',
            time: daysBeforeCapture(40),
            actor: 'l.fischer@contoso.com',
          })
        )
    )
    expectNoFactor(shared, 'changed_by_other_account')
  })

  it('a change from a network the actor used nowhere else in the log is unfamiliar_source', async () => {
    const finding = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(40),
          actor: ALEX,
          clientIp: '198.51.100.23:61844',
        }),
        setInboxRuleRecord({
          mailbox: ALEX,
          ruleIdentity: '9271031570951569409',
          time: daysBeforeCapture(4),
          actor: ALEX,
          clientIp: '203.0.113.140:61022',
        })
      )
    )
    expectFactor(finding, 'unfamiliar_source')
  })

  it('two changes to the rule from one new network do not vouch for each other: still unfamiliar_source', async () => {
    const fromAttacker = { actor: ALEX, clientIp: '203.0.113.140:61022' }
    const finding = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Newsletters',
          time: daysBeforeCapture(30),
          actor: ALEX,
          clientIp: '198.51.100.23:61844',
        }),
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(3),
          ...fromAttacker,
        }),
        setInboxRuleRecord({
          mailbox: ALEX,
          ruleIdentity: '9271031570951569409',
          time: daysBeforeCapture(2),
          ...fromAttacker,
        })
      )
    )
    expectFactor(finding, 'unfamiliar_source')
  })

  it('changes from one office network, or an actor with no other record, are not unfamiliar_source', async () => {
    const office = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(40),
          actor: ALEX,
          clientIp: '198.51.100.23:61844',
        }),
        setInboxRuleRecord({
          mailbox: ALEX,
          ruleIdentity: '9271031570951569409',
          time: daysBeforeCapture(4),
          actor: ALEX,
          clientIp: '198.51.100.41:50000',
        })
      )
    )
    expectNoFactor(office, 'unfamiliar_source')
    const single = await onlyFinding(
      narrowForward().audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: daysBeforeCapture(40),
          actor: ALEX,
          clientIp: '203.0.113.140:61022',
        })
      )
    )
    expectNoFactor(single, 'unfamiliar_source')
  })

  it('a forwarding mailbox whose owner bypasses mailbox auditing is auditing_off', async () => {
    const finding = await onlyFinding(
      narrowForward()
        .auditing({ bypass: ['alex.wilber'] })
        .audit()
    )
    expectFactor(finding, 'auditing_off')
  })

  it('cmdlet records of other kinds do not make a spray: Set-Mailbox without forwarding is ignored', async () => {
    const finding = await onlyFinding(
      narrowForward().audit(
        ...['x', 'y', 'z'].map((alias, i) =>
          cmdletRecord('Set-Mailbox', {
            time: `2026-11-18T21:0${i}:00`,
            actor: 't.becker@contoso.com',
            objectId: alias,
            parameters: { Identity: alias, RetentionPolicy: 'Default MRM Policy' },
          })
        ),
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Project Atlas',
          time: '2026-11-18T21:04:00',
          actor: 't.becker@contoso.com',
        })
      )
    )
    expectNoFactor(finding, 'forwarding_spray')
  })

  const sprayTenant = (minutesApart: number) => {
    const victims = ['l.martin@contoso.com', 'e.rossi@contoso.com', 'k.yilmaz@contoso.com']
    let built = tenant()
    victims.forEach((victim, i) => {
      const time = new Date(Date.parse(`${daysBeforeCapture(3)}Z`) + i * minutesApart * 60_000)
      built = built.mailbox(victim, { ForwardingSmtpAddress: `smtp:drop${i}@fabrikam.com` }).audit(
        setMailboxRecord({
          mailbox: victim,
          actor: 'admin@contoso.com',
          time: time.toISOString().slice(0, 19),
          parameters: { ForwardingSmtpAddress: `smtp:drop${i}@fabrikam.com` },
        })
      )
    })
    return built
  }

  it('one account setting forwarding on three mailboxes within 15 minutes is forwarding_spray', async () => {
    const findings = await findingsOf(sprayTenant(6))
    expect(findings).toHaveLength(3)
    for (const finding of findings) expectFactor(finding, 'forwarding_spray')
  })

  it('the same three changes an hour apart are no forwarding_spray', async () => {
    const findings = await findingsOf(sprayTenant(60))
    expect(findings).toHaveLength(3)
    for (const finding of findings) expectNoFactor(finding, 'forwarding_spray')
  })

  it('two rules of one mailbox to the same destination are not shared_destination', async () => {
    const findings = await findingsOf(
      narrowForward().inboxRule(ALEX, {
        Name: 'Project Borealis',
        SubjectContainsWords: ['Borealis'],
        ForwardTo: [smtpTarget('j.doe@fabrikam.com')],
      })
    )
    expect(findings).toHaveLength(2)
    for (const finding of findings) expectNoFactor(finding, 'shared_destination')
  })

  it('a disabled inbox rule is disabled', async () => {
    const finding = await onlyFinding(narrowForward({ Enabled: false }))
    expect(finding.is_enabled).toBe(false)
    expectFactor(finding, 'disabled')
  })

  it('an enabled inbox rule is not disabled', async () => {
    expectNoFactor(await onlyFinding(narrowForward()), 'disabled')
  })
})

describe("the tenant's own forwarding controls", () => {
  const DEFAULT_OFF = { Name: 'Default', IsDefault: true, AutoForwardingMode: 'Automatic' }
  const everything = {
    ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com',
    DeliverToMailboxAndForward: true,
  }

  it('an external forward the default policy blocks is blocked_by_tenant_policy, 30 points lower', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, everything)
        .controls({ policies: [DEFAULT_OFF] })
    )
    expectFactor(finding, 'blocked_by_tenant_policy')
    expect(finding.tenant_policy).toEqual({
      external_forwarding_blocked: true,
      reason: expect.stringMatching(/Default.*Automatic/),
    })
    expect(finding.risk_score).toBe(40)
  })

  it('a custom policy with AutoForwardingMode On for the sender lets the forward through', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, everything)
        .controls({
          policies: [DEFAULT_OFF, { Name: 'Allow', IsDefault: false, AutoForwardingMode: 'On' }],
          rules: [
            {
              Name: 'Allow',
              HostedOutboundSpamFilterPolicy: 'Allow',
              State: 'Enabled',
              From: [ALEX],
            },
          ],
        })
    )
    expectNoFactor(finding, 'blocked_by_tenant_policy')
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(false)
  })

  it('a remote domain with AutoForwardEnabled false blocks forwards to it', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, everything)
        .controls({
          policies: [{ Name: 'Default', IsDefault: true, AutoForwardingMode: 'On' }],
          remoteDomains: [
            { Name: 'Default', DomainName: '*', AutoForwardEnabled: true },
            { Name: 'Fabrikam', DomainName: 'fabrikam.com', AutoForwardEnabled: false },
          ],
        })
    )
    expect(finding.tenant_policy?.reason).toMatch(/Fabrikam/)
    expectFactor(finding, 'blocked_by_tenant_policy')
  })

  it('a blocked rule that scored high with an attacker sign keeps its score: blocked_but_malicious puts the 30 points back', async () => {
    // A one-letter rule name, mark as read, a condition: 30 + 15 + 10 + 15 (keywords) = 70, high.
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, {
          Name: 'x',
          SubjectContainsWords: ['invoice'],
          ForwardTo: [smtpTarget('drop@evil.example')],
          MarkAsRead: true,
        })
        .controls({ policies: [DEFAULT_OFF] })
    )
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(true)
    expectFactor(finding, 'blocked_by_tenant_policy')
    expectFactor(finding, 'blocked_but_malicious')
    const floor = finding.risk_factors.find((f) => f.category === 'blocked_but_malicious')
    expect(floor?.description).toMatch(/suspicious_rule_name, marks_as_read/)
    expect(finding.risk_score).toBe(70)
    expect(finding.risk_level).toBe('high')
  })

  it('a blocked forward without an attacker sign loses the full 30 points, even from high', async () => {
    // External, every message, no copy: 30 + 40 + 20 = 90 before the block.
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com' })
        .controls({ policies: [DEFAULT_OFF] })
    )
    expectFactor(finding, 'blocked_by_tenant_policy')
    expectNoFactor(finding, 'blocked_but_malicious')
    expect(finding.risk_score).toBe(60)
  })

  it('a blocked medium finding with an attacker sign gets no floor: it was never high', async () => {
    // External and marks as read under a narrow condition: 30 + 10 = 40, medium.
    const finding = await onlyFinding(
      narrowForward({ MarkAsRead: true }).controls({ policies: [DEFAULT_OFF] })
    )
    expectNoFactor(finding, 'blocked_but_malicious')
    expect(finding.risk_score).toBe(10)
  })

  it('internal forwards and transport rules get no verdict: the controls do not govern them', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:p.novak@contoso.com' })
        .transportRule({ Name: 'Bcc', BlindCopyTo: ['copy@evil.example'] })
        .controls({ policies: [DEFAULT_OFF] }),
      { all_users: true, include_transport_rules: true }
    )
    expect(findings.length).toBe(2)
    for (const finding of findings) expect(finding.tenant_policy).toBeUndefined()
  })
})

describe('scores and levels', () => {
  it('a hidden rule that redirects to freemail is critical', async () => {
    const finding = await onlyFinding(
      withRule({
        Name: '.',
        RedirectTo: [smtpTarget('megan.bowen.archive@gmail.com')],
        MarkAsRead: true,
        MoveToFolder: 'alex.wilber@contoso.com:\\RSS Feeds',
      }).noGraphRules(ALEX),
      { all_users: true, flag_freemail: true }
    )
    expect(finding.hidden).toBe(true)
    expect(finding.risk_level).toBe('critical')
  })

  it('a score is the sum of the factor weights, clamped to 100', async () => {
    const finding = await onlyFinding(
      withRule({
        Name: '.',
        RedirectTo: [smtpTarget('payments@c0ntoso.com')],
        MarkAsRead: true,
        DeleteMessage: true,
      }).noGraphRules(ALEX)
    )
    const sum = finding.risk_factors.reduce((total, f) => total + f.score, 0)
    expect(sum).toBeGreaterThan(100)
    expect(finding.risk_score).toBe(100)
    expect(finding.risk_level).toBe('critical')
  })

  it('a score never goes below 0', async () => {
    const finding = await onlyFinding(
      tenant().transportRule({
        Name: 'Legal hold copy',
        Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate'],
        From: ['ceo@contoso.com'],
        BlindCopyTo: ['legal@contoso.com'],
        State: 'Disabled',
        Mode: 'Audit',
      }),
      { all_users: true, include_transport_rules: true }
    )
    expect(finding.risk_factors.reduce((total, f) => total + f.score, 0)).toBeLessThan(0)
    expect(finding.risk_score).toBe(0)
    expect(finding.risk_level).toBe('low')
  })

  it.each([
    [0, 'low'],
    [29, 'low'],
    [30, 'medium'],
    [59, 'medium'],
    [60, 'high'],
    [79, 'high'],
    [80, 'critical'],
    [100, 'critical'],
  ] as const)('score %i is %s', (score, level) => {
    expect(riskLevel(score)).toBe(level)
  })

  it('every finding of a mixed tenant scores the sum of its factors, clamped, at that level', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:alex@gmail.com' })
        .mailbox('b.schulz@contoso.com')
        .mailbox('k.yilmaz@contoso.com', { HiddenFromAddressListsEnabled: true })
        .inboxRule('b.schulz@contoso.com', {
          Name: 'Fwd to home',
          Enabled: false,
          ForwardTo: [smtpTarget('ben.schulz87@gmail.com')],
        })
        .inboxRule('k.yilmaz@contoso.com', {
          Name: 'Weekly pipeline report',
          SubjectContainsWords: ['pipeline'],
          ForwardTo: [exTarget('b.schulz@contoso.com')],
        })
        .inboxRule(ALEX, {
          Name: 'x',
          SubjectOrBodyContainsWords: ['invoice', 'e;'],
          RedirectTo: [smtpTarget('x@contoso-archive.net')],
          DeleteMessage: true,
        })
        .transportRule({ Name: 'Bcc all', BlindCopyTo: ['all@evil.example'], Mode: 'Audit' }),
      { all_users: true, include_transport_rules: true, flag_freemail: true }
    )
    expect(findings.length).toBeGreaterThanOrEqual(5)
    for (const finding of findings) {
      const sum = finding.risk_factors.reduce((total, f) => total + f.score, 0)
      const where = `${finding.destination} scored ${finding.risk_score}`
      expect(finding.risk_score, where).toBe(Math.max(0, Math.min(100, sum)))
      expect(finding.risk_level, where).toBe(riskLevel(finding.risk_score))
    }
  })
})

it('every factor in RISK_TABLE has a test above', () => {
  expect([...exercised].sort()).toEqual(Object.keys(RISK_TABLE).sort())
})
