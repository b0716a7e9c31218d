/**
 * @module normalize/merge-inbox-rules
 * Combines a mailbox's Graph rules and its `Get-InboxRule -IncludeHidden` rules.
 * Exchange has no "hidden" property (CIPP#2720): a rule is hidden when Exchange returns it
 * and Graph, which shows what Outlook shows, does not. Rules are paired by name, one to one.
 */
import type { InboxRule } from '../tenant/facts.ts'

/**
 * Merge both views of one mailbox's rules. With Exchange rules, those are the truth (Graph
 * hides some conditions); Graph rules only decide visibility. Without them, Graph's rules are
 * all there is and none can be called hidden.
 */
export function mergeInboxRules(
  exchange: InboxRule[] | undefined,
  graph: InboxRule[] | undefined
): InboxRule[] {
  if (!exchange) return graph ?? []
  if (!graph) return exchange
  const visible = new Map<string, number>()
  for (const rule of graph) {
    const key = rule.name.trim().toLowerCase()
    visible.set(key, (visible.get(key) ?? 0) + 1)
  }
  return exchange.map((rule) => {
    const key = rule.name.trim().toLowerCase()
    const left = visible.get(key) ?? 0
    if (left > 0) {
      visible.set(key, left - 1)
      return rule
    }
    return { ...rule, hidden: true }
  })
}
