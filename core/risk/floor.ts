/**
 * @module risk/floor
 * What the tenant's block does to a score. A blocked forward moves no mail today, so it carries
 * `blocked_by_tenant_policy` (−30). But a blocked attacker rule is still a compromised mailbox:
 * when the finding scored high or critical before the block and carries one of the signs below,
 * `blocked_but_malicious` (+30) is a line of its own that puts the points back, so the finding
 * stays where it scored. Both lines carry their table weights; nothing is adjusted out of sight.
 */
import type { RiskFactor } from '../model/findings.ts'
import { type RiskCategory, riskFactor } from './risk-table.ts'
import { riskLevel, riskScore } from './score.ts'

/**
 * Signs that the rule is an attacker's, not an administrator's: it hides itself or what it
 * forwards, imitates the tenant, picks a catch-all condition, hides its recipient, collects
 * from several mailboxes (one destination, or one rule name), is one of several forwards one
 * account set within minutes (a spray), or was made from a network or client its actor used
 * nowhere else (per the audit log). "No copy kept" and finance keywords are not among them:
 * the first is Set-Mailbox's default and the second is what legitimate accounting forwards
 * look like too.
 */
export const ATTACKER_SIGNS: ReadonlySet<RiskCategory> = new Set<RiskCategory>([
  'hidden_rule',
  'suspicious_rule_name',
  'lookalike_domain',
  'moves_to_deleted_items',
  'moves_to_hidden_folder',
  'deletes_messages',
  'marks_as_read',
  'broad_subject_match',
  'relay_service',
  'disposable_address',
  'shared_destination',
  'shared_rule_name',
  'forwarding_spray',
  'unfamiliar_source',
])

/** The factor lines a block adds to `factors`: the block, and the floor when it applies. */
export function blockedFactors(factors: RiskFactor[], reason: string): RiskFactor[] {
  const blocked = riskFactor('blocked_by_tenant_policy', `Blocked today: ${reason}`)
  const level = riskLevel(riskScore(factors))
  const signs = factors.filter((f) => ATTACKER_SIGNS.has(f.category as RiskCategory))
  if ((level !== 'high' && level !== 'critical') || signs.length === 0) return [blocked]
  const named = signs.map((f) => f.category).join(', ')
  return [
    blocked,
    riskFactor(
      'blocked_but_malicious',
      `Kept ${level}: ${named} mark an attacker's rule, and the mailbox stays compromised whatever the policy blocks`
    ),
  ]
}
