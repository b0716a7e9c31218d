/**
 * @module provenance/operations
 * The audit log operations that change forwarding (docs/microsoft-apis.md 6.1), and the shape
 * of what the log says about one finding.
 */
import type { AuditRecord } from '../model/tenant.ts'

export const INBOX_RULE_OPS = new Set([
  'new-inboxrule',
  'set-inboxrule',
  'enable-inboxrule',
  'disable-inboxrule',
  'remove-inboxrule',
  'updateinboxrules',
])
export const TRANSPORT_OPS = new Set([
  'new-transportrule',
  'set-transportrule',
  'enable-transportrule',
  'disable-transportrule',
  'remove-transportrule',
])
export const JOURNAL_OPS = new Set([
  'new-journalrule',
  'set-journalrule',
  'enable-journalrule',
  'disable-journalrule',
  'remove-journalrule',
])
export const MAILBOX_OPS = new Set(['set-mailbox'])

/** The operations a live audit asks the log for, as Microsoft spells them. */
export const FORWARDING_OPERATIONS = [
  'New-InboxRule',
  'Set-InboxRule',
  'Enable-InboxRule',
  'Disable-InboxRule',
  'Remove-InboxRule',
  'UpdateInboxRules',
  'Set-Mailbox',
  'New-TransportRule',
  'Set-TransportRule',
  'Enable-TransportRule',
  'Disable-TransportRule',
  'Remove-TransportRule',
  'New-JournalRule',
  'Set-JournalRule',
  'Enable-JournalRule',
  'Disable-JournalRule',
  'Remove-JournalRule',
]

/** What the log says about one finding. */
export interface History {
  /** Records about this forwarding as it is now, oldest first. */
  records: AuditRecord[]
  /** The record that made it, when the log has it. */
  created?: AuditRecord
  /** The latest later change that is not a disable. */
  modified?: AuditRecord
  /** The log's last word on this mailbox's forwarding is another value: the current one is unrecorded. */
  unrecorded?: boolean
}

export const opOf = (record: AuditRecord) => record.operation.toLowerCase()

/** True for the records provenance joins: rule changes, and Set-Mailbox that touched forwarding. */
export function isForwardingOperation(record: AuditRecord): boolean {
  const op = opOf(record)
  if (MAILBOX_OPS.has(op)) return touchesForwarding(record)
  return INBOX_RULE_OPS.has(op) || isOrganizationRuleOperation(record)
}

/** A transport or journal rule change: an organization's rule, on no mailbox. */
export function isOrganizationRuleOperation(record: AuditRecord): boolean {
  const op = opOf(record)
  return TRANSPORT_OPS.has(op) || JOURNAL_OPS.has(op)
}

/** Transport and journal rules belong to the organization, not to a mailbox. */
export const isOrganizationRule = (candidate: { type: string }): boolean =>
  candidate.type === 'transport_rule' || candidate.type === 'journal_rule'

const FORWARDING_FIELDS = [
  'ForwardingSmtpAddress',
  'ForwardingAddress',
  'DeliverToMailboxAndForward',
]

/** A parameter by name, whatever its case; undefined when the cmdlet did not use it. */
export function parameter(record: AuditRecord, name: string): string | undefined {
  if (record.parameters[name] !== undefined) return record.parameters[name]
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(record.parameters)) {
    if (key.toLowerCase() === wanted) return value
  }
  return undefined
}

/** True when a Set-Mailbox record touched forwarding at all. */
export function touchesForwarding(record: AuditRecord): boolean {
  return FORWARDING_FIELDS.some((field) => parameter(record, field) !== undefined)
}

/** Records that switched something off do not make a forwarding look fresh. */
export function isDisabling(record: AuditRecord): boolean {
  const op = opOf(record)
  const ruleOp = (record.parameters.RuleOperation ?? '').toLowerCase()
  if (MAILBOX_OPS.has(op)) {
    // Set-Mailbox that only cleared forwarding (`ForwardingSmtpAddress: ""`).
    const values = ['ForwardingSmtpAddress', 'ForwardingAddress']
      .map((name) => parameter(record, name))
      .filter((v): v is string => v !== undefined)
    return values.length > 0 && values.every((v) => v.trim() === '')
  }
  return (
    op.startsWith('disable-') ||
    op.startsWith('remove-') ||
    ruleOp.includes('remove') ||
    ruleOp.includes('delete')
  )
}

/**
 * The names a record gives the changed mailbox. An inbox rule made in OWA names no mailbox
 * beyond its ObjectId; when even that is missing, the caller changed their own mailbox.
 */
export function mailboxKeysOf(record: AuditRecord): string[] {
  if (record.mailboxKeys.length > 0) return record.mailboxKeys
  if (INBOX_RULE_OPS.has(opOf(record)) && record.actor) return [record.actor]
  return []
}
