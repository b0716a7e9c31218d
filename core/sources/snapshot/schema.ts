/**
 * @module sources/snapshot/schema
 * The offline tenant snapshot, version 1: a tenant's forwarding-relevant configuration as
 * raw cmdlet and Graph output. `docs/snapshot.schema.json` is generated from this schema.
 */
import { z } from 'zod'
import {
  oneOrMany,
  rawAcceptedDomain,
  rawAuditRecord,
  rawExchangeInboxRule,
  rawGraphMessageRule,
  rawMailbox,
  rawOutboundSpamPolicy,
  rawOutboundSpamRule,
  rawRecipient,
  rawRemoteDomain,
  rawTransportRule,
} from '../../normalize/raw.ts'

export const SNAPSHOT_FORMAT = 'forwarding-audit/tenant-snapshot'
export const SNAPSHOT_VERSION = 1

export const snapshotMailboxEntry = z.strictObject({
  mailbox: rawMailbox.describe(
    'One Get-Mailbox row (ForwardingSmtpAddress, ForwardingAddress ...)'
  ),
  exchangeInboxRules: oneOrMany(rawExchangeInboxRule)
    .nullish()
    .describe('Get-InboxRule -Mailbox <upn> -IncludeHidden output'),
  graphInboxRules: oneOrMany(rawGraphMessageRule)
    .nullish()
    .describe('Graph GET /users/{id}/mailFolders/inbox/messageRules `value` array'),
  unreadable: z
    .strictObject({ code: z.string(), reason: z.string() })
    .optional()
    .describe('Set when the exporter could not read this mailbox; the audit names it as skipped'),
})

export const tenantSnapshot = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  tenant: z.strictObject({
    id: z.string().min(1).describe('Tenant id (GUID) or initial *.onmicrosoft.com domain'),
    name: z.string().optional(),
  }),
  capturedAt: z.iso.datetime({ offset: true }).optional(),
  acceptedDomains: oneOrMany(rawAcceptedDomain).describe('Get-AcceptedDomain output'),
  mailboxes: z.array(snapshotMailboxEntry),
  recipients: oneOrMany(rawRecipient)
    .nullish()
    .describe('Get-Recipient rows that ForwardingAddress or rule targets name'),
  transportRules: oneOrMany(rawTransportRule)
    .nullish()
    .describe('Get-TransportRule output; absent means not read'),
  outboundSpamPolicies: oneOrMany(rawOutboundSpamPolicy).nullish(),
  outboundSpamRules: oneOrMany(rawOutboundSpamRule).nullish(),
  remoteDomains: oneOrMany(rawRemoteDomain).nullish(),
  auditRecords: oneOrMany(rawAuditRecord)
    .nullish()
    .describe('Unified audit log records: New-/Set-InboxRule, UpdateInboxRules, Set-Mailbox ...'),
})

export type TenantSnapshot = z.infer<typeof tenantSnapshot>
export type SnapshotMailboxEntry = z.infer<typeof snapshotMailboxEntry>
