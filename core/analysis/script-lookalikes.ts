/**
 * @module analysis/script-lookalikes
 * The last look-alike check, for internationalized destinations only: the same letters from
 * another script (`cоntoso.com` with a Cyrillic `о`, or its punycode `xn--cntoso-wqf.com`),
 * found by UTS #39 skeletons. The skeleton data is loaded only when a candidate needs it.
 */
import { domainForms, loadSkeleton } from '../lib/idn.ts'
import { type Candidate, lookalikeFactor } from './candidate.ts'
import { shapeMatcher } from './lookalike.ts'

/** Add `lookalike_domain` to candidates whose internationalized destination imitates an accepted domain. */
export async function addScriptLookalikes(
  candidates: Candidate[],
  acceptedDomains: string[]
): Promise<void> {
  // Only a destination with a Unicode or punycode form (it has a domainLabel) can need it.
  const open = candidates.filter(
    ({ destination: d }) => d.external && !d.imitates && d.domain && d.domainLabel
  )
  if (open.length === 0) return
  const imitates = shapeMatcher(acceptedDomains, await loadSkeleton())
  for (const candidate of open) {
    const forms = domainForms(candidate.destination.domain as string)
    const imitated = forms ? imitates(forms) : undefined
    if (!imitated) continue
    candidate.destination = { ...candidate.destination, imitates: imitated }
    candidate.factors = [...candidate.factors, lookalikeFactor(candidate.destination)]
  }
}
