/**
 * @module report/formats/provenance-lines
 * What the table and the markdown say about the audit log and the hidden-rule sweep: whether
 * findings could be dated, from where, over which window, what the tenant does not log, and
 * which mailboxes `Get-InboxRule -IncludeHidden` read. Lines built from a report each format has already escaped as a whole (escape-report.ts).
 */
import type { Summary } from '../../model/findings.ts'

/** Swept mailboxes listed one by one before the rest are only counted. */
const MAX_SWEPT_LINES = 10

/** Lines about the audit log: a headline, then its notes and what the tenant does not log. */
export function auditLogLines(summary: Summary): { head: string; details: string[] } {
  const log = summary.audit_log
  const window = log.start && log.end ? `, ${log.start} to ${log.end}` : ''
  const head = log.read
    ? `Audit log: read from ${log.source ?? 'the source'}${window}, ${log.records} forwarding record${log.records === 1 ? '' : 's'}`
    : 'Audit log: NOT READ, findings are undated'
  const details = [
    ...log.notes,
    ...log.auditing.map((line) => `auditing: ${line}`),
    ...log.unaudited_mailboxes.map((u) => `unaudited ${u.mailbox}: ${u.reason}`),
  ]
  return { head, details }
}

/** Lines about the hidden-rule sweep of a live audit; none for a snapshot. */
export function sweepLines(summary: Summary): { head: string; details: string[] } | undefined {
  const sweep = summary.hidden_sweep
  if (!sweep) return undefined
  const asked = sweep.requested === sweep.mode ? '' : ` (asked: ${sweep.requested})`
  const head = `Hidden-rule sweep: ${sweep.mode}${asked}, ${sweep.swept} swept, ${sweep.from_baseline} from the baseline, ${sweep.not_swept} not swept`
  const details: string[] = []
  if (sweep.note) details.push(sweep.note)
  const swept = sweep.swept_mailboxes ?? []
  for (const s of swept.slice(0, MAX_SWEPT_LINES)) details.push(`swept ${s.mailbox}: ${s.reason}`)
  if (swept.length > MAX_SWEPT_LINES) details.push(`and ${swept.length - MAX_SWEPT_LINES} more`)
  return { head, details }
}
