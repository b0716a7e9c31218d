/**
 * @module audit/filters
 * The request's filters, applied after scoring: `external_only`, `since`, `risk_threshold`.
 * A finding whose creation time is unknown survives `since` and is marked, because dropping
 * it would hide exactly the old, undated rules an attacker left behind.
 */

import type { Finding } from '../model/findings.ts'
import type { AuditRequest } from '../request/schema.ts'
import { atLeast } from '../risk/score.ts'

/** Split findings into those the request keeps and the count it filtered out. */
export function filterFindings(
  findings: Finding[],
  request: AuditRequest
): { kept: Finding[]; filteredOut: number } {
  const since = request.since ? Date.parse(request.since) : undefined
  const kept: Finding[] = []
  for (const finding of findings) {
    if (request.external_only && !finding.external) continue
    if (!atLeast(finding.risk_level, request.risk_threshold)) continue
    if (since !== undefined) {
      if (finding.created_at === null) {
        kept.push({ ...finding, created_at_unknown: true })
        continue
      }
      if (Date.parse(finding.created_at) < since) continue
    }
    kept.push(finding)
  }
  return { kept, filteredOut: findings.length - kept.length }
}
