/**
 * @module sources/tenant-data
 * Tenant-level raw data (accepted domains, transport rules, forwarding controls, recipients,
 * audit records) as a snapshot holds it and as the live reader fetches it, and its
 * normalization: one path for both, so an exported snapshot audits like the live tenant.
 */
import { normalizeAuditRecord } from '../normalize/audit-record.ts'
import { mailboxAsRecipient, normalizeRecipient } from '../normalize/mailbox.ts'
import {
  normalizeAcceptedDomains,
  normalizeForwardingControls,
} from '../normalize/tenant-controls.ts'
import { normalizeTransportRule } from '../normalize/transport-rule.ts'
import type { AuditRecord, Mailbox, MailboxRead, TenantSettings } from '../tenant/facts.ts'
import type { TenantSnapshot } from './snapshot/schema.ts'
import type { SourceOptions } from './source.ts'

/** Everything in a snapshot but its mailboxes. */
export type RawTenantData = Omit<TenantSnapshot, 'mailboxes' | 'format' | 'version' | '$schema'>

/** PowerShell writes a one-element list as a bare value; absent lists are empty. */
export const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

/** Like `many`, but a list that was not read stays undefined: "not read" is not "none". */
export const optionalList = <T>(value: T | T[] | null | undefined): T[] | undefined =>
  value === null || value === undefined ? undefined : many(value)

/** Normalize tenant-level raw data; `read` collects the names of the data sets present. */
export function settingsFromRaw(
  snapshot: RawTenantData,
  mailboxes: Mailbox[],
  options: SourceOptions,
  read: Set<string>
): TenantSettings {
  const auditRecords = many(snapshot.auditRecords)
    .map((raw) => normalizeAuditRecord(raw))
    .filter((r): r is AuditRecord => r !== undefined)
  if (auditRecords.length > 0) read.add('audit log')
  const hasControls = snapshot.outboundSpamPolicies || snapshot.remoteDomains
  if (hasControls) read.add('Get-HostedOutboundSpamFilterPolicy')
  const transportRules =
    options.includeTransportRules &&
    snapshot.transportRules !== undefined &&
    snapshot.transportRules !== null
      ? many(snapshot.transportRules).map(normalizeTransportRule)
      : undefined
  if (transportRules) read.add('Get-TransportRule')
  return {
    tenantId: snapshot.tenant.id,
    ...(snapshot.tenant.name ? { tenantName: snapshot.tenant.name } : {}),
    acceptedDomains: normalizeAcceptedDomains(many(snapshot.acceptedDomains)),
    ...(transportRules ? { transportRules } : {}),
    ...(hasControls
      ? {
          forwardingControls: normalizeForwardingControls(
            many(snapshot.outboundSpamPolicies),
            many(snapshot.outboundSpamRules),
            many(snapshot.remoteDomains)
          ),
        }
      : {}),
    // Mailboxes first: a resolver keeps the first recipient per key, and they know the most.
    recipients: [
      ...mailboxes.map(mailboxAsRecipient),
      ...many(snapshot.recipients).map(normalizeRecipient),
    ],
    ...(auditRecords.length > 0 ? { auditRecords } : {}),
    ...(snapshot.capturedAt ? { capturedAt: snapshot.capturedAt } : {}),
  }
}

/** A snapshot entry the exporter could not read, as the engine's MailboxRead. */
export function unreadableRead(
  entry: { unreadable?: { code: string; reason: string } },
  mailbox: Mailbox
): MailboxRead | undefined {
  if (!entry.unreadable) return undefined
  return {
    ok: false,
    address: mailbox.upn,
    code: entry.unreadable.code,
    reason: entry.unreadable.reason,
  }
}
