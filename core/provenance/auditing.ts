/**
 * @module provenance/auditing
 * Whether a mailbox's changes reach the audit log (docs/microsoft-apis.md 6.4). Three switches
 * decide it: the organization's unified audit ingestion (nothing is logged without it),
 * mailbox auditing on by default (`Get-OrganizationConfig` AuditDisabled; while it is on,
 * Exchange ignores a mailbox's own `AuditEnabled`), and audit bypass, which hides every
 * mailbox action of the bypassed account. Cmdlet changes (New-InboxRule, Set-Mailbox) are
 * admin audit records and survive mailbox auditing being off; Outlook's UpdateInboxRules do not.
 */
import type { AuditingSettings, Mailbox } from '../model/tenant.ts'

/** Why this mailbox's forwarding changes may be missing from the log; undefined when nothing says so. */
export function auditGap(
  mailbox: Mailbox | undefined,
  auditing: AuditingSettings | undefined
): string | undefined {
  if (auditing?.unifiedLogIngestion === false) {
    return 'the organization’s unified audit log is off (UnifiedAuditLogIngestionEnabled false): no change is logged'
  }
  if (!mailbox) return undefined
  // AuditDisabled true stops mailbox auditing whatever a mailbox's AuditEnabled says.
  if (auditing?.mailboxAuditingByDefault === false) {
    return 'mailbox auditing is off for the organization (AuditDisabled true): Outlook rule changes are not logged'
  }
  if (mailbox.auditEnabled === false && auditing?.mailboxAuditingByDefault === undefined) {
    return 'mailbox auditing is off for this mailbox (AuditEnabled false) and the organization’s default could not be read: Outlook rule changes may not be logged'
  }
  const names = new Set([mailbox.upn, ...mailbox.smtpAddresses, ...mailbox.identities])
  if (auditing?.bypassed.some((account) => names.has(account))) {
    return 'the owner’s account bypasses mailbox auditing (Set-MailboxAuditBypassAssociation): its actions are not logged'
  }
  return undefined
}

/** Summary lines about what the tenant does not log. */
export function auditingLines(auditing: AuditingSettings | undefined): string[] {
  if (!auditing) return ['settings not read: whether the tenant logs every mailbox is unknown']
  const lines: string[] = []
  if (auditing.unifiedLogIngestion === false)
    lines.push('unified audit log ingestion is off: no change is logged')
  if (auditing.mailboxAuditingByDefault === false)
    lines.push('mailbox auditing on by default is off for the organization (AuditDisabled true)')
  if (auditing.bypassed.length > 0)
    lines.push(`mailbox audit bypass is on for: ${auditing.bypassed.join(', ')}`)
  lines.push(...auditing.unread)
  return lines
}
