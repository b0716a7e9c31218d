/**
 * @module audit/gate
 * The pass/fail gate every adapter applies (the CLI's `--fail-on`, the action's `fail-on`, a
 * pull-request check): which reported findings reach a risk level. Suppressed findings never
 * fail a gate; they were reviewed. A report compared with a baseline fails only on what is new
 * or raised since it: what was there before is not this change's doing.
 */
import type { AuditReport, Finding, RiskLevel } from '../model/findings.ts'
import { atLeast } from '../risk/score.ts'

/**
 * The findings that fail a gate at `level`: not suppressed, at `level` or above, and, when the
 * report was compared with a baseline, new or raised.
 * @example
 * const failing = failingFindings(report, 'high')
 * process.exitCode = failing.length > 0 ? 1 : 0
 */
export function failingFindings(report: AuditReport, level: RiskLevel): Finding[] {
  return report.data.findings.filter(
    (f) =>
      !f.suppressed &&
      atLeast(f.risk_level, level) &&
      (f.baseline === undefined || f.baseline === 'new' || f.baseline === 'raised')
  )
}

/**
 * What a report compared with a baseline brings: the reported findings that are new or raised
 * since it (none when it was not compared).
 * @example
 * const changed = changedFindings(report.data.findings).length
 */
export function changedFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.suppressed && (f.baseline === 'new' || f.baseline === 'raised'))
}
