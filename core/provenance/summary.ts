/**
 * @module provenance/summary
 * The summary's account of the audit log: what was read, from where, over which window, and
 * what the tenant does not log, with the forwarding mailboxes that gap affects.
 */
import type { AuditLogSummary } from '../model/findings.ts'
import type { AuditingSettings, AuditLog, Mailbox } from '../model/tenant.ts'
import { provenanceIndex } from './audit-log.ts'
import { auditGap, auditingLines } from './auditing.ts'

/** `summary.audit_log` for one audit; `mailboxes` are those with a finding. */
export function auditLogSummary(
  log: AuditLog,
  auditing: AuditingSettings | undefined,
  mailboxes: Map<string, Mailbox>
): AuditLogSummary {
  const unaudited: AuditLogSummary['unaudited_mailboxes'] = []
  for (const mailbox of mailboxes.values()) {
    const reason = auditGap(mailbox, auditing)
    if (reason) unaudited.push({ mailbox: mailbox.upn, reason })
  }
  return {
    read: log.read,
    ...(log.source ? { source: log.source } : {}),
    ...(log.start ? { start: log.start } : {}),
    ...(log.end ? { end: log.end } : {}),
    records: provenanceIndex(log.records).records.length,
    notes: log.notes,
    auditing: auditingLines(auditing),
    unaudited_mailboxes: unaudited.sort((a, b) => a.mailbox.localeCompare(b.mailbox)),
  }
}
