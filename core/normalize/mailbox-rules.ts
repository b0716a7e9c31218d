/**
 * @module normalize/mailbox-rules
 * A mailbox's forwarding inbox rules from its two views, and which of them are hidden.
 * Only rules that forward are normalized: the others make no finding, and a 100,000-mailbox
 * tenant has hundreds of thousands of them.
 *
 * Which of a mailbox's `Get-InboxRule -IncludeHidden` rules are hidden. Exchange has no
 * "hidden" property (CIPP#2720): a rule is hidden when Exchange returns it and Graph, which
 * shows what Outlook shows, does not. Rules pair by name, one to one, and a rule that forwards
 * pairs first with a Graph rule that forwards to the same targets, then with one that forwards
 * at all, so a hidden forwarding rule cannot hide behind a visible rule of the same name.
 */

import type { InboxRule } from '../model/tenant.ts'
import { exchangeRuleForwards, normalizeExchangeInboxRule } from './exchange-inbox-rule.ts'
import { graphRuleForwards, normalizeGraphMessageRule } from './graph-message-rule.ts'
import type { FolderIndex } from './mail-folders.ts'
import type { RawExchangeInboxRule, RawGraphMessageRule } from './raw.ts'
import { recipientText } from './recipients.ts'

/**
 * The forwarding rules of one mailbox. With `Get-InboxRule -IncludeHidden` output, Exchange's
 * view is the truth (Graph cannot show some conditions) and Graph's decides visibility and adds
 * the forwards Exchange's list lacks;
 * without it, Graph's rules are all there is and none can be called hidden, and `folders` names
 * the folder ids they move mail to (Exchange names folders itself).
 */
export function forwardingRules(
  exchange: RawExchangeInboxRule[] | undefined,
  graph: RawGraphMessageRule[] | undefined,
  folders?: FolderIndex
): InboxRule[] {
  if (!exchange) {
    return (graph ?? [])
      .filter(graphRuleForwards)
      .map((rule) => normalizeGraphMessageRule(rule, folders))
  }
  const forwards = exchange.map(exchangeRuleForwards)
  const graphOnly = graphOnlyForwards(
    exchange.filter((_, i) => forwards[i]).map((rule) => rule.Name),
    graph
  ).map((rule) => normalizeGraphMessageRule(rule, folders))
  if (!forwards.includes(true)) return graphOnly
  const normalized = exchange.map((raw, i) =>
    forwards[i] ? normalizeExchangeInboxRule(raw) : undefined
  )
  const hidden = hiddenRules(
    exchange.map((rule, i) => ({
      name: rule.Name,
      forwards: forwards[i] === true,
      ...(normalized[i] ? { targets: targetsOf(normalized[i]) } : {}),
    })),
    graph?.map((rule) => {
      const forwards = graphRuleForwards(rule)
      return {
        name: rule.displayName ?? '',
        forwards,
        ...(forwards ? { targets: targetsOf(normalizeGraphMessageRule(rule)) } : {}),
      }
    })
  )
  const rules: InboxRule[] = []
  normalized.forEach((rule, i) => {
    if (rule) rules.push({ ...rule, hidden: hidden[i] === true })
  })
  return [...rules, ...graphOnly]
}

/**
 * Graph's forwarding rules that no forwarding Exchange rule of the same name accounts for. The
 * two views are read at different moments (a rule made or changed in between), so Graph can
 * show a forward Exchange's list lacks: it is reported from Graph's view, never dropped.
 */
function graphOnlyForwards(
  exchangeForwardNames: string[],
  graph: RawGraphMessageRule[] | undefined
): RawGraphMessageRule[] {
  const unmatched = exchangeForwardNames.map(keyOf)
  return (graph ?? []).filter((rule) => {
    if (!graphRuleForwards(rule)) return false
    const at = unmatched.indexOf(keyOf(rule.displayName ?? ''))
    if (at === -1) return true
    unmatched.splice(at, 1)
    return false
  })
}

export interface RuleOutline {
  name: string
  forwards: boolean
  /** Where a forwarding rule sends mail (`targetsOf`), when known. */
  targets?: string
}

/** A forwarding rule's targets as one comparable key. */
function targetsOf(rule: InboxRule): string {
  const { forwardTo, redirectTo, forwardAsAttachmentTo } = rule.actions
  const texts = [...forwardTo, ...redirectTo, ...forwardAsAttachmentTo].map((ref) =>
    recipientText(ref).toLowerCase()
  )
  return [...new Set(texts)].sort().join('\n')
}

/** For each Exchange rule, whether Graph lacks it. Without a Graph view nothing is hidden. */
export function hiddenRules(exchange: RuleOutline[], graph: RuleOutline[] | undefined): boolean[] {
  if (!graph) return exchange.map(() => false)
  const unpaired = graph.map((rule) => ({
    key: keyOf(rule.name),
    forwards: rule.forwards,
    targets: rule.targets,
    used: false,
  }))
  const hidden = exchange.map(() => true)
  // Strictest first: same targets, then both forwarding, then the name alone. A hidden forward
  // then cannot take the place of a visible same-named rule that forwards somewhere else.
  const pair = (index: number, strictness: 0 | 1 | 2) => {
    const rule = exchange[index] as RuleOutline
    const key = keyOf(rule.name)
    const match = unpaired.find(
      (g) =>
        !g.used &&
        g.key === key &&
        (strictness > 1 || g.forwards === rule.forwards) &&
        (strictness > 0 || (rule.targets !== undefined && g.targets === rule.targets))
    )
    if (match) {
      match.used = true
      hidden[index] = false
    }
  }
  for (const strictness of [0, 1, 2] as const) {
    for (let index = 0; index < exchange.length; index++) {
      if (hidden[index]) pair(index, strictness)
    }
  }
  return hidden
}

function keyOf(name: string): string {
  return name.trim().toLowerCase()
}

/**
 * Folder ids that forwarding rules from Graph alone move mail to and `folders` cannot name:
 * the ones the folder factors need (copying leaves the mail where the owner sees it).
 */
export function unnamedMoveTargets(
  graph: RawGraphMessageRule[] | undefined,
  folders: FolderIndex | undefined
): string[] {
  const ids = new Set<string>()
  for (const rule of graph ?? []) {
    const id = rule.actions?.moveToFolder
    if (id && graphRuleForwards(rule) && !folders?.has(id)) ids.add(id)
  }
  return [...ids]
}
