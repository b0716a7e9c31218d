/**
 * @module report/order
 * The one order findings appear in, in every format: reported findings by score (highest
 * first), then mailbox, destination and id; suppressed findings after them in the same order.
 * Code-point comparison, not localeCompare, so the same report sorts the same in every runtime.
 */
import type { Finding } from '../model/findings.ts'

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Compare two findings in report order (suppressed findings last). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(a.suppressed !== undefined) - Number(b.suppressed !== undefined) ||
    b.risk_score - a.risk_score ||
    byText(a.user, b.user) ||
    byText(a.destination, b.destination) ||
    byText(a.id, b.id)
  )
}

/** A sorted copy of `findings`. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings)
}
