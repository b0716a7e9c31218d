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
import type { AuditRecord, ForwardingControls, Mailbox } from '../model/tenant.ts'
import {
  creationTime,
  isDisabling,
  provenanceIndex,
  toProvenance,
} from '../provenance/audit-log.ts'
import { sprays } from '../provenance/forwarding-changes.ts'
import { blockedFactors } from '../risk/floor.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { riskLevel, riskScore } from '../risk/score.ts'
import type { Membership } from './group-membership.ts'

/** How far back "recently created" reaches. */
export const RECENT_DAYS = 30

export interface FinalizeContext {
  tenantId: string
  forwardingControls?: ForwardingControls
  /** Group membership for group-scoped outbound spam rules (audit/group-membership.ts). */
  membership?: Membership
  auditRecords: AuditRecord[]
  mailboxes: Map<string, Mailbox>
  /** Reference time for recency. */
  now: Date
}

/** Turn every candidate into a scored finding. */
export async function finalizeFindings(
  candidates: Candidate[],
  context: FinalizeContext
): Promise<Finding[]> {
  const history = provenanceIndex(context.auditRecords)
  const shared = sharedDestinations(candidates)
  const sprayed = sprays(context.auditRecords)
  const recentSince = context.now.getTime() - RECENT_DAYS * 86_400_000
  const findings: Finding[] = []
  const ids = new Set<string>()
  for (const candidate of candidates) {
    const records = history.lookup(candidate, context.mailboxes.get(candidate.user))
    const createdAt = creationTime(records) ?? null
    const factors = [...candidate.factors]
    const latest = records.filter((r) => !isDisabling(r)).at(-1)
    if (latest && Date.parse(latest.time) >= recentSince) {
      const what = createdAt === latest.time ? 'Created' : 'Changed'
      factors.push(
        riskFactor(
          'recently_created',
          `${what} ${latest.time.slice(0, 10)} by ${latest.actor ?? 'unknown'}`
        )
      )
    }
    const spray = records.map((r) => sprayed.get(r.id)).find((s) => s !== undefined)
    if (spray) {
      factors.push(
        riskFactor(
          'forwarding_spray',
          `${spray.actor} set forwarding ${spray.changes} times between ${spray.from} and ${spray.to}`
        )
      )
    }
    const mailboxes = shared.get(candidate.destination.label)
    if (mailboxes && mailboxes.size > 1) {
      factors.push(
        riskFactor(
          'shared_destination',
          `${candidate.destination.label} receives forwards from ${mailboxes.size} mailboxes`
        )
      )
    }
    const unique = uniqueByCategory(factors)
    const mailbox = context.mailboxes.get(candidate.user)
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
      created_at: createdAt,
      hidden: candidate.hidden,
      action: candidate.actionKinds.join(', '),
      conditions: candidate.conditions,
      actions: candidate.actions,
      ...(candidate.deliversCopy !== undefined ? { delivers_copy: candidate.deliversCopy } : {}),
      ...(records.length > 0 ? { provenance: records.map(toProvenance) } : {}),
      ...(verdict ? { tenant_policy: verdict } : {}),
    })
  }
  return findings
}

/** Mailboxes per destination, across inbox rules and mailbox forwarding. */
function sharedDestinations(candidates: Candidate[]): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>()
  for (const c of candidates) {
    if (c.type === 'transport_rule' || c.type === 'journal_rule' || c.destination.unresolved)
      continue
    const users = map.get(c.destination.label) ?? new Set<string>()
    users.add(c.user)
    map.set(c.destination.label, users)
  }
  return map
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
