/**
 * @module analysis/candidate
 * A finding before it is scored: what forwards where, and the factors that describe it.
 */
import type { FindingType, RiskFactor } from '../model/findings.ts'
import { riskFactor } from '../risk/risk-table.ts'
import type { Destination } from './destinations.ts'
import { internalDestinationFactors } from './internal-destination.ts'

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
  /** The rule's readable exceptions, when it has any. */
  exceptions?: string[]
  actions: string[]
  deliversCopy?: boolean
  /** Mailbox forwarding an audit log shows set and later cleared: when it ended. */
  endedAt?: string
  factors: RiskFactor[]
}

export interface AnalysisOptions {
  flagFreemail: boolean
  /** Reference time for "created recently" (the snapshot's capture time, else the audit's). */
  reference: Date
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
  if (destination.service?.service === 'relay') {
    factors.push(
      riskFactor(
        'relay_service',
        `${destination.domain} is a relay service (${destination.service.root}): the real recipient is hidden`
      )
    )
  }
  if (destination.imitates) factors.push(lookalikeFactor(destination))
  if (destination.hiddenFromAddressLists) {
    factors.push(
      riskFactor(
        'hidden_from_address_list',
        `Destination ${destination.label} is hidden from address lists`
      )
    )
  }
  factors.push(...internalDestinationFactors(destination, options.reference))
  return factors
}

/** An inbox rule or mailbox forward to an archiving vendor: archiving journals, it does not forward. */
export function archiveForwardFactor(destination: Destination): RiskFactor[] {
  if (destination.service?.service !== 'archive') return []
  return [
    riskFactor(
      'archive_service_forward',
      `${destination.domain} belongs to an archiving vendor (${destination.service.root}), which receives journal reports, not forwards`
    ),
  ]
}

/**
 * The forwarding mailbox is hidden from the address lists: a sign when its mail leaves the
 * tenant, but what administrators do to a leaver's mailbox whose mail goes to a colleague.
 */
export function hiddenSourceFactor(
  upn: string,
  hidden: boolean,
  destination: Destination
): RiskFactor[] {
  if (!hidden || !destination.external) return []
  return [riskFactor('hidden_from_address_list', `Mailbox ${upn} is hidden from address lists`)]
}

/** `lookalike_domain` for a destination that imitates an accepted domain, both forms shown. */
export function lookalikeFactor(destination: Destination): RiskFactor {
  return riskFactor(
    'lookalike_domain',
    `${destination.domainLabel ?? destination.domain} imitates the accepted domain ${destination.imitates}`
  )
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
