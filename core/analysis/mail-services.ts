/**
 * @module analysis/mail-services
 * Services whose addresses do not tell who reads the mail. A domain matches a listed one when it
 * is that domain or a sub-domain of it (`x@user.anonaddy.com`, `support@acme.zendesk.com`).
 *
 * - Relay and alias services forward to a mailbox the tenant never sees: the real recipient is
 *   hidden on purpose. Sources: each service's documentation of its alias domains.
 * - Archiving vendors receive journal reports from a journal or transport rule. An inbox rule or
 *   mailbox forward to one is not how archiving is set up: odd, never reassuring.
 * - Ticketing and service-desk vendors give every customer addresses under the vendor's domain,
 *   and anyone can open an account: a vendor's root domain vouches for nobody. The allowlist
 *   refuses these roots as domain entries (allowlist/shared-domains.ts).
 */

export type MailService = 'relay' | 'archive' | 'ticketing'

/** Alias and relay services (root domains). */
export const RELAY_SERVICES: readonly string[] = [
  '33mail.com',
  'addy.io',
  'anonaddy.com',
  'anonaddy.me',
  'duck.com',
  'mozmail.com',
  'relay.firefox.com',
  'privaterelay.appleid.com',
  'simplelogin.com',
  'simplelogin.io',
  'simplelogin.co',
  'simplelogin.fr',
  'slmail.me',
  'aleeas.com',
  '8alias.com',
  '8shield.net',
  'dralias.com',
  'silomails.com',
  'slmails.com',
  'passmail.com',
  'passmail.net',
  'passinbox.com',
  'burnermail.io',
]

/** Archiving and compliance-capture vendors (root domains). */
export const ARCHIVE_SERVICES: readonly string[] = [
  'mimecast.com',
  'barracudanetworks.com',
  'proofpoint.com',
  'smarsh.com',
  'globalrelay.com',
  'globalrelay.net',
  'jatheon.com',
  'hornetsecurity.com',
  'intermedia.net',
  'veritas.com',
]

/** Ticketing and service-desk vendors that hand each customer addresses under their domain. */
export const TICKETING_SERVICES: readonly string[] = [
  'zendesk.com',
  'freshdesk.com',
  'freshservice.com',
  'zohodesk.com',
  'helpscout.net',
  'happyfox.com',
  'kayako.com',
  'service-now.com',
  'atlassian.net',
  'salesforce.com',
]

const BY_DOMAIN = new Map<string, MailService>([
  ...RELAY_SERVICES.map((d) => [d, 'relay'] as const),
  ...ARCHIVE_SERVICES.map((d) => [d, 'archive'] as const),
  ...TICKETING_SERVICES.map((d) => [d, 'ticketing'] as const),
])

/** The listed root domain `domain` falls under, and what kind of service it is. */
export function mailServiceOf(domain: string): { service: MailService; root: string } | undefined {
  for (let d = domain.toLowerCase(); d.includes('.'); d = d.slice(d.indexOf('.') + 1)) {
    const service = BY_DOMAIN.get(d)
    if (service) return { service, root: d }
  }
  return undefined
}
