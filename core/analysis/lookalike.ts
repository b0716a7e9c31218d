/**
 * @module analysis/lookalike
 * Domains made to pass for the tenant's own: one or two edits away (`c0ntoso.com`), the
 * tenant's name inside another registrable domain (`contoso-archive.net`), the accepted
 * domain used as a prefix (`contoso.com.evil.io`), or the same letters from another script
 * (`cоntoso.com` with a Cyrillic `о`, written so or as its punycode `xn--cntoso-wqf.com`):
 * those are compared by their UTS #39 skeletons (lib/idn.ts), never by a hand-made list.
 * A vendor subdomain such as `contoso.zendesk.com` is not a look-alike: its registrable
 * domain is the vendor's.
 */
import { distance } from 'fastest-levenshtein'
import { getDomain, getDomainWithoutSuffix } from 'tldts'
import { type DomainForms, domainForms, type Skeleton } from '../lib/idn.ts'

interface Brand {
  domain: string
  registrable: string
  name: string
}

/** Shortest tenant name that counts when found inside another domain (shorter ones collide). */
const MIN_NAME_LENGTH = 4

/** Build a matcher over the tenant's accepted domains: the accepted domain imitated, if any. */
export function lookalikeMatcher(
  acceptedDomains: string[]
): (domain: DomainForms | string) => string | undefined {
  const accepted = acceptedDomains.map((d) => domainForms(d)?.unicode ?? d)
  const plain = textMatcher(accepted)
  return (input) => {
    const forms = typeof input === 'string' ? domainForms(input) : input
    if (!forms) return typeof input === 'string' ? plain(input) : undefined
    // The tenant's own domain written in another form (`ｃｏｎｔｏｓｏ.com`) imitates it.
    if (!forms.canonical && accepted.includes(forms.unicode)) return forms.unicode
    if (accepted.includes(forms.unicode)) return undefined
    return plain(forms.ascii) ?? (forms.unicode !== forms.ascii ? plain(forms.unicode) : undefined)
  }
}

/**
 * A matcher for the same letters from other scripts: a domain whose UTS #39 skeleton is an
 * accepted domain's, or whose name imitates one once both are reduced to skeletons. Used for
 * internationalized destinations the plain matcher let pass (audit/finalize.ts).
 */
export function shapeMatcher(
  acceptedDomains: string[],
  skeleton: Skeleton
): (forms: DomainForms) => string | undefined {
  const accepted = acceptedDomains.map((d) => domainForms(d)?.unicode ?? d)
  const shapes = textMatcher(accepted.map(skeleton))
  // Skeletons of plain ASCII turn every `m` into `rn`, which brings short names within two
  // edits of each other (acme.com, aprte.com): ASCII gets one edit at most.
  const asciiShapes = textMatcher(accepted.map(skeleton), 1)
  // Whole domains and registrable domains by their skeleton: `mail.cоntoso.com` looks like contoso.com.
  const shapeOf = new Map<string, string>()
  const registrables = new Set<string>()
  for (const domain of accepted) {
    shapeOf.set(skeleton(domain), domain)
    const registrable = getDomain(domain)
    if (registrable) registrables.add(registrable)
    if (registrable && !shapeOf.has(skeleton(registrable)))
      shapeOf.set(skeleton(registrable), domain)
  }
  return (forms) => {
    if (accepted.includes(forms.unicode)) return undefined
    const registrable = getDomain(forms.ascii)
    const registrableUnicode = registrable
      ? (domainForms(registrable)?.unicode ?? registrable)
      : undefined
    const ownRegistrable = registrableUnicode !== undefined && registrables.has(registrableUnicode)
    const same =
      shapeOf.get(skeleton(forms.unicode)) ??
      (registrableUnicode && !ownRegistrable
        ? shapeOf.get(skeleton(registrableUnicode))
        : undefined)
    if (same) return same
    const ascii = forms.canonical && forms.unicode === forms.ascii
    const shape = (ascii ? asciiShapes : shapes)(skeleton(forms.unicode))
    return shape === undefined ? undefined : (shapeOf.get(shape) ?? shape)
  }
}

function textMatcher(
  acceptedDomains: string[],
  maxEdits = 2
): (domain: string) => string | undefined {
  const brands = acceptedDomains.map(brandOf).filter((b): b is Brand => b !== undefined)
  return (domain) => {
    const registrable = getDomain(domain) ?? domain
    const name = getDomainWithoutSuffix(domain) ?? registrable
    const tenant = /^([^.]+)\.onmicrosoft\.(?:com|us|de)$/.exec(domain)?.[1]
    for (const brand of brands) {
      if (registrable === brand.registrable || domain === brand.domain) continue
      if (domain.startsWith(`${brand.domain}.`)) return brand.domain
      // Another tenant made to look like this one: contosso.onmicrosoft.com.
      if (tenant !== undefined) {
        if (tenant.includes(brand.name) || distance(tenant, brand.name) <= maxEdits)
          return brand.domain
        continue
      }
      // The same name under another suffix: contoso.net, contoso.co.uk.
      if (name === brand.name && brand.name.length >= MIN_NAME_LENGTH) return brand.domain
      const edits = distance(registrable, brand.registrable)
      if (edits >= 1 && edits <= maxEdits) return brand.domain
      if (
        brand.name.length >= MIN_NAME_LENGTH &&
        name !== brand.name &&
        name.includes(brand.name)
      ) {
        return brand.domain
      }
      if (
        brand.name.length >= MIN_NAME_LENGTH &&
        name !== brand.name &&
        distance(name, brand.name) === 1
      ) {
        return brand.domain
      }
    }
    return undefined
  }
}

function brandOf(domain: string): Brand | undefined {
  // contoso.onmicrosoft.com: the tenant's name is the label before onmicrosoft.
  const initial = /^([^.]+)\.onmicrosoft\.(?:com|us|de)$/.exec(domain)
  if (initial) return { domain, registrable: domain, name: initial[1] as string }
  const registrable = getDomain(domain)
  const name = getDomainWithoutSuffix(domain)
  if (!registrable || !name) return undefined
  return { domain, registrable, name }
}
