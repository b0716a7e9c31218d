/**
 * @module analysis/disposable
 * Disposable (throwaway) mail domains: an inbox anyone can open, or one that vanishes after use.
 * The list is the `disposable-email-domains-js` package, which republishes the community list
 * github.com/disposable-email-domains/disposable-email-domains (about 9,000 domains, reviewed
 * additions, an allowlist of domains wrongly reported, CC0, used by PyPI to refuse sign-ups). It
 * was chosen over larger lists (ivolo's 120,000 and mailchecker's 56,000 domains) because those
 * take in domains by crawling and carry more false positives, which here would raise scores of
 * ordinary forwards.
 *
 * Like the freemail list it is imported on first use, and only when an audit found a forward
 * that leaves the tenant: a bundle with code splitting carries it as a chunk of its own.
 */

import { riskFactor } from '../risk/risk-table.ts'
import type { Candidate } from './candidate.ts'

/** True when `domain` (lower-case) or a parent domain is a disposable mail domain. */
export type DisposableTest = (domain: string) => boolean

let loading: Promise<DisposableTest> | undefined

/** The disposable-domain test; the first call loads the list, later calls share it. */
export function loadDisposableTest(): Promise<DisposableTest> {
  loading ??= import('disposable-email-domains-js/dist/dict/disposable_email_blocklist.json', {
    with: { type: 'json' },
  }).then(
    ({ default: domains }) => {
      const disposable = new Set<string>(domains as string[])
      return (domain) => {
        for (let d = domain; d.includes('.'); d = d.slice(d.indexOf('.') + 1)) {
          if (disposable.has(d)) return true
        }
        return false
      }
    },
    (error: unknown) => {
      loading = undefined
      throw error
    }
  )
  return loading
}

/** Add `disposable_address` to every candidate that forwards to a disposable domain. */
export async function addDisposableFactors(candidates: Candidate[]): Promise<void> {
  const outside = candidates.filter((c) => c.destination.external && c.destination.domain)
  if (outside.length === 0) return
  const isDisposable = await loadDisposableTest()
  for (const candidate of outside) {
    const domain = candidate.destination.domain as string
    // `mailinator.com.` is mailinator.com in DNS.
    if (!isDisposable(domain.replace(/\.$/, ''))) continue
    candidate.factors.push(
      riskFactor(
        'disposable_address',
        `${domain} is a disposable mail domain: the inbox is throwaway`
      )
    )
  }
}
