/**
 * @module analysis/script-lookalikes
 * The last look-alike check, for the external destinations the edit-distance check let pass:
 * the same letters from another script (`cоntoso.com` with a Cyrillic `о`, or its punycode
 * `xn--cntoso-wqf.com`), and ASCII characters that pass for letters more often than two edits
 * allow (`c0nt0s0.com`, `rnicr0s0ft.com`), found by UTS #39 skeletons. The skeleton data is
 * loaded only when such a destination is there.
 */
import { domainForms, loadSkeleton } from '../lib/idn.ts'
import { type Candidate, lookalikeFactor } from './candidate.ts'
import { shapeMatcher } from './lookalike.ts'

/** Add `lookalike_domain` to candidates whose external destination imitates an accepted domain by its shape. */
export async function addScriptLookalikes(
  candidates: Candidate[],
  acceptedDomains: string[]
): Promise<void> {
  // ASCII too: `0` for `o` three times is three edits, more than the plain matcher allows.
  const open = candidates.filter(({ destination: d }) => d.external && !d.imitates && d.domain)
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
