/**
 * @module allowlist/shared-domains
 * An allowlist entry must not vouch for a domain where anyone can get an address. Ticketing
 * vendors give each customer `support@acme.zendesk.com`, relay services give everyone aliases,
 * archiving vendors host every customer's journal address: an entry for the vendor's root domain
 * would also suppress an attacker's forward to `evil.zendesk.com`. Allow the exact address.
 */
import { mailServiceOf } from '../analysis/mail-services.ts'
import type { Allowlist } from './schema.ts'

/** The first entry whose `destination` is a shared vendor's root domain, and why it is refused. */
export function sharedDomainEntry(
  allowlist: Allowlist
): { field: string; message: string } | undefined {
  for (const [index, entry] of allowlist.entries.entries()) {
    const destination = entry.destination?.trim().toLowerCase()
    if (!destination || destination.includes('@')) continue
    const match = mailServiceOf(destination)
    if (!match || match.root !== destination) continue
    const kind = {
      ticketing: 'a ticketing vendor that gives every customer addresses under it',
      relay: 'a relay service that gives anyone aliases under it',
      archive: 'an archiving vendor that hosts every customer’s journal addresses under it',
    }[match.service]
    const example =
      match.service === 'ticketing' ? `support@contoso.${destination}` : `name@${destination}`
    return {
      field: `entries[${index}].destination`,
      message: `"${destination}" is ${kind}: an entry for it would also cover an attacker's address there; allow the exact address instead (for example ${example}), see docs/allowlist.md`,
    }
  }
  return undefined
}
