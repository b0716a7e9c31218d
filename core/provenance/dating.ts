/**
 * @module provenance/dating
 * A finding's `created_at`, `modified_at` and `provenance` from its history, and, when the log
 * cannot date it, the reason: the log was not read, the tenant does not log the mailbox, the
 * forwarding is older than the window, or it was changed without a record.
 */
import type { Finding, Provenance } from '../model/findings.ts'
import type { AuditLog, AuditRecord, Mailbox } from '../model/tenant.ts'
import type { History } from './operations.ts'

export type Dating = Pick<Finding, 'created_at' | 'modified_at' | 'undated' | 'provenance'>

const day = (time: string | undefined) => time?.slice(0, 10)

/**
 * Date one finding. `gap` is why its mailbox's changes may not be logged (auditing.ts);
 * `ingestionOff` says the whole unified log is off, which is then why nothing was read.
 */
export function dateFinding(
  history: History,
  log: AuditLog,
  mailbox: Mailbox | undefined,
  gap: string | undefined,
  ingestionOff = false
): Dating {
  const provenance = history.records.map((r) => toProvenance(r, mailbox))
  const dated = {
    created_at: history.created?.time ?? null,
    modified_at: history.modified?.time ?? null,
    ...(provenance.length > 0 ? { provenance } : {}),
  }
  if (history.created) return dated
  return { ...dated, undated: undatedReason(history, log, gap, ingestionOff) }
}

function undatedReason(
  history: History,
  log: AuditLog,
  gap: string | undefined,
  ingestionOff: boolean
): Finding['undated'] {
  if (ingestionOff && gap) return { code: 'AUDITING_OFF', reason: gap }
  // The reason and its fix are named once, in the summary, not on every finding.
  if (!log.read) {
    return {
      code: 'AUDIT_LOG_NOT_READ',
      reason: 'the audit log was not read: see summary.audit_log',
    }
  }
  if (history.unrecorded) {
    return {
      code: 'UNRECORDED_CHANGE',
      reason:
        'the log’s last forwarding change on this mailbox set another value: the current one was made without a record (not logged, or not arrived yet)',
    }
  }
  if (gap) return { code: 'AUDITING_OFF', reason: gap }
  const since = log.start ? `since ${day(log.start)}` : 'in the audit log read'
  const changed = history.modified
    ? `; last changed ${day(history.modified.time)} by ${history.modified.actor ?? 'an unknown actor'}`
    : ''
  const more = log.truncated ? ' (the log read was cut short)' : ''
  return {
    code: 'BEFORE_WINDOW',
    reason: `no creation record ${since}${more}: made earlier, or its record has not arrived (30 min to 24 h)${changed}`,
  }
}

/**
 * The report form of a record. OWA logs a mailbox owner's own rule changes as `UserType` 2
 * (admin, docs/microsoft-apis.md 6.2), so an admin record by the mailbox's owner is the user's.
 */
export function toProvenance(record: AuditRecord, mailbox: Mailbox | undefined): Provenance {
  const own = mailbox !== undefined && record.actor !== undefined && isOwner(record.actor, mailbox)
  const actorType = record.actorType === 'admin' && own ? 'user' : record.actorType
  return {
    source: 'audit_log',
    record_id: record.id,
    operation: record.operation,
    time: record.time,
    ...(record.actor ? { actor: record.actor } : {}),
    actor_type: actorType,
    ...(record.clientIp ? { client_ip: record.clientIp } : {}),
    ...(record.clientApp ? { client_app: record.clientApp } : {}),
  }
}

/** True when `actor` is one of the mailbox's own names. */
export function isOwner(actor: string, mailbox: Mailbox): boolean {
  const name = actor.toLowerCase()
  return (
    name === mailbox.upn ||
    mailbox.smtpAddresses.includes(name) ||
    mailbox.identities.includes(name)
  )
}
