/**
 * Issue 7, destinations an attacker writes: every recipient string, forward field and accepted
 * domain below is planted by the person hiding a forward. Each test fails if the trick works:
 * the forward must be found, called external, shown as written, and kept by --external-only.
 */
import { describe, expect, it } from 'vitest'
import { isAuditError } from '../../core/index.ts'
import {
  audit,
  categoriesOf,
  findingsOf,
  onlyFinding,
  smtpTarget,
  tenant,
} from '../core/tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const EXTERNAL_ONLY = { all_users: true, external_only: true }

const forwardTo = (target: unknown) =>
  tenant()
    .mailbox(ALEX)
    .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [target] })

describe('a recipient string whose address does not parse', () => {
  it.each([
    // The display name claims an internal address; the address part is a quoted local part.
    ['"s.brandt@contoso.com" [SMTP:"boss"@evil.example]', '"boss"@evil.example'],
    ['"s.brandt@contoso.com" [SMTP:"a@contoso.com"@evil.example]', '"a@contoso.com"@evil.example'],
  ])('%s goes where its address part says, never to its display name', async (target, shown) => {
    const finding = await onlyFinding(forwardTo(target), EXTERNAL_ONLY)
    expect(finding.destination).toBe(shown)
    expect(finding.external).toBe(true)
    expect(categoriesOf(finding)).toContain('external_forwarding')
  })

  it.each([
    ['two @', '"s.brandt@contoso.com" [SMTP:s.brandt@contoso.com@evil.example]'],
    ['a full-width ＠', '"s.brandt@contoso.com" [SMTP:s.brandt＠contoso.com]'],
    ['a small ﹫', 's.brandt﹫contoso.com'],
    ['an empty [SMTP:]', '"s.brandt@contoso.com" [SMTP:]'],
    ['an [EX:] nobody resolves', '"Sabine Brandt" [EX:/o=ExchangeLabs/cn=Recipients/cn=ghost]'],
    ['an empty [EX:]', '"s.brandt@contoso.com" [EX:]'],
    ['a bracketed address literal', 'x@[10.0.0.1]'],
    ['spaces in the domain', 'x@contoso .com'],
  ])('with %s it is external and shown as written', async (_, target) => {
    const finding = await onlyFinding(forwardTo(target), EXTERNAL_ONLY)
    expect(finding.destination).toBe(target)
    expect(finding.external).toBe(true)
    expect(finding.actions[0]).toBe(`forward to ${target}`)
  })

  it('an unparseable ForwardingSmtpAddress is external and shown as written', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:boss@evil.example@contoso.com' }),
      EXTERNAL_ONLY
    )
    expect(finding.destination).toBe('boss@evil.example@contoso.com')
    expect(finding.external).toBe(true)
  })

  it('a ForwardingAddress naming nobody the snapshot knows is external', async () => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX, { ForwardingAddress: 'Ghost Contact' }),
      EXTERNAL_ONLY
    )
    expect(finding.destination).toBe('Ghost Contact')
    expect(finding.external).toBe(true)
  })

  it('a display name never resolves a target to an internal mailbox', async () => {
    // "alex.wilber" is the mailbox's alias and name; the address beside it is not Alex's.
    const finding = await onlyFinding(
      forwardTo('"alex.wilber" [SMTP:alex.wilber@evil.example]'),
      EXTERNAL_ONLY
    )
    expect(finding.destination).toBe('alex.wilber@evil.example')
  })

  it('a real internal address stays internal', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox('s.brandt@contoso.com')
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('S.Brandt@Contoso.com')] })
    )
    expect(finding.destination).toBe('s.brandt@contoso.com')
    expect(finding.external).toBe(false)
  })
})

describe('garbage in a rule’s forward fields', () => {
  it.each([
    ['an object', { ForwardTo: {} }],
    ['a list with an empty object', { ForwardTo: [{}] }],
    ['a list with an empty string', { ForwardTo: [''] }],
    ['a list with a blank string', { RedirectTo: ['   '] }],
    ['an object without an address', { ForwardAsAttachmentTo: [{ RoutingType: 'SMTP' }] }],
  ])('%s never drops the finding', async (_, fields) => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'x', ...fields }),
      EXTERNAL_ONLY
    )
    expect(finding.type).toBe('inbox_rule')
    expect(finding.external).toBe(true)
    expect(finding.destination).toMatch(/^\((empty|unreadable) recipient/)
  })

  it.each([
    ['an empty object', [{}]],
    ['an emailAddress without an address', [{ emailAddress: { name: '' } }]],
    ['an empty address', [{ emailAddress: { address: '' } }]],
  ])('a Graph rule forwarding to %s is still a finding', async (_, forwardTo) => {
    const finding = await onlyFinding(
      tenant().mailbox(ALEX).graphRule(ALEX, { displayName: 'x', actions: { forwardTo } }),
      EXTERNAL_ONLY
    )
    expect(finding.external).toBe(true)
  })

  it('a forward field of the wrong type refuses the snapshot, naming the field', async () => {
    const error = await Promise.resolve()
      .then(() =>
        audit(
          tenant()
            .mailbox(ALEX)
            .inboxRule(ALEX, { Name: 'x', ForwardTo: [42] })
        )
      )
      .catch((e: unknown) => e)
    expect(isAuditError(error) && error.code).toBe('INVALID_SNAPSHOT')
    expect(String((error as Error).message)).toContain(
      'mailboxes[0].exchangeInboxRules[0].ForwardTo'
    )
  })
})

describe('an accepted domain’s DomainType', () => {
  it.each([['Weird'], [''], ['internal'], [7], [-1]])(
    '%j is refused, naming the field',
    async (type) => {
      const error = await Promise.resolve()
        .then(() =>
          audit(
            tenant()
              .acceptedDomain('fabrikam.com', type as string)
              .mailbox(ALEX)
          )
        )
        .catch((e: unknown) => e)
      expect(isAuditError(error) && error.code).toBe('INVALID_SNAPSHOT')
      expect((error as Error).message).toContain('acceptedDomains[2].DomainType')
    }
  )

  it.each([
    ['externalrelay', true],
    ['EXTERNALRELAY', true],
    [1, true],
    ['authoritative', false],
    ['internalRelay', false],
    [2, false],
  ])('%j is read case-insensitively (external: %s)', async (type, external) => {
    const finding = await onlyFinding(
      tenant()
        .acceptedDomain('fabrikam.com', type)
        .mailbox('a@fabrikam.com')
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'x', ForwardTo: [smtpTarget('a@fabrikam.com')] }),
      { user: ALEX }
    )
    expect(finding.external).toBe(external)
  })
})

describe('internationalized look-alikes of an accepted domain', () => {
  it.each([
    ['the Unicode form (Cyrillic о)', 'drop@cоntoso.com', 'drop@cоntoso.com (xn--cntoso-wqf.com)'],
    ['the punycode form', 'drop@xn--cntoso-wqf.com', 'drop@cоntoso.com (xn--cntoso-wqf.com)'],
    ['full-width letters', 'drop@ｃｏｎｔｏｓｏ.com', 'drop@ｃｏｎｔｏｓｏ.com (contoso.com)'],
    [
      'a Cyrillic subdomain',
      'drop@mail.cоntoso.com',
      'drop@mail.cоntoso.com (mail.xn--cntoso-wqf.com)',
    ],
    ['Greek and Cyrillic together', 'drop@сontοso.com', undefined],
  ])(
    '%s is external, a lookalike_domain, shown with its punycode form',
    async (_, address, shown) => {
      const finding = await onlyFinding(forwardTo(smtpTarget(address)), EXTERNAL_ONLY)
      if (shown) expect(finding.destination).toBe(shown)
      expect(finding.destination).toMatch(
        /\((?:[a-z0-9-]+\.)*(?:xn--[a-z0-9-]+|contoso)\.[a-z]+\)$/
      )
      expect(finding.external).toBe(true)
      const factor = finding.risk_factors.find((f) => f.category === 'lookalike_domain')
      expect(factor?.description).toMatch(/imitates the accepted domain contoso\.com$/)
      expect(factor?.description).toContain('(')
    }
  )

  it('a homoglyph in a mail contact’s address is caught too', async () => {
    const snapshot = tenant().mailbox(ALEX).mailContact('Helpdesk', 'help@cоntoso.com')
    const dn = String(snapshot.snapshot.recipients?.[0]?.LegacyExchangeDN)
    const finding = await onlyFinding(
      snapshot.inboxRule(ALEX, { Name: 'x', ForwardTo: [`"Helpdesk" [EX:${dn}]`] })
    )
    expect(categoriesOf(finding)).toContain('lookalike_domain')
  })

  it('an unrelated internationalized domain is external but no look-alike', async () => {
    const finding = await onlyFinding(forwardTo(smtpTarget('kontakt@müller.de')))
    expect(finding.destination).toBe('kontakt@müller.de (xn--mller-kva.de)')
    expect(categoriesOf(finding)).not.toContain('lookalike_domain')
  })

  it('the tenant’s own internationalized accepted domain stays internal', async () => {
    const finding = await onlyFinding(
      tenant()
        .acceptedDomain('xn--mller-kva.de', 'Authoritative')
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'x', ForwardTo: [smtpTarget('a@müller.de')] })
    )
    expect(finding.external).toBe(false)
  })

  it('every format shows the punycode form beside the Unicode one', async () => {
    const { formatReport, OUTPUT_FORMATS } = await import('../../core/index.ts')
    const report = await audit(forwardTo(smtpTarget('drop@cоntoso.com')))
    for (const format of OUTPUT_FORMATS) {
      const text = formatReport(report, format, { width: 200 })
      expect(text, format).toContain('xn--cntoso-wqf.com')
      expect(text, format).toMatch(/c(о|\\u043e|\\u\{43E\})ntoso\.com/)
    }
  })
})

describe('a destination domain written with its root dot', () => {
  // `duck.com.` is duck.com in DNS: the dot must not take a relay, freemail or disposable
  // domain off its list and the points with it.
  it.each([
    ['a relay service', 'drop@duck.com.', 'relay_service'],
    ['a relay service subdomain', 'drop@bob.33mail.com.', 'relay_service'],
    ['a disposable domain', 'drop@mailinator.com.', 'disposable_address'],
    ['a freemail domain', 'drop@gmail.com.', 'free_email_provider'],
  ])('%s keeps its factor', async (_, address, category) => {
    const finding = await onlyFinding(forwardTo(smtpTarget(address)), {
      all_users: true,
      flag_freemail: true,
    })
    expect(finding.external).toBe(true)
    expect(categoriesOf(finding)).toContain(category)
  })
})

describe('ASCII look-alikes of an accepted domain', () => {
  // Edit distance alone lets three look-alike letters through (c0nt0s0 is three edits from
  // contoso); Unicode's confusables fold 0 to o, 1 to l and m to rn for ASCII too.
  it.each([
    ['digits for letters, three times', 'drop@c0nt0s0.com'],
    ['digits for letters under another suffix', 'drop@c0nt0s0.net'],
    ['digits for letters inside a longer name', 'drop@c0nt0s0-mail.com'],
    ['the accepted domain, disguised, as a prefix', 'drop@c0nt0s0.com.evil.example'],
    ['rn for m and 1 for l, three times', 'drop@rnicr0s0ft.com'],
  ])('%s is a lookalike_domain', async (_, address) => {
    const finding = await onlyFinding(
      tenant()
        .acceptedDomain('microsoft.com', 'Authoritative')
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget(address)] })
    )
    expect(finding.external).toBe(true)
    expect(categoriesOf(finding)).toContain('lookalike_domain')
  })

  it.each([
    ['an unrelated domain', 'drop@fabrikam.com'],
    ['a freemail domain', 'drop@gmail.com'],
    ['a name with digits of its own', 'drop@co1ntoast2.com'],
  ])('%s is no look-alike', async (_, address) => {
    const finding = await onlyFinding(forwardTo(smtpTarget(address)))
    expect(categoriesOf(finding)).not.toContain('lookalike_domain')
  })

  it('a short name two folded edits away is no look-alike (acme.com, aprte.com)', async () => {
    const finding = await onlyFinding(
      tenant()
        .acceptedDomain('acme.com', 'Authoritative')
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@aprte.com')] })
    )
    expect(categoriesOf(finding)).not.toContain('lookalike_domain')
  })
})

describe('the allowlist and destinations that never parsed', () => {
  it('a domain entry does not cover raw text that merely ends in that domain', async () => {
    const { parseAllowlist } = await import('../../core/index.ts')
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ destination: 'fabrikam.com', reason: 'partner' }],
    })
    const findings = await findingsOf(forwardTo('x@evil.example@partner.fabrikam.com'))
    expect(findings).toHaveLength(1)
    const report = await audit(forwardTo('x@evil.example@partner.fabrikam.com'), undefined, {
      allowlist,
    })
    expect(report.data.findings[0]?.suppressed).toBeUndefined()
  })
})
