/**
 * @module analysis/smtp-forwarding
 * Mailbox-level forwarding: ForwardingSmtpAddress (set by the user in OWA or by an admin) and
 * ForwardingAddress (an internal recipient, set in the admin center). Both send every message.
 */
import type { RiskFactor } from '../model/findings.ts'
import type { Mailbox } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import {
  type AnalysisOptions,
  archiveForwardFactor,
  type Candidate,
  destinationFactors,
  hiddenSourceFactor,
} from './candidate.ts'
import type { DestinationResolver } from './destinations.ts'

/** The findings one mailbox's forwarding settings make (zero, one or two). */
export function analyzeSmtpForwarding(
  mailbox: Mailbox,
  resolver: DestinationResolver,
  options: AnalysisOptions
): Candidate[] {
  const forwards: {
    kind: string
    destination: ReturnType<DestinationResolver['resolve']>
    active: boolean
    keepsCopy: boolean
    endedAt?: string
  }[] = []
  const keepsCopy = mailbox.deliverToMailboxAndForward
  if (mailbox.forwardingAddress) {
    const destination = resolver.resolve({ identity: mailbox.forwardingAddress })
    forwards.push({ kind: 'forwarding_address', destination, active: true, keepsCopy })
  }
  if (mailbox.forwardingSmtpAddress) {
    // Set-Mailbox: with both set, ForwardingSmtpAddress is ignored until ForwardingAddress is cleared.
    const destination = resolver.resolve({ address: mailbox.forwardingSmtpAddress })
    forwards.push({
      kind: 'forwarding_smtp_address',
      destination,
      active: !mailbox.forwardingAddress,
      keepsCopy,
    })
  }
  // An audit log also shows forwarding that was set and then cleared: mail went there once.
  for (const ended of mailbox.endedForwarding ?? []) {
    const destination = resolver.resolve(
      ended.kind === 'forwarding_address' ? { identity: ended.target } : { address: ended.target }
    )
    forwards.push({
      kind: ended.kind,
      destination,
      active: false,
      keepsCopy: ended.deliverToMailboxAndForward,
      endedAt: ended.endedAt,
    })
  }
  return forwards.map(({ kind, destination, active, keepsCopy, endedAt }) => ({
    type: 'smtp_forwarding',
    user: mailbox.upn,
    destination,
    ruleName: null,
    enabled: active,
    hidden: false,
    actionKinds: [kind],
    conditions: [],
    actions: [
      `${kind === 'forwarding_address' ? 'ForwardingAddress' : 'ForwardingSmtpAddress'} ${destination.label}`,
      keepsCopy ? 'keep a copy in the mailbox' : 'keep no copy in the mailbox',
    ],
    deliversCopy: keepsCopy,
    ...(endedAt ? { endedAt } : {}),
    factors: [
      ...destinationFactors(destination, options),
      ...forwardingFactors(active, keepsCopy, endedAt),
      ...hiddenSourceFactor(mailbox.upn, mailbox.hiddenFromAddressLists, destination),
      ...archiveForwardFactor(destination),
    ],
  }))
}

function forwardingFactors(
  active: boolean,
  keepsCopy: boolean,
  endedAt: string | undefined
): RiskFactor[] {
  const factors = [riskFactor('match_all_forwarding', 'Mailbox forwarding sends every message')]
  if (!keepsCopy) {
    factors.push(
      riskFactor('no_copy_kept', 'DeliverToMailboxAndForward is false: the owner keeps no copy')
    )
  }
  if (endedAt) {
    factors.push(
      riskFactor(
        'disabled',
        `Cleared or replaced ${endedAt.slice(0, 10)}: no mail flows through it now`
      )
    )
  } else if (!active) {
    factors.push(
      riskFactor(
        'disabled',
        'Ignored while ForwardingAddress is set; it takes over if that is cleared'
      )
    )
  }
  return factors
}
