/**
 * @module report/envelope
 * Assembles the seed API's envelope: findings sorted by risk, the summary that accounts for
 * every requested mailbox, and `meta` counts of the findings that were not suppressed.
 */

import type {
  AuditLogSummary,
  AuditReport,
  FilterName,
  Finding,
  HiddenSweepSummary,
  RiskLevel,
  SkippedMailbox,
} from '../model/findings.ts'
import type { AuditRequest } from '../request/schema.ts'
import { sortFindings } from './order.ts'

export interface ReportParts {
  request: AuditRequest
  tenant: string
  /** meta.tenant: the source's label, else the tenant. */
  label: string
  findings: Finding[]
  filteredOut: number
  filteredOutBy: Record<FilterName, number>
  requested: number | 'all'
  scanned: number
  skipped: SkippedMailbox[]
  sources: string[]
  started: Date
  finished: Date
  incomplete: string[]
  expired: string[]
  /** Active allowlist entries that matched no finding; absent without an allowlist. */
  unmatched?: string[]
  /** What the sources could not show that the request did not ask for (notes, not gaps). */
  coverage?: string[]
  auditLog: AuditLogSummary
  hiddenSweep?: HiddenSweepSummary
}

/** Build the report envelope. */
export function buildReport(parts: ReportParts): AuditReport {
  const findings = sortFindings(parts.findings)
  const counted = findings.filter((f) => !f.suppressed)
  const byType: Record<string, number> = {}
  const byLevel: Record<RiskLevel, number> = { critical: 0, high: 0, medium: 0, low: 0 }
  for (const finding of counted) {
    byType[finding.type] = (byType[finding.type] ?? 0) + 1
    byLevel[finding.risk_level]++
  }
  return {
    data: {
      findings,
      summary: {
        tenant: parts.tenant,
        mailboxes_requested: parts.requested,
        mailboxes_scanned: parts.scanned,
        mailboxes_skipped: parts.skipped.length,
        skipped: parts.skipped,
        by_type: byType,
        by_level: byLevel,
        suppressed: findings.length - counted.length,
        filtered_out: parts.filteredOut,
        filtered_out_by: parts.filteredOutBy,
        sources: parts.sources,
        started_at: parts.started.toISOString(),
        duration_ms: Math.max(0, parts.finished.getTime() - parts.started.getTime()),
        complete: parts.incomplete.length === 0,
        incomplete_reasons: parts.incomplete,
        request: { ...parts.request },
        expired_allowlist_entries: parts.expired,
        ...(parts.unmatched ? { unmatched_allowlist_entries: parts.unmatched } : {}),
        ...(parts.coverage && parts.coverage.length > 0 ? { coverage: parts.coverage } : {}),
        audit_log: parts.auditLog,
        ...(parts.hiddenSweep ? { hidden_sweep: parts.hiddenSweep } : {}),
      },
    },
    meta: { tenant: parts.label, total_findings: counted.length, by_type: byType, ...byLevel },
  }
}
