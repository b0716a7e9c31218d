/**
 * @module audit/finalize
 * Candidates to scored findings: provenance from the audit log, recency, destinations shared
 * by several mailboxes, the tenant's own forwarding controls, score, level and a stable id.
 */
import type { Candidate } from '../analysis/candidate.ts'
import { policySender } from '../analysis/policy-scope.ts'
import { tenantPolicyVerdict } from '../analysis/tenant-policy.ts'
import { fingerprint } from '../lib/fingerprint.ts'
import type { Finding, RiskFactor } from '../model/findings.ts'
import type { AuditingSettings, AuditLog, ForwardingControls, Mailbox } from '../model/tenant.ts'
import { provenanceIndex } from '../provenance/audit-log.ts'
import { auditGap } from '../provenance/auditing.ts'
import { dateFinding } from '../provenance/dating.ts'
import { logFactors } from '../provenance/factors.ts'
import type { ForwardingTarget } from '../provenance/mailbox-forwarding.ts'
import { isOrganizationRule } from '../provenance/operations.ts'
import { provenanceSignals } from '../provenance/signals.ts'
import { blockedFactors } from '../risk/floor.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { riskLevel, riskScore } from '../risk/score.ts'
import type { Membership } from './group-membership.ts'

export interface FinalizeContext {
  tenantId: string
  forwardingControls?: ForwardingControls
  /** Group membership for group-scoped outbound spam rules (audit/group-membership.ts). */
  membership?: Membership
  auditLog: AuditLog
  auditing?: AuditingSettings
  mailboxes: Map<string, Mailbox>
  /** Reference time for recency. */
  now: Date
  /** How far back "recently created" reaches (the request's `recent_days`). */
  recentDays: number
  /** Where a forwarding value a Set-Mailbox record shows leads (provenance/mailbox-forwarding.ts). */
  forwardingTarget?: ForwardingTarget
}

/** Turn every candidate into a scored finding. */
export async function finalizeFindings(
  candidates: Candidate[],
  context: FinalizeContext
): Promise<Finding[]> {
  const index = provenanceIndex(context.auditLog.records, context.forwardingTarget)
  const signals = provenanceSignals(index.records, candidates, context.mailboxes)
  const recentSince = context.now.getTime() - context.recentDays * 86_400_000
  const findings: Finding[] = []
  const ids = new Set<string>()
  for (const candidate of candidates) {
    const mailbox = context.mailboxes.get(candidate.user)
    const history = index.lookup(candidate, mailbox)
    const gap = auditGap(isOrganizationRule(candidate) ? undefined : mailbox, context.auditing)
    const ingestionOff = context.auditing?.unifiedLogIngestion === false
    const { provenance, ...dates } = dateFinding(
      history,
      context.auditLog,
      mailbox,
      gap,
      ingestionOff
    )
    const factors = [
      ...candidate.factors,
      ...logFactors(candidate, history, mailbox, { signals, recentSince, gap }),
    ]
    const sharing = signals.destinationMailboxes(candidate)
    if (sharing > 1) {
      factors.push(
        riskFactor(
          'shared_destination',
          `${candidate.destination.label} receives forwards from ${sharing} mailboxes`
        )
      )
    }
    const unique = uniqueByCategory(factors)
    const memberOf = context.membership?.memberOf.get(candidate.user)
    const verdict = tenantPolicyVerdict(
      context.forwardingControls,
      {
        type: candidate.type,
        sender: policySender(mailbox, candidate.user, memberOf),
        ...(candidate.destination.domain
          ? { destinationDomain: candidate.destination.domain }
          : {}),
        external: candidate.destination.external,
      },
      context.membership?.groups
    )
    if (verdict?.external_forwarding_blocked) unique.push(...blockedFactors(unique, verdict.reason))
    const score = riskScore(unique)
    const parts = [
      context.tenantId,
      candidate.type,
      candidate.user,
      candidate.ruleName ?? '',
      candidate.destination.label,
    ]
    let id = await fingerprint(parts)
    // Two rules of one mailbox may share a name; their rule ids tell them apart.
    if (ids.has(id)) id = await fingerprint([...parts, candidate.ruleId ?? String(findings.length)])
    ids.add(id)
    findings.push({
      id,
      type: candidate.type,
      user: candidate.user,
      destination: candidate.destination.label,
      external: candidate.destination.external,
      risk_score: score,
      risk_level: riskLevel(score),
      risk_factors: unique,
      is_enabled: candidate.enabled,
      rule_name: candidate.ruleName,
      ...dates,
      hidden: candidate.hidden,
      action: candidate.actionKinds.join(', '),
      conditions: candidate.conditions,
      ...(candidate.exceptions?.length ? { exceptions: candidate.exceptions } : {}),
      actions: candidate.actions,
      ...(candidate.deliversCopy !== undefined ? { delivers_copy: candidate.deliversCopy } : {}),
      ...(provenance ? { provenance } : {}),
      ...(verdict ? { tenant_policy: verdict } : {}),
    })
  }
  return findings
}

/** One factor per category: the first, most specific one wins. */
function uniqueByCategory(factors: RiskFactor[]): RiskFactor[] {
  const seen = new Set<string>()
  return factors.filter((factor) => {
    if (seen.has(factor.category)) return false
    seen.add(factor.category)
    return true
  })
}
