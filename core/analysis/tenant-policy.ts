/**
 * @module analysis/tenant-policy
 * Would the tenant's own controls stop this external automatic forward today? Microsoft's
 * rules (outbound-spam-policies-external-email-forwarding): the outbound spam policy that
 * applies to the sender decides with AutoForwardingMode (`Automatic` has meant `Off` since
 * 2021), the remote domain of the destination with AutoForwardEnabled, and a block wins. They
 * cover inbox-rule forwarding and mailbox forwarding; transport rules and journal reports are
 * not automatic forwarding and pass. Internal forwarding is never blocked.
 *
 * Which policy applies is policy-scope.ts's question. When it depends on group membership the
 * audit could not read, and the possible policies disagree, the verdict is unknown
 * (`external_forwarding_blocked: null`) and nothing is subtracted; so it is when a policy that
 * applies was exported without its AutoForwardingMode.
 */
import type { FindingType, TenantPolicyVerdict } from '../model/findings.ts'
import type { ForwardingControls } from '../model/tenant.ts'
import {
  applicablePolicies,
  type GroupLookup,
  type PolicyOutcome,
  type PolicySender,
} from './policy-scope.ts'

export interface PolicySubject {
  type: FindingType
  sender: PolicySender
  destinationDomain?: string
  external: boolean
}

/** The verdict for one finding, or undefined when the controls do not apply or were not read. */
export function tenantPolicyVerdict(
  controls: ForwardingControls | undefined,
  subject: PolicySubject,
  groups: GroupLookup = () => undefined
): TenantPolicyVerdict | undefined {
  if (
    !controls ||
    !subject.external ||
    subject.type === 'transport_rule' ||
    subject.type === 'journal_rule' ||
    !subject.destinationDomain
  ) {
    return undefined
  }
  const remote = remoteDomainFor(controls, subject.destinationDomain)
  // A remote domain that blocks wins whatever policy applies.
  if (remote && !remote.autoForwardEnabled) {
    return {
      external_forwarding_blocked: true,
      reason: `remote domain "${remote.name}" (${remote.domain}) has AutoForwardEnabled false`,
    }
  }
  const outcomes = applicablePolicies(controls, subject.sender, groups)
  if (outcomes.some((o) => o.policy && o.policy.autoForwardingMode === undefined)) {
    return {
      external_forwarding_blocked: null,
      reason: `unknown: ${outcomes.map(describe).join('; ')}`,
    }
  }
  const blocking = outcomes.filter((o) => blocks(o))
  const remoteAllows = remote ? ` and remote domain "${remote.name}" allows auto-forwarding` : ''
  if (blocking.length === outcomes.length) {
    return { external_forwarding_blocked: true, reason: outcomes.map(describe).join('; ') }
  }
  if (blocking.length === 0) {
    return {
      external_forwarding_blocked: false,
      reason: `${outcomes.map(describe).join('; ')}${remoteAllows}`,
    }
  }
  const unknown = outcomes
    .filter((o) => o.uncertain && o.rule)
    .map((o) => `rule "${o.rule?.name}"`)
    .join(', ')
  return {
    external_forwarding_blocked: null,
    reason: `unknown: whether ${unknown} applies depends on group membership the audit could not resolve; ${outcomes.map(describe).join('; ')}`,
  }
}

function blocks(outcome: PolicyOutcome): boolean {
  const mode = outcome.policy?.autoForwardingMode?.toLowerCase()
  return mode === 'off' || mode === 'automatic'
}

function describe(outcome: PolicyOutcome): string {
  const { policy, rule } = outcome
  if (!policy) {
    return rule
      ? `rule "${rule.name}" names policy "${rule.policy}", which was not read`
      : 'no outbound spam policy was read'
  }
  const mode = policy.autoForwardingMode?.toLowerCase()
  const why =
    mode === undefined
      ? 'missing from the data, so no block is assumed'
      : mode === 'automatic'
        ? 'Automatic, which Microsoft treats as Off'
        : mode === 'off'
          ? 'Off'
          : (policy.autoForwardingMode ?? '')
  const via = rule ? ` (rule "${rule.name}")` : ''
  return `outbound spam policy "${policy.name}"${via} has AutoForwardingMode ${why}`
}

/**
 * The remote domain Exchange applies: an exact `DomainName` first, then the longest `*.parent`
 * wildcard that covers the domain (it covers the parent itself too), then `*`.
 */
export function remoteDomainFor(controls: ForwardingControls, domain: string) {
  const target = domain.toLowerCase().replace(/\.$/, '')
  let best: ForwardingControls['remoteDomains'][number] | undefined
  let bestRank = -1
  for (const remote of controls.remoteDomains) {
    const pattern = remote.domain.replace(/\.$/, '')
    let rank = -1
    if (pattern === target) rank = Number.MAX_SAFE_INTEGER
    else if (pattern === '*') rank = 0
    else if (pattern.startsWith('*.')) {
      const parent = pattern.slice(2)
      if (target === parent || target.endsWith(`.${parent}`)) rank = parent.length + 1
    }
    if (rank > bestRank) {
      best = remote
      bestRank = rank
    }
  }
  return best
}
