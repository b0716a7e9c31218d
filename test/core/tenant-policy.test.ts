/**
 * Which outbound spam policy applies to a forwarding mailbox, as Exchange decides it: rules in
 * Priority order, From / SenderDomainIs / FromMemberOf with their exceptions, group membership
 * from Graph's transitiveMemberOf, and an unknown verdict (nothing subtracted) where membership
 * could not be resolved. Then the remote domain, most specific first.
 */
import { describe, expect, it } from 'vitest'
import { formatReport, RISK_TABLE } from '../../core/index.ts'
import {
  audit,
  categoriesOf,
  onlyFinding,
  outboundSpamPolicy,
  outboundSpamRule,
  tenant,
} from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const DEFAULT_OFF = outboundSpamPolicy('Default', 'Automatic')
const ALLOW = outboundSpamPolicy('Allow forwarding - Sales', 'On')
/** External, every message, copy kept: 30 + 40 = 70 unblocked. */
const FORWARD = {
  ForwardingSmtpAddress: 'smtp:j.doe@fabrikam.com',
  DeliverToMailboxAndForward: true,
}

/** Alex forwards out; the Sales policy allows forwarding for the Sales Team group. */
const salesScoped = (rule: Record<string, unknown> = {}) =>
  tenant()
    .mailbox(ALEX, FORWARD)
    .group('Sales Team')
    .controls({
      policies: [DEFAULT_OFF, ALLOW],
      rules: [
        outboundSpamRule({
          Name: 'Allow forwarding - Sales',
          Priority: 0,
          FromMemberOf: ['Sales Team'],
          ...rule,
        }),
      ],
    })

describe('group-scoped outbound spam policies', () => {
  it('a member of the group an allow policy names is not blocked: the forward scores in full', async () => {
    const finding = await onlyFinding(salesScoped().memberOf(ALEX, ['Sales Team', 'All Staff']))
    expect(finding.tenant_policy).toEqual({
      external_forwarding_blocked: false,
      reason: expect.stringMatching(/Allow forwarding - Sales.*AutoForwardingMode On/),
    })
    expect(categoriesOf(finding)).not.toContain('blocked_by_tenant_policy')
    expect(finding.risk_score).toBe(70)
  })

  it('a mailbox outside the group falls to the default policy and is blocked', async () => {
    const finding = await onlyFinding(salesScoped().memberOf(ALEX, ['All Staff']))
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(true)
    expect(finding.tenant_policy?.reason).toMatch(/"Default".*Automatic/)
    expect(finding.risk_score).toBe(70 + RISK_TABLE.blocked_by_tenant_policy.weight)
  })

  it('membership is matched by object id when Graph gives the groups without names (User.Read.All only)', async () => {
    const member = await onlyFinding(
      salesScoped().memberOf(ALEX, ['Sales Team'], { limited: true })
    )
    expect(member.tenant_policy?.external_forwarding_blocked).toBe(false)
    const outsider = await onlyFinding(
      salesScoped().memberOf(ALEX, ['All Staff'], { limited: true })
    )
    expect(outsider.tenant_policy?.external_forwarding_blocked).toBe(true)
  })

  it('unread membership makes the verdict unknown: nothing subtracted, and the summary says why', async () => {
    const report = await audit(salesScoped())
    const [finding] = report.data.findings
    expect(finding?.tenant_policy?.external_forwarding_blocked).toBeNull()
    expect(finding?.tenant_policy?.reason).toMatch(/rule "Allow forwarding - Sales".*group/)
    expect(categoriesOf(finding!)).not.toContain('blocked_by_tenant_policy')
    expect(finding?.risk_score).toBe(70)
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.incomplete_reasons.join('\n')).toMatch(
      /1 finding\(s\) with an unknown tenant-policy verdict/
    )
    expect(formatReport(report, 'table', { width: 200 })).toMatch(/external, policy unknown$/m)
  })

  it('a group the tenant data cannot identify leaves the verdict unknown rather than "not a member"', async () => {
    // No Get-Recipient row for the group, and Graph gave ids only: nothing ties the name to an id.
    const snapshot = tenant()
      .mailbox(ALEX, FORWARD)
      .memberOf(ALEX, ['Sales Team'], { limited: true })
      .controls({
        policies: [DEFAULT_OFF, ALLOW],
        rules: [
          outboundSpamRule({
            Name: 'Allow forwarding - Sales',
            Priority: 0,
            FromMemberOf: ['Sales Team'],
          }),
        ],
      })
    expect((await onlyFinding(snapshot)).tenant_policy?.external_forwarding_blocked).toBeNull()
  })

  it('unknown membership still gives a verdict when every policy that could apply agrees', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, FORWARD)
        .group('Sales Team')
        .controls({
          policies: [DEFAULT_OFF, outboundSpamPolicy('Sales limits', 'Off')],
          rules: [
            outboundSpamRule({ Name: 'Sales limits', Priority: 0, FromMemberOf: ['Sales Team'] }),
          ],
        })
    )
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(true)
  })

  it('a disabled group rule needs no membership: the default policy decides', async () => {
    const report = await audit(salesScoped({ State: 'Disabled' }))
    expect(report.data.findings[0]?.tenant_policy?.external_forwarding_blocked).toBe(true)
    expect(report.data.summary.sources).not.toContain('snapshot:transitiveMemberOf')
  })
})

describe('rule order, conditions and exceptions', () => {
  it('the lowest Priority decides, whatever order the export lists the rules in', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, FORWARD)
        .controls({
          policies: [DEFAULT_OFF, ALLOW, outboundSpamPolicy('Executives', 'Off')],
          rules: [
            outboundSpamRule({ Name: 'Allow forwarding - Sales', Priority: 1, From: [ALEX] }),
            outboundSpamRule({ Name: 'Executives', Priority: 0, SenderDomainIs: ['contoso.com'] }),
          ],
        })
    )
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(true)
    expect(finding.tenant_policy?.reason).toMatch(/"Executives"/)
  })

  it('every condition a rule has must match: From and FromMemberOf together', async () => {
    const rule = { From: [ALEX], FromMemberOf: ['Sales Team'] }
    const inBoth = await onlyFinding(salesScoped(rule).memberOf(ALEX, ['Sales Team']))
    expect(inBoth.tenant_policy?.external_forwarding_blocked).toBe(false)
    const notInGroup = await onlyFinding(salesScoped(rule).memberOf(ALEX, []))
    expect(notInGroup.tenant_policy?.external_forwarding_blocked).toBe(true)
  })

  it.each([
    ['ExceptIfFrom', { ExceptIfFrom: ['alex.wilber'] }],
    ['ExceptIfFromMemberOf', { ExceptIfFromMemberOf: ['Contractors'] }],
    ['ExceptIfSenderDomainIs', { ExceptIfSenderDomainIs: ['contoso.com'] }],
  ])('an exception (%s) takes the sender out of the rule', async (_name, exception) => {
    const snapshot = salesScoped(exception)
      .group('Contractors')
      .memberOf(ALEX, ['Sales Team', 'Contractors'])
    const finding = await onlyFinding(snapshot)
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(true)
    expect(finding.tenant_policy?.reason).toMatch(/"Default"/)
  })

  it('a disabled rule is skipped, written as Disabled or as RuleState 1', async () => {
    for (const State of ['Disabled', 1]) {
      const finding = await onlyFinding(
        salesScoped({ State, FromMemberOf: null, From: [ALEX] }).memberOf(ALEX, ['Sales Team'])
      )
      expect(finding.tenant_policy?.external_forwarding_blocked, String(State)).toBe(true)
    }
  })

  it('SenderDomainIs covers subdomains of the primary address, and only the primary address', async () => {
    const rule = { FromMemberOf: null, SenderDomainIs: ['contoso.com'] }
    const sub = await onlyFinding(
      salesScoped(rule)
        .acceptedDomain('emea.contoso.com', 'Authoritative')
        .mailbox('r.vogel@emea.contoso.com', FORWARD),
      { user: 'r.vogel@emea.contoso.com' }
    )
    expect(sub.tenant_policy?.external_forwarding_blocked).toBe(false)
    // Alex's secondary address in fabrikam-sales.com does not make the rule apply.
    const other = await onlyFinding(
      tenant()
        .acceptedDomain('fabrikam-sales.com', 'Authoritative')
        .mailbox(ALEX, {
          ...FORWARD,
          EmailAddresses: [`SMTP:${ALEX}`, 'smtp:alex@fabrikam-sales.com'],
        })
        .controls({
          policies: [DEFAULT_OFF, ALLOW],
          rules: [
            outboundSpamRule({
              Name: 'Allow forwarding - Sales',
              Priority: 0,
              SenderDomainIs: ['fabrikam-sales.com'],
            }),
          ],
        })
    )
    expect(other.tenant_policy?.external_forwarding_blocked).toBe(true)
  })
})

describe('a policy exported without its mode', () => {
  it('is not assumed Automatic: the verdict is unknown and nothing is subtracted', async () => {
    for (const AutoForwardingMode of [null, undefined]) {
      const { AutoForwardingMode: _, ...withoutMode } = DEFAULT_OFF
      const policy =
        AutoForwardingMode === null ? { ...withoutMode, AutoForwardingMode } : withoutMode
      const finding = await onlyFinding(
        tenant()
          .mailbox(ALEX, FORWARD)
          .controls({ policies: [policy] })
      )
      expect(finding.tenant_policy).toEqual({
        external_forwarding_blocked: null,
        reason: expect.stringMatching(/"Default" has AutoForwardingMode missing from the data/),
      })
      expect(categoriesOf(finding)).not.toContain('blocked_by_tenant_policy')
      expect(finding.risk_score).toBe(70)
    }
  })
})

describe('remote domains, most specific first', () => {
  const withRemote = (remoteDomains: Record<string, unknown>[], to: string) =>
    onlyFinding(
      tenant()
        .mailbox(ALEX, { ...FORWARD, ForwardingSmtpAddress: `smtp:${to}` })
        .controls({ policies: [outboundSpamPolicy('Default', 'On')], remoteDomains })
    )
  const remote = (name: string, DomainName: string, AutoForwardEnabled: boolean) => ({
    Name: name,
    Identity: name,
    DomainName,
    AutoForwardEnabled,
    AllowedOOFType: 'External',
    IsInternal: false,
  })

  it('an exact DomainName beats a longer wildcard that also covers the domain', async () => {
    const finding = await withRemote(
      [
        remote('Default', '*', true),
        remote('Mail subdomains', '*.mail.fabrikam.com', false),
        remote('Fabrikam mail', 'mail.fabrikam.com', true),
      ],
      'x@mail.fabrikam.com'
    )
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(false)
    expect(finding.tenant_policy?.reason).toMatch(/Fabrikam mail/)
  })

  it('a *.parent wildcard covers the parent and its subdomains, before *', async () => {
    const domains = [remote('Default', '*', true), remote('Fabrikam', '*.fabrikam.com', false)]
    for (const to of ['x@fabrikam.com', 'x@eu.mail.fabrikam.com']) {
      const finding = await withRemote(domains, to)
      expect(finding.tenant_policy?.external_forwarding_blocked, to).toBe(true)
      expect(finding.tenant_policy?.reason, to).toMatch(/"Fabrikam"/)
    }
    const elsewhere = await withRemote(domains, 'x@notfabrikam.com')
    expect(elsewhere.tenant_policy?.external_forwarding_blocked).toBe(false)
  })

  it('the longest wildcard wins over a shorter one', async () => {
    const finding = await withRemote(
      [remote('Fabrikam', '*.fabrikam.com', false), remote('EU', '*.eu.fabrikam.com', true)],
      'x@mail.eu.fabrikam.com'
    )
    expect(finding.tenant_policy?.reason).toMatch(/"EU"/)
    expect(finding.tenant_policy?.external_forwarding_blocked).toBe(false)
  })
})
