/**
 * @module normalize/tenant-data
 * Tenant-level raw data (accepted domains, transport rules, forwarding controls, recipients,
 * audit records) as a snapshot holds it and as the live reader fetches it, and its
 * normalization: one path for both, so an exported snapshot audits like the live tenant.
 */

import { many, optionalList } from '../lib/lists.ts'
import type { Mailbox, MailboxRead, TenantSettings } from '../model/tenant.ts'
import { normalizeAuditingSettings, type RawAuditingData } from './auditing.ts'
import { normalizeJournalRule } from './journal-rule.ts'
import { mailboxAsRecipient, normalizeRecipient } from './mailbox.ts'
import { normalizeOutboundConnector } from './outbound-connector.ts'
import type {
  RawAcceptedDomain,
  RawAuditRecord,
  RawJournalRule,
  RawOutboundConnector,
  RawOutboundSpamPolicy,
  RawOutboundSpamRule,
  RawRecipient,
  RawRemoteDomain,
  RawTransportRule,
} from './raw.ts'
import { skipCodeFor } from './skip-code.ts'
import { normalizeAcceptedDomains, normalizeForwardingControls } from './tenant-controls.ts'
import { normalizeTransportRule } from './transport-rule.ts'

/** One value or a list, as PowerShell writes it; null or absent when not read. */
type Listed<T> = T | T[] | null | undefined

/** Everything a snapshot holds but its mailboxes: what the live reader fetches at tenant level. */
export interface RawTenantData extends RawAuditingData {
  tenant: { id: string; name?: string | undefined }
  capturedAt?: string | undefined
  acceptedDomains: RawAcceptedDomain | RawAcceptedDomain[]
  recipients?: Listed<RawRecipient>
  transportRules?: Listed<RawTransportRule>
  journalRules?: Listed<RawJournalRule>
  outboundConnectors?: Listed<RawOutboundConnector>
  outboundSpamPolicies?: Listed<RawOutboundSpamPolicy>
  outboundSpamRules?: Listed<RawOutboundSpamRule>
  remoteDomains?: Listed<RawRemoteDomain>
  auditRecords?: Listed<RawAuditRecord>
}

/** Normalize tenant-level raw data; `read` collects the names of the data sets present. */
export function settingsFromRaw(
  snapshot: RawTenantData,
  mailboxes: Mailbox[],
  options: { includeTransportRules: boolean },
  read: Set<string>
): TenantSettings {
  const auditing = normalizeAuditingSettings(snapshot)
  const hasControls = snapshot.outboundSpamPolicies || snapshot.remoteDomains
  if (hasControls) read.add('Get-HostedOutboundSpamFilterPolicy')
  const transportRules =
    options.includeTransportRules &&
    snapshot.transportRules !== undefined &&
    snapshot.transportRules !== null
      ? many(snapshot.transportRules).map(normalizeTransportRule)
      : undefined
  if (transportRules) read.add('Get-TransportRule')
  // Organization-level like transport rules: the same request switch turns both on.
  const journalRules = options.includeTransportRules
    ? optionalList(snapshot.journalRules)?.map(normalizeJournalRule)
    : undefined
  if (journalRules) read.add('Get-JournalRule')
  const outboundConnectors = options.includeTransportRules
    ? optionalList(snapshot.outboundConnectors)?.map(normalizeOutboundConnector)
    : undefined
  if (outboundConnectors) read.add('Get-OutboundConnector')
  const coverage: string[] = []
  const held = snapshot.transportRules ? many(snapshot.transportRules).length : undefined
  const journal = optionalList(snapshot.journalRules)?.length ?? 0
  // An empty list read is nothing left out: only rules the data holds, or might, are named.
  if (!options.includeTransportRules && (held !== 0 || journal > 0)) {
    const also = journal > 0 ? ` (and ${journal} journal rule(s))` : ''
    coverage.push(
      held === undefined
        ? `transport rules were not audited${also}: set include_transport_rules (--include-transport-rules) to audit them`
        : `${held} transport rule(s) in the data were not audited${also}: set include_transport_rules (--include-transport-rules) to audit them`
    )
  }
  return {
    ...(coverage.length > 0 ? { coverage } : {}),
    tenantId: snapshot.tenant.id,
    ...(snapshot.tenant.name ? { tenantName: snapshot.tenant.name } : {}),
    acceptedDomains: normalizeAcceptedDomains(many(snapshot.acceptedDomains)),
    ...(transportRules ? { transportRules } : {}),
    ...(journalRules ? { journalRules } : {}),
    ...(outboundConnectors ? { outboundConnectors } : {}),
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
    ...(auditing ? { auditing } : {}),
    ...(snapshot.capturedAt ? { capturedAt: snapshot.capturedAt } : {}),
  }
}

/**
 * A snapshot entry the exporter could not read, as the engine's MailboxRead. Its Get-Mailbox
 * row was read (it is in the entry), so its mailbox forwarding is still audited.
 */
export function unreadableRead(
  entry: { unreadable?: { code: string; reason: string } },
  mailbox: Mailbox
): MailboxRead | undefined {
  if (!entry.unreadable) return undefined
  const { code, reason } = entry.unreadable
  // An exporter may write the service's own code; it stays readable in the reason.
  const skip = skipCodeFor(code)
  return {
    ok: false,
    address: mailbox.upn,
    code: skip,
    reason: skip === code ? reason : `${code}: ${reason}`,
    mailbox,
  }
}
