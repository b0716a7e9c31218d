/**
 * @module sources/snapshot/schema
 * The offline tenant snapshot, version 1: a tenant's forwarding-relevant configuration as
 * raw cmdlet and Graph output. `docs/snapshot.schema.json` is generated from this schema.
 */
import * as z from 'zod/mini'
import {
  oneOrMany,
  type RawExchangeInboxRule,
  type RawGraphMessageRule,
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

const mailboxEntry = (exchangeRule: z.ZodMiniType, graphRule: z.ZodMiniType) =>
  z.strictObject({
    mailbox: rawMailbox.check(
      z.describe('One Get-Mailbox row (ForwardingSmtpAddress, ForwardingAddress ...)')
    ),
    exchangeInboxRules: z
      .nullish(oneOrMany(exchangeRule))
      .check(z.describe('Get-InboxRule -Mailbox <upn> -IncludeHidden output')),
    graphInboxRules: z
      .nullish(oneOrMany(graphRule))
      .check(z.describe('Graph GET /users/{id}/mailFolders/inbox/messageRules `value` array')),
    unreadable: z
      .optional(z.strictObject({ code: z.string(), reason: z.string() }))
      .check(
        z.describe(
          'Set when the exporter could not read this mailbox; the audit names it as skipped'
        )
      ),
  })

const snapshotOf = (entry: z.ZodMiniType) =>
  z.strictObject({
    $schema: z.optional(z.string()),
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(SNAPSHOT_VERSION),
    tenant: z.strictObject({
      id: z
        .string()
        .check(z.minLength(1), z.describe('Tenant id (GUID) or initial *.onmicrosoft.com domain')),
      name: z.optional(z.string()),
    }),
    capturedAt: z.optional(z.iso.datetime({ offset: true })),
    acceptedDomains: oneOrMany(rawAcceptedDomain).check(z.describe('Get-AcceptedDomain output')),
    mailboxes: z.array(entry),
    recipients: z
      .nullish(oneOrMany(rawRecipient))
      .check(z.describe('Get-Recipient rows that ForwardingAddress or rule targets name')),
    transportRules: z
      .nullish(oneOrMany(rawTransportRule))
      .check(z.describe('Get-TransportRule output; absent means not read')),
    outboundSpamPolicies: z.nullish(oneOrMany(rawOutboundSpamPolicy)),
    outboundSpamRules: z.nullish(oneOrMany(rawOutboundSpamRule)),
    remoteDomains: z.nullish(oneOrMany(rawRemoteDomain)),
    auditRecords: z
      .nullish(oneOrMany(rawAuditRecord))
      .check(
        z.describe(
          'Unified audit log records: New-/Set-InboxRule, UpdateInboxRules, Set-Mailbox ...'
        )
      ),
  })

export const snapshotMailboxEntry = mailboxEntry(rawExchangeInboxRule, rawGraphMessageRule)

/** The whole snapshot format, as docs/snapshot.schema.json documents it. */
export const tenantSnapshot = snapshotOf(snapshotMailboxEntry)

const objectOf = (what: string) =>
  z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    { error: `must be an object: ${what}` }
  )

/**
 * What is checked before the audit starts, in two steps so that zod's copy of each part is
 * garbage at once instead of a second 100,000-mailbox tree: the document with mailbox entries
 * only checked to be objects, then each entry with its inbox rules only checked to be objects.
 * Rules are checked as they are read, in full when they forward (sources/snapshot/rules.ts).
 */
export const tenantSnapshotOutline = snapshotOf(objectOf('one mailbox entry'))
export const mailboxEntryOutline = mailboxEntry(
  objectOf('one rule as Get-InboxRule or Graph returns it'),
  objectOf('one rule as Get-InboxRule or Graph returns it')
)

export interface SnapshotMailboxEntry {
  mailbox: z.infer<typeof rawMailbox>
  exchangeInboxRules?: RawExchangeInboxRule | RawExchangeInboxRule[] | null
  graphInboxRules?: RawGraphMessageRule | RawGraphMessageRule[] | null
  unreadable?: { code: string; reason: string }
}

export type TenantSnapshot = Omit<z.infer<typeof tenantSnapshot>, 'mailboxes'> & {
  mailboxes: SnapshotMailboxEntry[]
}
