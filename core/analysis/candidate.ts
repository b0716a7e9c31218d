/**
 * @module analysis/candidate
 * A finding before it is scored: what forwards where, and the factors that describe it.
 */
import type { FindingType, RiskFactor } from '../model/findings.ts'
import { riskFactor } from '../risk/risk-table.ts'
import type { Destination } from './destinations.ts'

export interface Candidate {
  type: FindingType
  user: string
  destination: Destination
  ruleName: string | null
  /** Rule identity as the source gives it, to join audit records. */
  ruleId?: string
  enabled: boolean
  hidden: boolean
  actionKinds: string[]
  conditions: string[]
  actions: string[]
  deliversCopy?: boolean
  factors: RiskFactor[]
}

export interface AnalysisOptions {
  flagFreemail: boolean
}

/** Factors that depend only on where the mail goes. */
export function destinationFactors(
  destination: Destination,
  options: AnalysisOptions
): RiskFactor[] {
  const factors: RiskFactor[] = []
  if (destination.external) {
    factors.push(
      riskFactor('external_forwarding', `Forwards to external address: ${destination.label}`)
    )
  }
  if (destination.freemail && options.flagFreemail) {
    factors.push(
      riskFactor('free_email_provider', `Forwards to free email provider: ${destination.domain}`)
    )
  }
  if (destination.imitates) {
    factors.push(
      riskFactor(
        'lookalike_domain',
        `${destination.domain} imitates the accepted domain ${destination.imitates}`
      )
    )
  }
  if (destination.hiddenFromAddressLists) {
    factors.push(
      riskFactor(
        'hidden_from_address_list',
        `Destination ${destination.label} is hidden from address lists`
      )
    )
  }
  return factors
}

/** Group targets by destination so each destination is one finding with all its action kinds. */
export function byDestination(
  targets: { kind: string; destination: Destination }[]
): { destination: Destination; kinds: string[] }[] {
  const groups = new Map<string, { destination: Destination; kinds: string[] }>()
  for (const { kind, destination } of targets) {
    const group = groups.get(destination.label)
    if (group) {
      if (!group.kinds.includes(kind)) group.kinds.push(kind)
    } else {
      groups.set(destination.label, { destination, kinds: [kind] })
    }
  }
  return [...groups.values()]
}
