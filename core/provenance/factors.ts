/**
 * @module provenance/factors
 * The audit log's risk factors for one finding: recent creation or change (within the
 * request's `recent_days`), the log's own signals (signals.ts), and mailbox auditing that is
 * off where the mailbox forwards: an attacker with admin rights turns auditing off first.
 */
import type { Candidate } from '../analysis/candidate.ts'
import type { RiskFactor } from '../model/findings.ts'
import type { Mailbox } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { type History, isDisabling, isOrganizationRule } from './operations.ts'
import type { provenanceSignals } from './signals.ts'

export interface LogFactorContext {
  signals: ReturnType<typeof provenanceSignals>
  /** Epoch ms: changes at or after it are recent. */
  recentSince: number
  /** Why this mailbox's changes may not be logged (auditing.ts), if anything says so. */
  gap: string | undefined
}

/** Factors from the audit log and the tenant's auditing settings. */
export function logFactors(
  candidate: Candidate,
  history: History,
  mailbox: Mailbox | undefined,
  context: LogFactorContext
): RiskFactor[] {
  const factors: RiskFactor[] = []
  const latest = history.records.filter((r) => !isDisabling(r)).at(-1)
  if (latest && Date.parse(latest.time) >= context.recentSince) {
    const what = latest === history.created ? 'Created' : 'Changed'
    factors.push(
      riskFactor(
        'recently_created',
        `${what} ${latest.time.slice(0, 10)} by ${latest.actor ?? 'unknown'}`
      )
    )
  }
  factors.push(...context.signals.factors(candidate, history, mailbox))
  if (context.gap && !isOrganizationRule(candidate)) {
    factors.push(riskFactor('auditing_off', `Auditing gap on ${candidate.user}: ${context.gap}`))
  }
  return factors
}
