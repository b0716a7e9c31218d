/**
 * @module report/formats/json
 * The seed API's envelope as pretty JSON: the one byte-faithful format. JSON.stringify escapes
 * every control character, so attacker text needs no other treatment here.
 */
import type { AuditReport } from '../../model/findings.ts'

/** `{ data: { findings, summary }, meta }` as 2-space JSON with a trailing newline. */
export function formatJson(report: AuditReport): string {
  // Rebuild the envelope so a caller's extra top-level keys never leak into the output.
  const envelope: AuditReport = {
    data: { findings: report.data.findings, summary: report.data.summary },
    meta: report.meta,
  }
  return `${JSON.stringify(envelope, null, 2)}\n`
}
