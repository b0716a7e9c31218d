/**
 * @module analysis/freemail
 * Free and consumer mail providers. The list is the `email-providers` package (8,700+
 * domains, pure data, maintained since 2016); it lacks the Tuta family and a few privacy
 * providers attackers favour, so those are added here. Relay services (duck.com and the like)
 * are not mailbox providers: they are their own factor (mail-services.ts).
 *
 * The list is the largest part of core and only a request with `flag_freemail` asks about it, so
 * it is imported on first use: a bundle with code splitting carries it as a chunk of its own.
 */

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
]

/** True when `domain` (lower-case) belongs to a free or consumer mail provider. */
export type FreemailTest = (domain: string) => boolean

let loading: Promise<FreemailTest> | undefined

/** The freemail test; the first call loads the list, later calls share it. */
export function loadFreemailTest(): Promise<FreemailTest> {
  loading ??= import('email-providers/all.json', { with: { type: 'json' } }).then(
    ({ default: providers }) => {
      const freemail = new Set<string>([...(providers as string[]), ...SUPPLEMENT])
      return (domain) => freemail.has(domain)
    },
    (error: unknown) => {
      // A failed load (a chunk the edge could not fetch) is tried again by the next audit.
      loading = undefined
      throw error
    }
  )
  return loading
}
