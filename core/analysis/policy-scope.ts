/**
 * @module analysis/policy-scope
 * Which outbound spam policy applies to a sender, as Exchange decides it
 * (docs/microsoft-apis.md §5.9): enabled rules in Priority order, 0 first; the first rule that
 * matches decides; the default policy takes everyone no rule matches. Within one condition any
 * value matches (OR), every condition given must match (AND), and any exception excludes.
 * `SenderDomainIs` looks at the primary SMTP address, subdomains included.
 *
 * Group conditions need the sender's group membership. Where it was not read, or a group cannot
 * be identified, the match is "unknown": every policy that could then apply is returned, and the
 * caller decides only if they all agree.
 */
import type { ForwardingControls, GroupRef, Mailbox, OutboundSpamRule } from '../model/tenant.ts'

type Tri = 'yes' | 'no' | 'unknown'

/** The forwarding mailbox as the outbound spam rules see it. */
export interface PolicySender {
  /** Primary SMTP address, lower-case: `SenderDomainIs` looks at its domain. */
  primarySmtpAddress: string
  /** Every name the mailbox answers to (UPN, addresses, alias, name, GUIDs), lower-case. */
  identities: ReadonlySet<string>
  /** Groups it belongs to, transitively; undefined when membership was not read. */
  memberOf?: readonly GroupRef[]
}

/** What a `FromMemberOf` value names: the group's object id and names, when the tenant data has it. */
export type GroupLookup = (value: string) => { objectId?: string; names: string[] } | undefined

type Policy = ForwardingControls['outboundPolicies'][number]

/** One policy that may apply, and the rule that makes it apply (none for the default policy). */
export interface PolicyOutcome {
  policy: Policy | undefined
  rule?: OutboundSpamRule
  /** True when this outcome depends on group membership that is unknown. */
  uncertain: boolean
}

/** The sender as policy rules see it, from its mailbox (or only its address). */
export function policySender(
  mailbox: Mailbox | undefined,
  address: string,
  memberOf: readonly GroupRef[] | undefined
): PolicySender {
  const identities = new Set<string>([address.toLowerCase()])
  if (mailbox) {
    for (const name of [mailbox.upn, ...mailbox.smtpAddresses, ...mailbox.identities]) {
      identities.add(name.toLowerCase())
    }
  }
  return {
    primarySmtpAddress: (mailbox?.primarySmtpAddress ?? address).toLowerCase(),
    identities,
    ...(memberOf ? { memberOf } : {}),
  }
}

/** True when some enabled rule looks at group membership. */
export function usesGroups(controls: ForwardingControls | undefined): boolean {
  return (
    controls?.outboundRules.some(
      (r) => r.enabled && (r.fromMemberOf.length > 0 || r.exceptIfFromMemberOf.length > 0)
    ) ?? false
  )
}

/**
 * The policies that may apply to `sender`, in evaluation order. The last one is where the
 * sender lands if every unknown membership turns out false; the ones before it are marked
 * uncertain. One outcome means the answer is certain.
 */
export function applicablePolicies(
  controls: ForwardingControls,
  sender: PolicySender,
  groups: GroupLookup
): PolicyOutcome[] {
  const outcomes: PolicyOutcome[] = []
  for (const rule of controls.outboundRules) {
    if (!rule.enabled) continue
    const match = ruleMatches(rule, sender, groups)
    if (match === 'no') continue
    const policy = controls.outboundPolicies.find(
      (p) => p.name.toLowerCase() === rule.policy.toLowerCase()
    )
    outcomes.push({ policy, rule, uncertain: match === 'unknown' })
    if (match === 'yes') return outcomes
  }
  outcomes.push({ policy: controls.outboundPolicies.find((p) => p.isDefault), uncertain: false })
  return outcomes
}

function ruleMatches(rule: OutboundSpamRule, sender: PolicySender, groups: GroupLookup): Tri {
  const conditions: Tri[] = []
  if (rule.from.length > 0) conditions.push(isFrom(rule.from, sender))
  if (rule.senderDomainIs.length > 0) conditions.push(inDomain(rule.senderDomainIs, sender))
  if (rule.fromMemberOf.length > 0) conditions.push(memberOfAny(rule.fromMemberOf, sender, groups))
  const exceptions: Tri[] = []
  if (rule.exceptIfFrom.length > 0) exceptions.push(isFrom(rule.exceptIfFrom, sender))
  if (rule.exceptIfSenderDomainIs.length > 0) {
    exceptions.push(inDomain(rule.exceptIfSenderDomainIs, sender))
  }
  if (rule.exceptIfFromMemberOf.length > 0) {
    exceptions.push(memberOfAny(rule.exceptIfFromMemberOf, sender, groups))
  }
  const applies = all(conditions)
  const excepted = any(exceptions)
  if (applies === 'no' || excepted === 'yes') return 'no'
  if (applies === 'yes' && excepted === 'no') return 'yes'
  return 'unknown'
}

const isFrom = (values: string[], sender: PolicySender): Tri =>
  values.some((v) => sender.identities.has(v)) ? 'yes' : 'no'

/** The primary address's domain or a subdomain of it (the Defender portal says so). */
function inDomain(domains: string[], sender: PolicySender): Tri {
  const domain = sender.primarySmtpAddress.slice(sender.primarySmtpAddress.lastIndexOf('@') + 1)
  return domains.some((d) => domain === d || domain.endsWith(`.${d}`)) ? 'yes' : 'no'
}

function memberOfAny(values: string[], sender: PolicySender, groups: GroupLookup): Tri {
  return any(values.map((value) => isMember(value, sender, groups)))
}

function isMember(value: string, sender: PolicySender, groups: GroupLookup): Tri {
  if (!sender.memberOf) return 'unknown'
  const group = groups(value)
  const keys = new Set([value, ...(group?.names ?? [])])
  if (group?.objectId) keys.add(group.objectId)
  if (sender.memberOf.some((g) => keys.has(g.id) || g.names.some((n) => keys.has(n)))) return 'yes'
  if (sender.memberOf.length === 0) return 'no'
  // The full membership is known; "not in it" is certain only when the group's id is.
  return group?.objectId ? 'no' : 'unknown'
}

function all(values: Tri[]): Tri {
  if (values.includes('no')) return 'no'
  return values.includes('unknown') ? 'unknown' : 'yes'
}

function any(values: Tri[]): Tri {
  if (values.includes('yes')) return 'yes'
  return values.includes('unknown') ? 'unknown' : 'no'
}
