/**
 * @module analysis/journal-rules
 * Journal rules: Exchange sends a copy of every message in a rule's scope to its journal
 * address, and Exchange Online only journals to addresses outside itself (§5.11). One admin
 * cmdlet collects the whole organization's mail without any transport rule (LAPSUS$). Journal
 * reports are not automatic forwarding: the outbound spam policy and remote domains do not
 * stop them (tenant-policy.ts).
 */
import type { RiskFactor } from '../model/findings.ts'
import type { JournalRule } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { type AnalysisOptions, type Candidate, destinationFactors } from './candidate.ts'
import type { DestinationResolver } from './destinations.ts'
import { ORGANIZATION } from './transport-rules.ts'

const SCOPE_LINES: Record<string, string> = {
  Internal: 'scope Internal: mail between people inside the organization',
  External: 'scope External: mail to or from outside the organization',
}

/** The finding one journal rule makes: its journal address is its one destination. */
export function analyzeJournalRule(
  rule: JournalRule,
  resolver: DestinationResolver,
  options: AnalysisOptions
): Candidate {
  const destination = resolver.resolve(rule.journalEmailAddress)
  const scopeLine = SCOPE_LINES[rule.scope]
  const conditions = [
    ...(scopeLine ? [scopeLine] : []),
    ...(rule.recipient ? [`sent to or from ${JSON.stringify(rule.recipient)}`] : []),
  ]
  return {
    type: 'journal_rule',
    user: ORGANIZATION,
    destination,
    ruleName: rule.name,
    ruleId: rule.id,
    enabled: rule.enabled,
    hidden: false,
    actionKinds: ['journal'],
    conditions,
    actions: [`send a journal report of each message to ${destination.label}`],
    factors: [...destinationFactors(destination, options), ...journalFactors(rule, scopeLine)],
  }
}

function journalFactors(rule: JournalRule, scopeLine: string | undefined): RiskFactor[] {
  const factors: RiskFactor[] = []
  // Global (or a scope Exchange does not define): every message, in and out and inside;
  // Internal or External: every message of that direction, which narrows the rule to nobody.
  const whose = rule.recipient ? `to or from ${rule.recipient}` : 'of the organization'
  factors.push(
    riskFactor(
      'match_all_forwarding',
      scopeLine
        ? `Journal rule with ${scopeLine}, every such message ${whose}`
        : `Journal rule with scope Global: every message ${whose}`
    )
  )
  if (!rule.recipient) {
    factors.push(
      riskFactor(
        'organization_wide',
        'Journals mail of the whole organization, not of named people'
      )
    )
  }
  if (!rule.enabled) {
    factors.push(riskFactor('disabled', 'Journal rule is disabled: no mail is journaled now'))
  }
  return factors
}
