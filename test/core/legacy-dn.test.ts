/**
 * Forward targets given only as an Exchange legacy DN (`[EX:/o=...]`) resolve to the mailbox or
 * recipient that owns that DN: as its `LegacyExchangeDN`, or as an `X500:` proxy address, which
 * is how a mailbox keeps the DNs it had before a migration (docs/microsoft-apis.md §5.6, 5.7).
 */
import { describe, expect, it } from 'vitest'
import { directoryKeys } from '../../core/sources/live/recipient-lookup.ts'
import { categoriesOf, onlyFinding, tenant } from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const PETRA = 'p.novak@contoso.com'
/** The DN Petra's mailbox had on-premises, before it moved to Exchange Online. */
const OLD_DN =
  '/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=Petra Novak7a1'
const exTo = (dn: string, name: string) => `"${name}" [EX:${dn}]`

describe('a legacy DN forward target', () => {
  it('resolves to the mailbox that carries it as an X500 proxy address', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox(PETRA, {
          EmailAddresses: [
            `SMTP:${PETRA}`,
            'smtp:p.novak@contoso.onmicrosoft.com',
            `X500:${OLD_DN}`,
          ],
        })
        .inboxRule(ALEX, { Name: 'To Petra', ForwardTo: [exTo(OLD_DN, 'Petra Novak')] })
    )
    expect(finding).toMatchObject({ destination: PETRA, external: false })
  })

  it('resolves whatever the case Exchange wrote it in', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .mailbox(PETRA, { EmailAddresses: [`SMTP:${PETRA}`, `x500:${OLD_DN.toUpperCase()}`] })
        .inboxRule(ALEX, { Name: 'To Petra', RedirectTo: [exTo(OLD_DN.toLowerCase(), 'Petra')] })
    )
    expect(finding.destination).toBe(PETRA)
  })

  it('that a mail user owns as an X500 address leaves the tenant to its external address', async () => {
    const dn =
      '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0f3b2c-ap.archive'
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .recipient({
          Identity: 'AP archive',
          Name: 'AP archive',
          Alias: 'ap.archive',
          PrimarySmtpAddress: 'ap.archive@contoso.com',
          ExternalEmailAddress: 'SMTP:ap-archive@outlook.com',
          LegacyExchangeDN:
            '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=9d77e1-ap.archive',
          RecipientType: 'MailUser',
          RecipientTypeDetails: 'MailUser',
          EmailAddresses: ['SMTP:ap.archive@contoso.com', `X500:${dn}`],
        })
        .inboxRule(ALEX, { Name: 'Archive', ForwardTo: [exTo(dn, 'AP archive')] })
    )
    expect(finding).toMatchObject({ destination: 'ap-archive@outlook.com', external: true })
    expect(categoriesOf(finding)).toContain('external_forwarding')
  })

  it('named by ForwardingAddress resolves the same way', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX, { ForwardingAddress: OLD_DN, DeliverToMailboxAndForward: true })
        .mailbox(PETRA, { EmailAddresses: [`SMTP:${PETRA}`, `X500:${OLD_DN}`] })
    )
    expect(finding).toMatchObject({ type: 'smtp_forwarding', destination: PETRA })
  })
})

describe('a live audit', () => {
  it('knows X500 addresses already, so it does not look them up with Get-Recipient', () => {
    const keys = directoryKeys(
      [{ UserPrincipalName: PETRA, EmailAddresses: [`SMTP:${PETRA}`, `X500:${OLD_DN}`] }],
      [{ Identity: 'AP archive', EmailAddresses: ['X500:/o=Contoso/cn=Recipients/cn=AP'] }]
    )
    expect(keys).toContain(OLD_DN.toLowerCase())
    expect(keys).toContain('/o=contoso/cn=recipients/cn=ap')
  })
})
