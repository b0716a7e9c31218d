/**
 * @module audit/group-membership
 * Group membership for outbound spam rules scoped with `FromMemberOf`: read only when an enabled
 * rule uses groups, and only for the mailboxes of external automatic forwards (the findings a
 * policy can block), from the source that can (Graph transitiveMemberOf live, the `memberOf`
 * lists of a snapshot). What is not read leaves those verdicts unknown, never blocked.
 */
import type { Candidate } from '../analysis/candidate.ts'
import { type GroupLookup, usesGroups } from '../analysis/policy-scope.ts'
import { isAuditError } from '../errors/errors.ts'
import type { GroupRef, Recipient, TenantSettings } from '../model/tenant.ts'
import type { SourceOptions, TenantSource } from '../sources/source.ts'

export interface Membership {
  memberOf: ReadonlyMap<string, GroupRef[]>
  groups: GroupLookup
  /** What could not be read, for the summary. */
  warnings: string[]
}

const NONE: Membership = { memberOf: new Map(), groups: () => undefined, warnings: [] }

/** Read what the tenant's group-scoped rules need for these candidates. */
export async function readMembership(
  source: TenantSource,
  settings: TenantSettings,
  candidates: Candidate[],
  options: SourceOptions
): Promise<Membership> {
  const controls = settings.forwardingControls
  if (!controls || !usesGroups(controls)) return NONE
  const values = controls.outboundRules.flatMap((r) =>
    r.enabled ? [...r.fromMemberOf, ...r.exceptIfFromMemberOf] : []
  )
  const groups = groupLookup(settings.recipients, values)
  const upns = [
    ...new Set(
      candidates
        // Organization-level rules are not automatic forwarding: no sender policy applies.
        .filter(
          (c) => c.type !== 'transport_rule' && c.type !== 'journal_rule' && c.destination.external
        )
        .map((c) => c.user)
    ),
  ]
  if (upns.length === 0) return { ...NONE, groups }
  if (!source.readGroupMembership) {
    return {
      memberOf: new Map(),
      groups,
      warnings: [`group membership not read: the ${source.name} source cannot read it`],
    }
  }
  // Past the deadline, or with the runtime's request budget spent, nothing more is read:
  // those verdicts stay unknown, as the summary says.
  const unread = (why: string) => ({
    memberOf: new Map<string, GroupRef[]>(),
    groups,
    warnings: [`group membership of ${upns.length} mailbox(es) not read: ${why}`],
  })
  if (options.signal?.aborted) return unread('the deadline was reached')
  try {
    const read = await source.readGroupMembership(upns, options)
    return { memberOf: read.memberOf, groups, warnings: read.warnings }
  } catch (error) {
    if (!isAuditError(error)) throw error
    if (error.code === 'DEADLINE_EXCEEDED') return unread('the deadline was reached')
    if (error.code === 'SUBREQUEST_BUDGET_EXCEEDED') return unread(error.message)
    throw error
  }
}

/**
 * What each `FromMemberOf` value names, from the tenant's recipients (Get-Recipient rows of the
 * groups): the group's Entra object id and every name it answers to.
 */
export function groupLookup(recipients: Recipient[], values: string[]): GroupLookup {
  const wanted = new Set(values)
  const found = new Map<string, { objectId?: string; names: string[] }>()
  for (const recipient of recipients) {
    const names = [
      ...recipient.identities,
      ...(recipient.smtpAddresses ?? []),
      ...(recipient.primarySmtpAddress ? [recipient.primarySmtpAddress] : []),
    ].map((n) => n.toLowerCase())
    for (const name of names) {
      if (!wanted.has(name) || found.has(name)) continue
      found.set(name, {
        ...(recipient.objectId ? { objectId: recipient.objectId } : {}),
        names,
      })
    }
  }
  return (value) => found.get(value)
}
