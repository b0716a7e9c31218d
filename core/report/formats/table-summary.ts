/**
 * @module report/formats/table-summary
 * The plain-text block printed under the terminal table: coverage, counts and everything that
 * makes the result less than complete. The summary given is already neutralised (formatTable
 * escapes the whole report at once); lines are not yet cut to width.
 */
import type { Summary } from '../../model/findings.ts'
import { LEVELS_DESC } from './finding-view.ts'
import { auditLogLines, sweepLines } from './provenance-lines.ts'

/** Skipped mailboxes listed one per line before the rest are only counted. */
export const MAX_SKIPPED_LINES = 10

/** Coverage, counts by level, suppressed/filtered counts, incomplete reasons, expired entries. */
export function summaryLines(summary: Summary): string[] {
  const lines: string[] = [`Tenant: ${summary.tenant}`]
  const requested =
    summary.mailboxes_requested === 'all' ? 'all' : String(summary.mailboxes_requested)
  lines.push(
    `Mailboxes: ${summary.mailboxes_scanned} scanned, ${summary.mailboxes_skipped} skipped ` +
      `(requested: ${requested})`
  )
  for (const skip of summary.skipped.slice(0, MAX_SKIPPED_LINES)) {
    lines.push(`  skipped ${skip.mailbox}: ${skip.code}, ${skip.reason}`)
  }
  const hidden = Math.max(summary.skipped.length, summary.mailboxes_skipped) - MAX_SKIPPED_LINES
  if (hidden > 0) lines.push(`  and ${hidden} more`)

  const counts = LEVELS_DESC.map((level) => `${summary.by_level[level] ?? 0} ${level}`)
  lines.push(`Findings: ${counts.join(', ')}`)
  lines.push(`Suppressed by the allowlist: ${summary.suppressed}`)
  lines.push(`Filtered out by the request: ${summary.filtered_out}${filterBreakdown(summary)}`)
  if (!summary.complete) {
    lines.push('INCOMPLETE: the audit did not cover everything it was asked to:')
    const reasons = summary.incomplete_reasons.length > 0 ? summary.incomplete_reasons : ['unknown']
    for (const reason of reasons) lines.push(`  - ${reason}`)
  }
  if (summary.expired_allowlist_entries.length > 0) {
    const n = summary.expired_allowlist_entries.length
    lines.push(`Expired allowlist ${n === 1 ? 'entry' : 'entries'} (no longer suppress anything):`)
    for (const entry of summary.expired_allowlist_entries) lines.push(`  - ${entry}`)
  }
  for (const note of summary.coverage ?? []) lines.push(`Not audited: ${note}`)
  const unmatched = summary.unmatched_allowlist_entries ?? []
  if (unmatched.length > 0) {
    lines.push('Allowlist entries that matched nothing (stale or mistyped?):')
    for (const entry of unmatched) lines.push(`  - ${entry}`)
  }
  for (const part of [auditLogLines(summary), sweepLines(summary)]) {
    if (!part) continue
    lines.push(part.head)
    for (const detail of part.details) lines.push(`  ${detail}`)
  }
  lines.push(`Sources: ${summary.sources.join(', ') || 'none'}`)
  lines.push(`Started: ${summary.started_at}, took ${(summary.duration_ms / 1000).toFixed(1)} s`)
  return lines
}

/** ` (since 1, risk_threshold 2, external_only 0)` in the order the filters ran; empty for none. */
export function filterBreakdown(summary: Summary): string {
  const by = summary.filtered_out_by
  if (!by || summary.filtered_out === 0) return ''
  return ` (${Object.entries(by)
    .map(([filter, count]) => `${filter} ${count}`)
    .join(', ')})`
}
