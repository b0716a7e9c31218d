/**
 * @module report/formats/triage
 * Why a finding scored as it did, one short line per factor, for the places people read: under
 * each high or critical finding in the table and the markdown (under every finding with
 * `explain`). A newcomer should never need the JSON to learn why a finding is critical. The
 * lines are plain text; each format escapes them with its own function.
 */
import type { Finding, RiskFactor } from '../../model/findings.ts'
import { factorsByScore } from './finding-view.ts'

/** True when the finding gets its factor lines: active and high or critical, or all with `explain`. */
export function explained(finding: Finding, explain: boolean): boolean {
  if (explain) return true
  return !finding.suppressed && (finding.risk_level === 'high' || finding.risk_level === 'critical')
}

/** `+30` / `-40`: the weight as the risk table shows it. */
export function signedScore(factor: RiskFactor): string {
  return factor.score > 0 ? `+${factor.score}` : String(factor.score)
}

/** The factors, highest weight first, as `[score, category, description]`. */
export function triageLines(finding: Finding): [string, string, string][] {
  return factorsByScore(finding).map((f) => [signedScore(f), f.category, f.description])
}
