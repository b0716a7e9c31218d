/**
 * @module normalize/outbound-spam-rules
 * Get-HostedOutboundSpamFilterRule rows to OutboundSpamRule: who each custom outbound spam
 * policy applies to, with its exceptions, priority and state (docs/microsoft-apis.md §5.9).
 */
import { stringList } from '../lib/lists.ts'
import type { OutboundSpamRule } from '../model/tenant.ts'
import type { RawOutboundSpamRule } from './raw.ts'

/** Normalize the rules, lowest Priority first (the order Exchange evaluates them in). */
export function normalizeOutboundSpamRules(rows: RawOutboundSpamRule[]): OutboundSpamRule[] {
  const rules = rows.map((row): OutboundSpamRule => {
    const priority = priorityOf(row.Priority)
    return {
      name: row.Name ?? row.HostedOutboundSpamFilterPolicy ?? '',
      policy: row.HostedOutboundSpamFilterPolicy ?? '',
      ...(priority !== undefined ? { priority } : {}),
      enabled: stateEnabled(row.State),
      from: lowerList(row.From),
      fromMemberOf: lowerList(row.FromMemberOf),
      senderDomainIs: lowerList(row.SenderDomainIs),
      exceptIfFrom: lowerList(row.ExceptIfFrom),
      exceptIfFromMemberOf: lowerList(row.ExceptIfFromMemberOf),
      exceptIfSenderDomainIs: lowerList(row.ExceptIfSenderDomainIs),
    }
  })
  // A stable sort: rules without a priority keep their export order, after the others.
  return rules.sort(
    (a, b) => (a.priority ?? Number.POSITIVE_INFINITY) - (b.priority ?? Number.POSITIVE_INFINITY)
  )
}

const lowerList = (value: unknown) =>
  stringList(value)
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '')

/** `Enabled`/`Disabled`, or RuleState's numbers from PowerShell (0 Enabled, 1 Disabled). */
function stateEnabled(state: unknown): boolean {
  if (typeof state === 'number') return state === 0
  return typeof state !== 'string' || state.trim().toLowerCase() !== 'disabled'
}

function priorityOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}
