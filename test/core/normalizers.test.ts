/**
 * Raw Microsoft rows to normalized tenant facts: Get-Mailbox, Get-InboxRule, Graph messageRule,
 * Get-TransportRule, Get-AcceptedDomain and unified audit log records in all three shapes.
 */
import { describe, expect, it } from 'vitest'
import { toIsoTime } from '../../core/normalize/dates.ts'
import { normalizeExchangeInboxRule } from '../../core/normalize/exchange-inbox-rule.ts'
import { normalizeGraphMessageRule } from '../../core/normalize/graph-message-rule.ts'
import { normalizeMailbox, normalizeRecipient } from '../../core/normalize/mailbox.ts'
import type {
  RawExchangeInboxRule,
  RawGraphMessageRule,
  RawMailbox,
  RawTransportRule,
} from '../../core/normalize/raw.ts'
import { normalizeAcceptedDomains } from '../../core/normalize/tenant-controls.ts'
import { normalizeTransportRule } from '../../core/normalize/transport-rule.ts'

const mailboxRow = (fields: Record<string, unknown> = {}): RawMailbox => ({
  UserPrincipalName: 'R.Vogel@contoso.com',
  PrimarySmtpAddress: 'R.Vogel@contoso.com',
  DisplayName: 'Rainer Vogel',
  Alias: 'r.vogel',
  Identity: 'r.vogel',
  Name: 'r.vogel',
  RecipientTypeDetails: 'UserMailbox',
  HiddenFromAddressListsEnabled: false,
  EmailAddresses: [
    'SMTP:r.vogel@contoso.com',
    'smtp:r.vogel@contoso.onmicrosoft.com',
    'SIP:r.vogel@contoso.com',
  ],
  ForwardingAddress: null,
  ForwardingSmtpAddress: null,
  DeliverToMailboxAndForward: false,
  ...fields,
})

describe('Get-Mailbox', () => {
  it('keys the mailbox by its lower-cased UPN and keeps every SMTP address', () => {
    const mailbox = normalizeMailbox(mailboxRow())
    expect(mailbox.upn).toBe('r.vogel@contoso.com')
    expect(mailbox.primarySmtpAddress).toBe('r.vogel@contoso.com')
    expect(mailbox.smtpAddresses).toEqual([
      'r.vogel@contoso.com',
      'r.vogel@contoso.onmicrosoft.com',
    ])
    expect(mailbox.identities).toEqual(
      expect.arrayContaining(['r.vogel', 'rainer vogel', 'r.vogel@contoso.com'])
    )
  })

  it('ForwardingSmtpAddress `smtp:x` (REST) loses its prefix', () => {
    const mailbox = normalizeMailbox(
      mailboxRow({ ForwardingSmtpAddress: 'smtp:CFO.Personal@protonmail.com' })
    )
    expect(mailbox.forwardingSmtpAddress).toBe('cfo.personal@protonmail.com')
  })

  it('ForwardingSmtpAddress as a PowerShell ProxyAddress object is its address', () => {
    const mailbox = normalizeMailbox(
      mailboxRow({
        ForwardingSmtpAddress: {
          AddressString: 'cfo.personal@protonmail.com',
          ProxyAddressString: 'smtp:cfo.personal@protonmail.com',
          Prefix: { PrimaryPrefix: 'SMTP', SecondaryPrefix: 'smtp', DisplayName: 'SMTP' },
          PrefixString: 'smtp',
          IsPrimaryAddress: false,
        },
      })
    )
    expect(mailbox.forwardingSmtpAddress).toBe('cfo.personal@protonmail.com')
  })

  it('ForwardingAddress stays the recipient identity, resolved later', () => {
    const mailbox = normalizeMailbox(mailboxRow({ ForwardingAddress: 'Fabrikam Project Team' }))
    expect(mailbox.forwardingAddress).toBe('Fabrikam Project Team')
    expect(mailbox.forwardingSmtpAddress).toBeUndefined()
  })

  it('DeliverToMailboxAndForward and HiddenFromAddressListsEnabled default to false', () => {
    const mailbox = normalizeMailbox({ UserPrincipalName: 'a@contoso.com' })
    expect(mailbox.deliverToMailboxAndForward).toBe(false)
    expect(mailbox.hiddenFromAddressLists).toBe(false)
    expect(mailbox.primarySmtpAddress).toBe('a@contoso.com')
    expect(mailbox.smtpAddresses).toEqual(['a@contoso.com'])
    expect(mailbox.type).toBe('UserMailbox')
  })

  it('WhenChanged as PowerShell 5 `/Date(ms)/` is an ISO time', () => {
    const mailbox = normalizeMailbox(mailboxRow({ WhenChanged: '/Date(1728364117000)/' }))
    expect(mailbox.whenChanged).toBe('2024-10-08T05:08:37.000Z')
  })

  it('WhenChangedUTC with seven fraction digits is preferred to WhenChanged', () => {
    const mailbox = normalizeMailbox(
      mailboxRow({
        WhenChanged: '2024-04-10T10:56:22.0000000+02:00',
        WhenChangedUTC: '2024-04-10T08:56:22.1234567Z',
      })
    )
    expect(mailbox.whenChanged).toBe('2024-04-10T08:56:22.123Z')
  })

  it.each([
    ['UserMailbox', 'UserMailbox'],
    ['SharedMailbox', 'SharedMailbox'],
    [1, 'UserMailbox'],
    [16, 'RoomMailbox'],
    [32, 'EquipmentMailbox'],
  ] as const)('RecipientTypeDetails %j is %s', (value, type) => {
    expect(normalizeMailbox(mailboxRow({ RecipientTypeDetails: value })).type).toBe(type)
  })

  // msExchRecipientTypeDetails: SharedMailbox = 4; 34359738368 (2^35) is RemoteSharedMailbox.
  it('RecipientTypeDetails 4 (PowerShell without -EnumsAsStrings) is SharedMailbox', () => {
    expect(normalizeMailbox(mailboxRow({ RecipientTypeDetails: 4 })).type).toBe('SharedMailbox')
  })

  it('RecipientTypeDetails 34359738368 is RemoteSharedMailbox, not SharedMailbox', () => {
    expect(normalizeMailbox(mailboxRow({ RecipientTypeDetails: 34359738368 })).type).toBe(
      'RemoteSharedMailbox'
    )
  })

  it('a mail contact (Get-Recipient) forwards out to its ExternalEmailAddress', () => {
    const contact = normalizeRecipient({
      Identity: 'Fabrikam Project Team',
      Name: 'Fabrikam Project Team',
      Alias: 'FabrikamProjectTeam',
      PrimarySmtpAddress: 'project.team@fabrikam.com',
      ExternalEmailAddress: 'SMTP:Project.Team@fabrikam.com',
      RecipientTypeDetails: 'MailContact',
    })
    expect(contact.externalEmailAddress).toBe('project.team@fabrikam.com')
    expect(contact.identities).toContain('fabrikam project team')
    expect(contact.type).toBe('MailContact')
  })

  it('a recipient hidden from address lists (Get-Recipient) says so', () => {
    const recipient = normalizeRecipient({
      Identity: 'svc-sync',
      Name: 'svc-sync',
      PrimarySmtpAddress: 'svc-sync@contoso.com',
      RecipientTypeDetails: 'UserMailbox',
      HiddenFromAddressListsEnabled: true,
    })
    expect(recipient.hiddenFromAddressLists).toBe(true)
  })
})

/** The live Get-InboxRule record from graph2otel, RuleIdentity above 2^63. */
const liveRule = (fields: Record<string, unknown> = {}): RawExchangeInboxRule => ({
  Description:
    "If the message: the message includes specific words in the subject 'g2o-test-forward' Take the following actions: forward the message to 'Rob Knight'",
  Enabled: true,
  Identity: '7957928c-3cd2-4bbb-98c8-cfc8466f490a\\15394007230974001153',
  ErrorType: 'None',
  Name: 'g2o-test-forward',
  Priority: 1,
  // What JSON.parse makes of 15394007230974001153.
  RuleIdentity: JSON.parse('15394007230974001153') as number,
  SupportedByTask: true,
  SubjectContainsWords: ['g2o-test-forward'],
  ForwardTo: [
    '"Rob Knight" [EX:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b]',
  ],
  MailboxOwnerId: '7957928c-3cd2-4bbb-98c8-cfc8466f490a',
  IsValid: true,
  ObjectState: 'Unchanged',
  ...fields,
})

describe('Get-InboxRule', () => {
  it('the rule id keeps the exact digits of a 64-bit RuleIdentity from Identity', () => {
    expect(String(JSON.parse('15394007230974001153'))).not.toBe('15394007230974001153')
    expect(normalizeExchangeInboxRule(liveRule()).id).toBe('15394007230974001153')
  })

  it('without a `\\` in Identity, a string RuleIdentity is the id', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({ Identity: null, RuleIdentity: '15394007230974001153' })
    )
    expect(rule.id).toBe('15394007230974001153')
  })

  it('reads the live forwarding rule', () => {
    const rule = normalizeExchangeInboxRule(liveRule())
    expect(rule).toMatchObject({
      name: 'g2o-test-forward',
      enabled: true,
      hidden: false,
      origin: 'exchange',
      conditions: {
        readable: ["subject contains 'g2o-test-forward'"],
        words: ['g2o-test-forward'],
        matchesAll: false,
      },
      exceptions: [],
    })
    expect(rule.actions.forwardTo).toMatchObject([
      {
        legacyDn:
          '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b',
        displayName: 'Rob Knight',
      },
    ])
    expect(rule.actions.readable).toEqual([
      'forward to "Rob Knight" [EX:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b]',
    ])
    expect(rule.inError).toBeUndefined()
  })

  it('a rule without any condition matches all mail', () => {
    const rule = normalizeExchangeInboxRule(liveRule({ SubjectContainsWords: undefined }))
    expect(rule.conditions).toEqual({ readable: [], words: [], matchesAll: true, predicates: [] })
  })

  it('ExceptIf conditions become exceptions, not conditions', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({
        SubjectContainsWords: null,
        ExceptIfSubjectContainsWords: ['Undeliverable', 'Automatic reply'],
        ExceptIfFrom: ['"Postmaster" [SMTP:postmaster@contoso.com]'],
      })
    )
    expect(rule.exceptions).toEqual([
      "subject contains 'Undeliverable' or 'Automatic reply'",
      "from 'postmaster@contoso.com'",
    ])
    expect(rule.conditions.words).toEqual([])
    expect(rule.conditions.readable).toEqual([])
  })

  it('From and SentTo show addresses, not the raw `"Name" [SMTP:x]` form', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({ SubjectContainsWords: null, From: ['"Adele Vance" [SMTP:AdeleV@contoso.com]'] })
    )
    expect(rule.conditions.readable).toEqual(["from 'adelev@contoso.com'"])
  })

  it('value conditions are shown with their value', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({ SubjectContainsWords: null, HasAttachment: true, WithImportance: 'High' })
    )
    expect(rule.conditions.readable).toEqual(['has an attachment', "importance is 'High'"])
    expect(rule.conditions.matchesAll).toBe(false)
  })

  it('MoveToFolder keeps the `mailbox:\\path` form and every action is read', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({
        MoveToFolder: 'accounts.payable@contoso.com:\\RSS Feeds',
        MarkAsRead: true,
        SoftDeleteMessage: true,
        StopProcessingRules: true,
        RedirectTo: ['"Box" [SMTP:drop@evil.example]'],
      })
    )
    expect(rule.actions).toMatchObject({
      moveToFolder: 'accounts.payable@contoso.com:\\RSS Feeds',
      markAsRead: true,
      delete: true,
      permanentDelete: false,
      stopProcessingRules: true,
      redirectTo: [{ address: 'drop@evil.example', displayName: 'Box' }],
    })
    expect(rule.actions.readable).toEqual([
      'forward to "Rob Knight" [EX:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b]',
      'redirect to drop@evil.example',
      "move to folder 'accounts.payable@contoso.com:\\RSS Feeds'",
      'mark as read',
      'delete (to Deleted Items)',
      'stop processing more rules',
    ])
  })

  it('Enabled false is a disabled rule; an ErrorType other than None is in error', () => {
    const rule = normalizeExchangeInboxRule(
      liveRule({ Enabled: false, ErrorType: 'RecipientError' })
    )
    expect(rule.enabled).toBe(false)
    expect(rule.inError).toBe(true)
  })

  it('control characters in condition words are shown escaped', () => {
    const rule = normalizeExchangeInboxRule(liveRule({ SubjectContainsWords: ['\u0000'] }))
    expect(rule.conditions.readable).toEqual(["subject contains '\\x00'"])
    expect(rule.conditions.words).toEqual(['\u0000'])
  })
})

describe('Graph messageRule', () => {
  const fromPartner: RawGraphMessageRule = {
    id: 'AQAAAJ5dZqA=',
    displayName: 'From partner',
    sequence: 2,
    isEnabled: true,
    hasError: false,
    isReadOnly: false,
    conditions: { senderContains: ['ADELE'] },
    actions: {
      stopProcessingRules: true,
      forwardTo: [
        { emailAddress: { name: 'Alex Wilbur', address: 'AlexW@contoso.onmicrosoft.com' } },
      ],
    },
  }

  it('reads the documented example', () => {
    const rule = normalizeGraphMessageRule(fromPartner)
    expect(rule).toMatchObject({
      id: 'AQAAAJ5dZqA=',
      name: 'From partner',
      enabled: true,
      hidden: false,
      origin: 'graph',
      conditions: { readable: ["sender contains 'ADELE'"], words: ['ADELE'], matchesAll: false },
    })
    expect(rule.actions.forwardTo).toMatchObject([
      { address: 'alexw@contoso.onmicrosoft.com', displayName: 'Alex Wilbur' },
    ])
    expect(rule.actions.stopProcessingRules).toBe(true)
  })

  it('a read-only rule with no conditions or actions is opaque, not match-all', () => {
    const rule = normalizeGraphMessageRule({
      id: 'AQAAAOQfqLg=',
      displayName: 'test rule',
      sequence: 1,
      isEnabled: true,
      hasError: false,
      isReadOnly: true,
    })
    expect(rule.conditions.matchesAll).toBe(false)
    expect(rule.conditions.readable).toEqual(['(conditions Graph cannot show)'])
    expect(rule.actions.forwardTo).toMatchObject([])
  })

  it('an editable rule with no conditions is match-all', () => {
    const rule = normalizeGraphMessageRule({
      id: 'AQAAAJ5dZp8=',
      displayName: 'Everything',
      isReadOnly: false,
      actions: { redirectTo: [{ emailAddress: { address: 'x@fabrikam.com' } }] },
    })
    expect(rule.conditions.matchesAll).toBe(true)
  })

  it('redirectTo as one recipient (older docs) is a list of one', () => {
    const rule = normalizeGraphMessageRule({
      id: 'AQAAAJ5dZp8=',
      displayName: 'Redirect',
      actions: { redirectTo: { emailAddress: { address: 'X@Fabrikam.com', name: 'X' } } },
    })
    expect(rule.actions.redirectTo).toMatchObject([{ address: 'x@fabrikam.com', displayName: 'X' }])
  })

  it('exceptions, recipient predicates and the size range are readable', () => {
    const rule = normalizeGraphMessageRule({
      id: 'AQAAAJ5dZp8=',
      displayName: 'Big mail from Adele',
      isEnabled: false,
      hasError: true,
      conditions: {
        fromAddresses: [{ emailAddress: { address: 'AdeleV@contoso.com', name: 'Adele' } }],
        withinSizeRange: { minimumSize: 1024, maximumSize: 4096 },
      },
      exceptions: { subjectContains: ['Undeliverable'] },
      actions: { forwardTo: [{ emailAddress: { address: 'x@fabrikam.com' } }] },
    })
    expect(rule.enabled).toBe(false)
    expect(rule.inError).toBe(true)
    expect(rule.conditions.readable).toEqual([
      "from 'adelev@contoso.com'",
      'size between 1024 KB and 4096 KB',
    ])
    expect(rule.exceptions).toEqual(["subject contains 'Undeliverable'"])
  })
})

/** The live Get-TransportRule record (graph2otel), with fields overridden per test. */
const transportRow = (fields: Record<string, unknown>): RawTransportRule => ({
  Priority: 0,
  CreatedBy: 'Rob Knight',
  LastModifiedBy: 'Rob Knight',
  Conditions: null,
  Exceptions: null,
  State: 'Enabled',
  Mode: 'Enforce',
  FromScope: null,
  SentToScope: null,
  BlindCopyTo: null,
  CopyTo: null,
  RedirectMessageTo: null,
  AddToRecipients: null,
  RouteMessageOutboundConnector: null,
  DeleteMessage: false,
  Identity: 'g2o-test',
  Guid: '0ab1e768-08b0-4768-81e2-64d6f990c552',
  Name: 'g2o-test',
  WhenChanged: '2026-07-23T21:51:45.0000000+00:00',
  ...fields,
})

describe('Get-TransportRule', () => {
  it('a rule without conditions matches all mail of the whole organization', () => {
    const rule = normalizeTransportRule(transportRow({ BlindCopyTo: ['attacker@evil.test'] }))
    expect(rule.conditions.matchesAll).toBe(true)
    expect(rule.organizationWide).toBe(true)
    expect(rule.actions.blindCopyTo).toMatchObject([{ address: 'attacker@evil.test' }])
    expect(rule).toMatchObject({
      id: '0ab1e768-08b0-4768-81e2-64d6f990c552',
      enabled: true,
      mode: 'Enforce',
      priority: 0,
      createdBy: 'Rob Knight',
      whenChanged: '2026-07-23T21:51:45.000Z',
    })
  })

  it.each([['SentToScope'], ['FromScope']])(
    'only %s is organization-wide but not match-all',
    (scope) => {
      const rule = normalizeTransportRule(
        transportRow({
          Conditions: [`Microsoft.Exchange.MessagingPolicies.Rules.Tasks.${scope}Predicate`],
          [scope]: 'NotInOrganization',
          BlindCopyTo: ['attacker@evil.test'],
        })
      )
      expect(rule.organizationWide).toBe(true)
      expect(rule.conditions.matchesAll).toBe(false)
    }
  )

  it('a From condition is neither organization-wide nor match-all', () => {
    const rule = normalizeTransportRule(
      transportRow({
        Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.FromPredicate'],
        From: ['ceo@contoso.com'],
        RedirectMessageTo: 'attacker@evil.test',
      })
    )
    expect(rule.organizationWide).toBe(false)
    expect(rule.conditions.matchesAll).toBe(false)
    expect(rule.conditions.readable).toEqual(["from 'ceo@contoso.com'"])
    expect(rule.actions.redirectMessageTo).toMatchObject([{ address: 'attacker@evil.test' }])
  })

  it('a predicate with no field here still counts, from `Conditions`', () => {
    const rule = normalizeTransportRule(
      transportRow({
        Conditions: [
          'Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SenderInRecipientListPredicate',
        ],
        BlindCopyTo: ['attacker@evil.test'],
      })
    )
    expect(rule.conditions.matchesAll).toBe(false)
    expect(rule.organizationWide).toBe(false)
    expect(rule.conditions.readable).toEqual(["condition 'SenderInRecipientListPredicate'"])
  })

  it('subject words feed keyword analysis', () => {
    const rule = normalizeTransportRule(
      transportRow({
        Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SubjectContainsPredicate'],
        SubjectContainsWords: ['invoice', 'payment'],
      })
    )
    expect(rule.conditions.words).toEqual(['invoice', 'payment'])
  })

  it.each([
    [{ State: 'Disabled' }, false],
    [{ State: 'Enabled' }, true],
    [{ State: 1 }, false],
    [{ State: 0 }, true],
    [{ State: null }, true],
    [{ State: ' disabled ' }, false],
    // A state Exchange does not have is not taken for "disabled": that would lower the score.
    [{ State: 7 }, true],
  ])('%j is enabled: %s', (fields, enabled) => {
    expect(normalizeTransportRule(transportRow(fields)).enabled).toBe(enabled)
  })

  it.each([
    [{ Mode: 'Audit' }, 'Audit'],
    [{ Mode: 'AuditAndNotify' }, 'AuditAndNotify'],
    [{ Mode: 0 }, 'Audit'],
    [{ Mode: 2 }, 'Enforce'],
    [{ Mode: null }, 'Enforce'],
    [{ Mode: 'enforce' }, 'Enforce'],
    [{ Mode: ' auditandnotify ' }, 'AuditAndNotify'],
  ])('%j is mode %s', (fields, mode) => {
    expect(normalizeTransportRule(transportRow(fields)).mode).toBe(mode)
  })

  it('the outbound connector is read', () => {
    const rule = normalizeTransportRule(
      transportRow({ RouteMessageOutboundConnector: 'Relay to partner' })
    )
    expect(rule.actions.routeMessageOutboundConnector).toBe('Relay to partner')
    expect(rule.actions.readable).toEqual(["route through outbound connector 'Relay to partner'"])
  })

  it('without a Guid, the name is the id', () => {
    expect(normalizeTransportRule(transportRow({ Guid: null })).id).toBe('g2o-test')
  })
})

describe('Get-AcceptedDomain', () => {
  it('reads string and numeric (PowerShell) domain types, names lower-cased', () => {
    expect(
      normalizeAcceptedDomains([
        { DomainName: 'Contoso.com', DomainType: 'Authoritative' },
        { DomainName: 'contoso.onmicrosoft.com', DomainType: 0 },
        { DomainName: 'relay.contoso.com', DomainType: 1 },
        { DomainName: 'contoso-labs.com', DomainType: 2 },
        { DomainName: 'fabrikam-partner.com', DomainType: 'InternalRelay' },
      ])
    ).toEqual([
      { name: 'contoso.com', type: 'Authoritative' },
      { name: 'contoso.onmicrosoft.com', type: 'Authoritative' },
      { name: 'relay.contoso.com', type: 'ExternalRelay' },
      { name: 'contoso-labs.com', type: 'InternalRelay' },
      { name: 'fabrikam-partner.com', type: 'InternalRelay' },
    ])
  })
})

describe('timestamps', () => {
  it.each([
    ['2024-04-10T08:56:22.0000000+00:00', '2024-04-10T08:56:22.000Z'],
    ['2024-04-10T10:56:22+02:00', '2024-04-10T08:56:22.000Z'],
    ['2023-05-29T12:30:51', '2023-05-29T12:30:51.000Z'],
    ['/Date(1728364117000)/', '2024-10-08T05:08:37.000Z'],
    ['/Date(1728364117000+0200)/', '2024-10-08T05:08:37.000Z'],
    [1728364117000, '2024-10-08T05:08:37.000Z'],
  ] as const)('%j is %s', (value, iso) => {
    expect(toIsoTime(value)).toBe(iso)
  })

  it.each([[''], ['yesterday'], [null], [undefined], [{}], [Number.NaN]])(
    '%j is no time',
    (value) => {
      expect(toIsoTime(value)).toBeUndefined()
    }
  )
})
