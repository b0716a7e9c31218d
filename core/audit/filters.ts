/**
 * @module audit/filters
 * The request's filters, applied after scoring in one fixed order, the same for every adapter
 * because every adapter goes through runAudit: `since`, then `risk_threshold`, then
 * `external_only`; the allowlist comes after them (audit/run-audit.ts). A finding is counted
 * against the first filter that removes it, so `summary.filtered_out_by` adds up to
 * `summary.filtered_out`.
 *
 * A finding whose creation time is unknown survives `since` and is marked, because dropping it
 * would hide exactly the old, undated rules an attacker left behind. One created earlier but
 * changed since (a redirect added to an old rule) is kept too.
 */

import { parseIsoDate } from '../lib/dates.ts'
import type { FilterName, Finding } from '../model/findings.ts'
import type { AuditRequest } from '../request/schema.ts'
import { atLeast } from '../risk/score.ts'

/** The order the request's filters run in; the allowlist follows. */
export const FILTER_ORDER: readonly FilterName[] = ['since', 'risk_threshold', 'external_only']

/** Split findings into those the request keeps and how many each filter removed. */
export function filterFindings(
  findings: Finding[],
  request: AuditRequest
): { kept: Finding[]; filteredOut: number; filteredOutBy: Record<FilterName, number> } {
  // Strict and UTC without a zone, as the schema checked it (lib/dates.ts).
  const since = request.since ? parseIsoDate(request.since) : undefined
  const removes: Record<FilterName, (finding: Finding) => boolean> = {
    since: (f) =>
      since !== undefined &&
      f.created_at !== null &&
      instant(f.created_at) < since &&
      !(f.modified_at !== null && instant(f.modified_at) >= since),
    risk_threshold: (f) => !atLeast(f.risk_level, request.risk_threshold),
    external_only: (f) => request.external_only && !f.external,
  }
  const filteredOutBy: Record<FilterName, number> = {
    since: 0,
    risk_threshold: 0,
    external_only: 0,
  }
  const kept: Finding[] = []
  for (const finding of findings) {
    const filter = FILTER_ORDER.find((name) => removes[name](finding))
    if (filter) {
      filteredOutBy[filter]++
      continue
    }
    kept.push(
      since !== undefined && finding.created_at === null
        ? { ...finding, created_at_unknown: true }
        : finding
    )
  }
  return { kept, filteredOut: findings.length - kept.length, filteredOutBy }
}

/** A finding's timestamp as epoch milliseconds: strict ISO first, then what Date reads. */
function instant(value: string): number {
  return parseIsoDate(value) ?? Date.parse(value)
}
