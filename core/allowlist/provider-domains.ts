/**
 * @module allowlist/provider-domains
 * An entry for a whole free-mail or disposable domain (`gmail.com`, `mailinator.com`) covers
 * every address there, an attacker's included, so it is refused like the roots of relay and
 * ticketing services (shared-domains.ts). The provider lists load on first use, so this check
 * is asynchronous and runs where an allowlist is used: runAudit and checkAllowlist.
 */
import { loadDisposableTest } from '../analysis/disposable.ts'
import { loadFreemailTest } from '../analysis/freemail.ts'
import { InvalidInputError } from '../errors/errors.ts'
import type { Allowlist } from './schema.ts'

/** Throw INVALID_ALLOWLIST naming the first entry whose destination is a mail provider's domain. */
export async function refuseProviderDomains(allowlist: Allowlist, name = 'allowlist') {
  const domains = allowlist.entries.map((entry) => {
    const text = entry.destination?.trim().toLowerCase()
    return text && !text.includes('@') ? text.replace(/^\.+|\.+$/g, '') : undefined
  })
  if (domains.every((domain) => domain === undefined)) return
  const [isFreemail, isDisposable] = await Promise.all([loadFreemailTest(), loadDisposableTest()])
  for (const [index, domain] of domains.entries()) {
    if (domain === undefined) continue
    const kind = isFreemail(domain)
      ? 'a free mail provider'
      : isDisposable(domain)
        ? 'a disposable mail provider'
        : undefined
    if (!kind) continue
    const field = `entries[${index}].destination`
    throw new InvalidInputError(
      'INVALID_ALLOWLIST',
      `${name} \`${field}\`: "${domain}" is ${kind}: an entry for it would also cover an attacker's address there; allow the exact address instead (for example name@${domain}), see docs/allowlist.md`,
      field
    )
  }
}
