/**
 * @module analysis/tenant-policy
 * Would the tenant's own controls stop this external automatic forward today? Microsoft's
 * rules (outbound-spam-policies-external-email-forwarding): the outbound spam policy that
 * applies to the sender decides with AutoForwardingMode (`Automatic` has meant `Off` since
 * 2021), the remote domain of the destination with AutoForwardEnabled, and a block wins. They
 * cover inbox-rule forwarding and mailbox forwarding; transport rules are not automatic
 * forwarding and pass. Internal forwarding is never blocked.
 */
import type { FindingType, TenantPolicyVerdict } from '../model/findings.ts'
import type { ForwardingControls } from '../model/tenant.ts'

export interface PolicySubject {
  type: FindingType
  /** The forwarding mailbox's addresses (UPN and SMTP addresses). */
  senders: string[]
  destinationDomain?: string
  external: boolean
}

/** The verdict for one finding, or undefined when the controls do not apply or were not read. */
export function tenantPolicyVerdict(
  controls: ForwardingControls | undefined,
  subject: PolicySubject
): TenantPolicyVerdict | undefined {
  if (
    !controls ||
    !subject.external ||
    subject.type === 'transport_rule' ||
    !subject.destinationDomain
  ) {
    return undefined
  }
  const policy = policyFor(controls, subject.senders)
  const remote = remoteDomainFor(controls, subject.destinationDomain)
  const mode = policy?.autoForwardingMode.toLowerCase()
  if (policy && (mode === 'off' || mode === 'automatic')) {
    const why = mode === 'automatic' ? 'Automatic, which Microsoft treats as Off' : 'Off'
    return {
      external_forwarding_blocked: true,
      reason: `outbound spam policy "${policy.name}" has AutoForwardingMode ${why}`,
    }
  }
  if (remote && !remote.autoForwardEnabled) {
    return {
      external_forwarding_blocked: true,
      reason: `remote domain "${remote.name}" (${remote.domain}) has AutoForwardEnabled false`,
    }
  }
  const allowedBy = policy
    ? `outbound spam policy "${policy.name}" has AutoForwardingMode On`
    : 'no outbound spam policy was read'
  return {
    external_forwarding_blocked: false,
    reason: `${allowedBy}${remote ? ` and remote domain "${remote.name}" allows auto-forwarding` : ''}`,
  }
}

/** A custom policy whose rule names the sender or its domain, else the default policy. */
function policyFor(controls: ForwardingControls, senders: string[]) {
  const keys = new Set<string>()
  for (const sender of senders) {
    keys.add(`sender:${sender}`)
    keys.add(`domain:${sender.slice(sender.lastIndexOf('@') + 1)}`)
  }
  return (
    controls.outboundPolicies.find(
      (p) => !p.isDefault && p.appliesTo.some((key) => keys.has(key))
    ) ?? controls.outboundPolicies.find((p) => p.isDefault)
  )
}

/** The most specific remote domain: exact, then `*.parent` wildcards, then `*`. */
function remoteDomainFor(controls: ForwardingControls, domain: string) {
  let best: ForwardingControls['remoteDomains'][number] | undefined
  let bestLength = -1
  for (const remote of controls.remoteDomains) {
    const pattern = remote.domain
    const matches =
      pattern === domain ||
      pattern === '*' ||
      (pattern.startsWith('*.') &&
        (domain === pattern.slice(2) || domain.endsWith(pattern.slice(1))))
    const length = pattern === '*' ? 0 : pattern.length
    if (matches && length > bestLength) {
      best = remote
      bestLength = length
    }
  }
  return best
}
