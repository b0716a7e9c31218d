/**
 * @module report/formats/json
 * The seed API's envelope as pretty JSON: the one byte-faithful format. JSON.stringify escapes
 * C0 controls; `escapeJsonText` (its one escaping function, applied to the whole text) writes
 * bidi overrides and other invisible characters as `\uXXXX`, which parse back to the same data.
 */
import type { AuditReport } from '../../model/findings.ts'
import { escapeJsonText } from './safe-text.ts'

/** `{ data: { findings, summary }, meta }` as 2-space JSON with a trailing newline. */
export function formatJson(report: AuditReport): string {
  // Rebuild the envelope so a caller's extra top-level keys never leak into the output.
  const envelope: AuditReport = {
    data: { findings: report.data.findings, summary: report.data.summary },
    meta: report.meta,
  }
  return `${escapeJsonText(JSON.stringify(envelope, null, 2))}\n`
}
