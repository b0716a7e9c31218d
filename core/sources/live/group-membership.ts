/**
 * @module sources/live/group-membership
 * What group-scoped outbound spam rules need from a live tenant: the groups `FromMemberOf`
 * names, looked up with Get-Recipient so their Entra object ids are known, and the mailboxes'
 * transitive group membership from Graph (docs/microsoft-apis.md §2.4), read for the few
 * mailboxes that forward outside and only when a rule uses groups.
 */
import { stringList } from '../../lib/lists.ts'
import { EXCHANGE_BATCH_LIMIT, GRAPH_BATCH_LIMIT } from '../../m365/limits.ts'
import type { ExchangeAdmin, GraphApi } from '../../m365/types.ts'
import type { RawDirectoryObject, RawRecipient } from '../../normalize/raw.ts'
import { RECIPIENT_FIELDS } from './fields.ts'
import { chunks } from './pool.ts'

const MEMBERSHIP_FIX =
  'grant the Microsoft Graph application permission User.Read.All (needed only because an outbound spam policy is scoped to groups)'

/** The group identities enabled rules name in FromMemberOf or ExceptIfFromMemberOf. */
export function policyGroupIdentities(rules: Record<string, unknown>[]): string[] {
  const names = new Set<string>()
  for (const rule of rules) {
    const state = rule.State
    if (state === 1 || (typeof state === 'string' && state.toLowerCase() === 'disabled')) continue
    for (const name of [
      ...stringList(rule.FromMemberOf),
      ...stringList(rule.ExceptIfFromMemberOf),
    ]) {
      if (name.trim() !== '') names.add(name.trim())
    }
  }
  return [...names]
}

/** Get-Recipient rows of the named groups; a name Exchange does not find is left out. */
export async function lookUpGroups(
  exchange: ExchangeAdmin,
  identities: string[]
): Promise<RawRecipient[]> {
  const found: RawRecipient[] = []
  for (const batch of chunks(identities, EXCHANGE_BATCH_LIMIT)) {
    const results = await exchange.invokeBatch(
      batch.map((identity) => ({
        cmdlet: 'Get-Recipient',
        parameters: { Identity: identity },
        select: RECIPIENT_FIELDS,
      }))
    )
    for (const result of results) if (result.ok) found.push(...(result.value as RawRecipient[]))
  }
  return found
}

/** Each mailbox's transitiveMemberOf objects, keyed by lower-case UPN; failures become warnings. */
export async function readMemberOf(
  graph: GraphApi,
  upns: string[]
): Promise<{ memberOf: Map<string, RawDirectoryObject[]>; warnings: string[] }> {
  const memberOf = new Map<string, RawDirectoryObject[]>()
  const failures: { status: number; code: string }[] = []
  for (const batch of chunks(upns, GRAPH_BATCH_LIMIT)) {
    const results = await graph.transitiveMemberOf(batch)
    results.forEach((result, i) => {
      if (result.ok) memberOf.set(batch[i]!.toLowerCase(), result.value as RawDirectoryObject[])
      else failures.push(result)
    })
  }
  if (failures.length === 0) return { memberOf, warnings: [] }
  const denied = failures.every((f) => f.status === 403)
  const codes = [...new Set(failures.map((f) => `${f.status} ${f.code}`))].join(', ')
  return {
    memberOf,
    warnings: [
      `group membership of ${failures.length} mailbox(es) not read (Graph transitiveMemberOf answered ${codes})${denied ? `: ${MEMBERSHIP_FIX}` : ''}`,
    ],
  }
}
