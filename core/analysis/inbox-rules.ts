/**
 * @module analysis/inbox-rules
 * Inbox rules that forward, redirect or forward as attachment, with what they do to hide it.
 */
import type { RiskFactor } from '../model/findings.ts'
import type { InboxRule, Mailbox } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { conditionBreadth, exceptionsNote } from './breadth.ts'
import {
  type AnalysisOptions,
  archiveForwardFactor,
  byDestination,
  type Candidate,
  destinationFactors,
  hiddenSourceFactor,
} from './candidate.ts'
import type { DestinationResolver } from './destinations.ts'
import {
  catchAllWords,
  folderKind,
  isBuiltInRule,
  sensitiveKeywordsIn,
  suspiciousNameReason,
} from './heuristics.ts'

/** The findings one inbox rule makes: one per destination, none for built-in rules. */
export function analyzeInboxRule(
  mailbox: Mailbox,
  rule: InboxRule,
  resolver: DestinationResolver,
  options: AnalysisOptions
): Candidate[] {
  const targets = [
    ...rule.actions.forwardTo.map((ref) => ({
      kind: 'forward',
      destination: resolver.resolve(ref),
    })),
    ...rule.actions.redirectTo.map((ref) => ({
      kind: 'redirect',
      destination: resolver.resolve(ref),
    })),
    ...rule.actions.forwardAsAttachmentTo.map((ref) => ({
      kind: 'forward_as_attachment',
      destination: resolver.resolve(ref),
    })),
  ]
  if (targets.length === 0) return []
  // Exchange's own rules: the junk filter and out-of-office forward nothing, and the
  // delegate rule only forwards meeting requests inside the tenant. Anything else under
  // those names is an impersonation and stays a finding (with suspicious_rule_name).
  if (
    isBuiltInRule(
      rule,
      targets.every((t) => !t.destination.external)
    )
  )
    return []
  const ruleFactors = inboxRuleFactors(rule, resolver.isInternalDomain)
  return byDestination(targets).map(({ destination, kinds }) => ({
    type: 'inbox_rule',
    user: mailbox.upn,
    destination,
    ruleName: rule.name,
    ruleId: rule.id,
    enabled: rule.enabled,
    hidden: rule.hidden,
    actionKinds: kinds,
    conditions: rule.conditions.readable,
    ...(rule.exceptions.length > 0 ? { exceptions: rule.exceptions } : {}),
    actions: rule.actions.readable,
    factors: [
      ...destinationFactors(destination, options),
      ...ruleFactors,
      ...hiddenSourceFactor(mailbox.upn, mailbox.hiddenFromAddressLists, destination),
      ...archiveForwardFactor(destination),
    ],
  }))
}

function inboxRuleFactors(
  rule: InboxRule,
  isInternalDomain: (domain: string) => boolean
): RiskFactor[] {
  const factors: RiskFactor[] = []
  if (rule.hidden) {
    factors.push(
      riskFactor(
        'hidden_rule',
        `Rule ${JSON.stringify(rule.name)} is hidden from Outlook and Graph`
      )
    )
  }
  const nameReason = suspiciousNameReason(rule.name)
  if (nameReason)
    factors.push(riskFactor('suspicious_rule_name', `Suspicious rule name: ${nameReason}`))
  const breadth = conditionBreadth(rule.conditions, isInternalDomain)
  if (breadth.matchesAll) {
    factors.push(
      riskFactor(
        'match_all_forwarding',
        (rule.conditions.matchesAll
          ? 'Match-all rule with forwarding (no conditions set)'
          : `Match-all rule with forwarding: no condition narrows it: ${breadth.broad.join('; ')}`) +
          exceptionsNote(rule.exceptions)
      )
    )
  }
  const catchAll = catchAllWords(rule.conditions.words)
  if (catchAll.length > 0) {
    factors.push(
      riskFactor(
        'broad_subject_match',
        `Catch-all condition words: ${catchAll.map((w) => JSON.stringify(w)).join(', ')}`
      )
    )
  }
  const keywords = sensitiveKeywordsIn(rule.conditions.words)
  if (keywords.length > 0) {
    factors.push(
      riskFactor('sensitive_keywords', `Conditions target sensitive mail: ${keywords.join(', ')}`)
    )
  }
  if (rule.actions.moveToFolder) {
    const kind = folderKind(rule.actions.moveToFolder, rule.actions.moveToFolderTraits)
    if (kind === 'deleted_items')
      factors.push(riskFactor('moves_to_deleted_items', 'Moves matching mail to Deleted Items'))
    if (kind === 'hidden') {
      factors.push(
        riskFactor(
          'moves_to_hidden_folder',
          `Moves matching mail to ${rule.actions.moveToFolderTraits?.hidden ? 'the hidden folder ' : ''}${JSON.stringify(rule.actions.moveToFolder)}`
        )
      )
    }
  }
  if (rule.actions.delete || rule.actions.permanentDelete) {
    factors.push(
      riskFactor(
        'deletes_messages',
        rule.actions.permanentDelete ? 'Permanently deletes matching mail' : 'Deletes matching mail'
      )
    )
  }
  if (rule.actions.markAsRead) factors.push(riskFactor('marks_as_read'))
  if (rule.actions.stopProcessingRules) factors.push(riskFactor('stops_processing'))
  if (!rule.enabled)
    factors.push(riskFactor('disabled', 'Rule is disabled: no mail flows through it now'))
  return factors
}
