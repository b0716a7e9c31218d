/**
 * @module analysis/freemail
 * Free and consumer mail providers. The list is the `email-providers` package (8,700+
 * domains, pure data, maintained since 2016); it lacks the Tuta family and a few privacy
 * providers attackers favour, so those are added here.
 */
import providers from 'email-providers/all.json' with { type: 'json' }

const SUPPLEMENT = [
  'tutanota.com',
  'tutanota.de',
  'tutamail.com',
  'tuta.io',
  'tuta.com',
  'keemail.me',
  'zohomail.com',
  'zohomail.eu',
  'pm.me',
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'googlemail.com',
  'skiff.com',
  'cock.li',
  'onionmail.org',
  'mailfence.com',
  'disroot.org',
  'posteo.de',
  'posteo.net',
  'mailbox.org',
  'startmail.com',
  'hushmail.com',
  'duck.com',
]

const FREEMAIL = new Set<string>([...(providers as string[]), ...SUPPLEMENT])

/** True when `domain` (lower-case) belongs to a free or consumer mail provider. */
export function isFreemailDomain(domain: string): boolean {
  return FREEMAIL.has(domain)
}
