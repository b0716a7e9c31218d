/**
 * @module test/bench/generate-tenant
 * A synthetic tenant snapshot of any size for benchmarks: ordinary mailboxes with about three
 * harmless rules each (the built-in Junk E-mail Rule included), and a planted attack every
 * `plantEvery` mailboxes, cycling through the kinds of forwarding the audit must find.
 */
import type { TenantSnapshot } from '../../core/index.ts'
import type { RawExchangeInboxRule } from '../../core/normalize/raw.ts'
import { type AddressBook, exchangeToGraph } from '../simulator/rule-convert.ts'

/** Every forward target here is an SMTP address: nothing to look up. */
const NO_ADDRESS_BOOK: AddressBook = { byLegacyDn: () => undefined, bySmtp: () => undefined }

export interface GenerateOptions {
  mailboxes: number
  /** One planted attack per this many mailboxes (default 400: 250 at 100,000). */
  plantEvery?: number
}

const DOMAIN = 'fabrikam.com'
const PLANTS = ['smtp', 'freemail-rule', 'hidden-rule', 'dot-rule', 'lookalike'] as const

/** Build the snapshot object. Deterministic: the same options give the same tenant. */
export function generateTenant({ mailboxes, plantEvery = 400 }: GenerateOptions): TenantSnapshot {
  const entries: TenantSnapshot['mailboxes'] = []
  for (let i = 0; i < mailboxes; i++) {
    const alias = `user${i}`
    const upn = `${alias}@${DOMAIN}`
    const plant =
      i % plantEvery === plantEvery - 1
        ? PLANTS[Math.floor(i / plantEvery) % PLANTS.length]
        : undefined
    const exchange: Record<string, unknown>[] = [
      junkRule(alias, i),
      rule(alias, i, 1, 'Newsletters', {
        SubjectContainsWords: ['newsletter'],
        MoveToFolder: `${upn}:\\Newsletters`,
      }),
      rule(alias, i, 2, 'Team updates', {
        From: [`"Team" [SMTP:team${i % 50}@${DOMAIN}]`],
        MarkImportance: 'High',
      }),
    ]
    const mailbox: Record<string, unknown> = {
      UserPrincipalName: upn,
      PrimarySmtpAddress: upn,
      DisplayName: `User ${i}`,
      Alias: alias,
      Name: alias,
      RecipientTypeDetails: i % 20 === 0 ? 'SharedMailbox' : 'UserMailbox',
      EmailAddresses: [`SMTP:${upn}`, `smtp:${alias}@fabrikam.onmicrosoft.com`],
      LegacyExchangeDN: `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${i.toString(16)}-${alias}`,
      ForwardingSmtpAddress: null,
      ForwardingAddress: null,
      DeliverToMailboxAndForward: false,
      HiddenFromAddressListsEnabled: false,
    }
    if (plant === 'smtp') mailbox.ForwardingSmtpAddress = `smtp:${alias}.private@protonmail.com`
    if (plant === 'freemail-rule')
      exchange.push(
        rule(alias, i, 3, 'Copy', { ForwardTo: [`"Me" [SMTP:${alias}.home@gmail.com]`] })
      )
    if (plant === 'hidden-rule')
      exchange.push(rule(alias, i, 3, ' ', { RedirectTo: [`"x" [SMTP:drop${i}@yandex.ru]`] }))
    if (plant === 'dot-rule') {
      exchange.push(
        rule(alias, i, 3, '.', {
          SubjectOrBodyContainsWords: ['invoice', 'payment'],
          ForwardTo: [`"AP" [SMTP:ap${i}@outlook.com]`],
          MoveToFolder: `${upn}:\\RSS Feeds`,
          MarkAsRead: true,
        })
      )
    }
    if (plant === 'lookalike')
      exchange.push(rule(alias, i, 3, 'Vendor', { RedirectTo: [`"V" [SMTP:ap@fabrikarn.com]`] }))
    // Graph shows every rule but the hidden one and the built-in Junk E-mail Rule, with the
    // same conditions and actions: an audit that reads only Graph finds the visible forwards.
    const graph = exchange
      .filter((r) => r.Name !== ' ' && r.Name !== 'Junk E-mail Rule')
      .map((r) => exchangeToGraph(r as RawExchangeInboxRule, upn, NO_ADDRESS_BOOK))
    entries.push({
      mailbox: mailbox as never,
      exchangeInboxRules: exchange as never,
      graphInboxRules: graph as never,
    })
  }
  return {
    format: 'forwarding-audit/tenant-snapshot',
    version: 1,
    tenant: { id: '5f1c0c7e-0000-4000-8000-000000100000', name: 'fabrikam.onmicrosoft.com' },
    capturedAt: '2026-11-20T09:00:00Z',
    acceptedDomains: [
      { DomainName: DOMAIN, DomainType: 'Authoritative' },
      { DomainName: 'fabrikam.onmicrosoft.com', DomainType: 'Authoritative' },
    ],
    mailboxes: entries,
    transportRules: [
      { Name: 'Disclaimer', State: 'Enabled', Mode: 'Enforce', FromScope: 'InOrganization' },
      {
        Name: 'Retention copy',
        State: 'Enabled',
        Mode: 'Enforce',
        BlindCopyTo: ['keep@fabrikam-archive.net'],
      },
    ],
  } as TenantSnapshot
}

function junkRule(alias: string, i: number): Record<string, unknown> {
  return {
    Name: 'Junk E-mail Rule',
    Enabled: true,
    Priority: 0,
    Identity: `${alias}\\72185781202347${i}`,
  }
}

function rule(
  alias: string,
  i: number,
  priority: number,
  name: string,
  fields: Record<string, unknown>
) {
  return {
    Name: name,
    Enabled: true,
    Priority: priority,
    Identity: `${alias}\\1539400723097400${i}${priority}`,
    ...fields,
  }
}

/** How many findings the planted attacks make (for the benchmark's sanity check). */
export function plantedCount({ mailboxes, plantEvery = 400 }: GenerateOptions): number {
  return Math.floor(mailboxes / plantEvery) + 1 // + the retention transport rule
}
