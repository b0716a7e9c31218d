/**
 * @module sources/snapshot/schema
 * The offline tenant snapshot, version 1: a tenant's forwarding-relevant configuration as
 * raw cmdlet and Graph output. `docs/snapshot.schema.json` is generated from this schema.
 */
import * as z from 'zod/mini'
import {
  oneOrMany,
  type RawDirectoryObject,
  type RawExchangeInboxRule,
  type RawGraphMessageRule,
  type RawMailFolder,
  rawAcceptedDomain,
  rawAdminAuditLogConfig,
  rawAuditBypass,
  rawAuditRecord,
  rawDirectoryObject,
  rawExchangeInboxRule,
  rawGraphMessageRule,
  rawJournalRule,
  rawMailbox,
  rawMailFolder,
  rawOrganizationConfig,
  rawOutboundConnector,
  rawOutboundSpamPolicy,
  rawOutboundSpamRule,
  rawRecipient,
  rawRemoteDomain,
  rawTransportRule,
} from '../../normalize/raw.ts'

export const SNAPSHOT_FORMAT = 'forwarding-audit/tenant-snapshot'
export const SNAPSHOT_VERSION = 1

/**
 * A copy of `schema` that the JSON Schema describes, as classic zod's `.describe()` made. Not
 * zod/mini's `.check(z.describe())`: that adds a check to run on every parse, and these schemas
 * run once per mailbox.
 */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  const copy = schema.clone()
  z.globalRegistry.add(copy, { description })
  return copy
}

const mailboxEntry = (exchangeRule: z.ZodMiniType, graphRule: z.ZodMiniType) =>
  z.strictObject({
    mailbox: described(
      rawMailbox,
      'One Get-Mailbox row (ForwardingSmtpAddress, ForwardingAddress ...)'
    ),
    exchangeInboxRules: described(
      z.nullish(oneOrMany(exchangeRule)),
      'Get-InboxRule -Mailbox <upn> -IncludeHidden output'
    ),
    graphInboxRules: described(
      z.nullish(oneOrMany(graphRule)),
      'Graph GET /users/{id}/mailFolders/inbox/messageRules `value` array'
    ),
    mailFolders: described(
      z.nullish(oneOrMany(rawMailFolder)),
      'Graph GET /users/{id}/mailFolders `value` (and well-known folders, with wellKnownName): names the folder ids Graph rules move mail to; optional'
    ),
    unreadable: described(
      z.optional(z.strictObject({ code: z.string(), reason: z.string() })),
      'Set when the exporter could not read this mailbox; the audit names it as skipped'
    ),
    memberOf: described(
      z.nullish(oneOrMany(rawDirectoryObject)),
      'Graph GET /users/{id}/transitiveMemberOf `value` array: the groups this mailbox belongs to, for outbound spam rules scoped with FromMemberOf; absent means not read'
    ),
  })

const snapshotOf = (entry: z.ZodMiniType) =>
  z.strictObject({
    $schema: z.optional(z.string()),
    format: z.literal(SNAPSHOT_FORMAT),
    version: z.literal(SNAPSHOT_VERSION),
    tenant: z.strictObject({
      id: described(
        z.string().check(z.minLength(1)),
        'Tenant id (GUID) or initial *.onmicrosoft.com domain'
      ),
      name: z.optional(z.string()),
    }),
    capturedAt: z.optional(z.iso.datetime({ offset: true })),
    acceptedDomains: described(oneOrMany(rawAcceptedDomain), 'Get-AcceptedDomain output'),
    mailboxes: z.array(entry),
    recipients: described(
      z.nullish(oneOrMany(rawRecipient)),
      'Get-Recipient rows that ForwardingAddress or rule targets name'
    ),
    transportRules: described(
      z.nullish(oneOrMany(rawTransportRule)),
      'Get-TransportRule output; absent means not read'
    ),
    journalRules: described(
      z.nullish(oneOrMany(rawJournalRule)),
      'Get-JournalRule output; absent means not read, and the audit says it is incomplete'
    ),
    outboundConnectors: described(
      z.nullish(oneOrMany(rawOutboundConnector)),
      'Get-OutboundConnector output, test-mode and transport-rule-scoped connectors included; absent means not read'
    ),
    outboundSpamPolicies: z.nullish(oneOrMany(rawOutboundSpamPolicy)),
    outboundSpamRules: z.nullish(oneOrMany(rawOutboundSpamRule)),
    remoteDomains: z.nullish(oneOrMany(rawRemoteDomain)),
    auditRecords: described(
      z.nullish(oneOrMany(rawAuditRecord)),
      'Unified audit log records: New-/Set-InboxRule, UpdateInboxRules, Set-Mailbox ...'
    ),
    auditLog: described(
      z.optional(
        z.strictObject({
          source: z.optional(z.string()),
          start: z.optional(z.iso.datetime({ offset: true })),
          end: z.optional(z.iso.datetime({ offset: true })),
        })
      ),
      'Where auditRecords came from and the window they cover'
    ),
    adminAuditLogConfig: described(
      z.nullish(oneOrMany(rawAdminAuditLogConfig)),
      'Get-AdminAuditLogConfig output (UnifiedAuditLogIngestionEnabled)'
    ),
    organizationConfig: described(
      z.nullish(oneOrMany(rawOrganizationConfig)),
      'Get-OrganizationConfig output (AuditDisabled)'
    ),
    mailboxAuditBypass: described(
      z.nullish(oneOrMany(rawAuditBypass)),
      'Get-MailboxAuditBypassAssociation rows (AuditBypassEnabled)'
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
  mailFolders?: RawMailFolder | RawMailFolder[] | null
  unreadable?: { code: string; reason: string }
  memberOf?: RawDirectoryObject | RawDirectoryObject[] | null
}

export type TenantSnapshot = Omit<z.infer<typeof tenantSnapshot>, 'mailboxes'> & {
  mailboxes: SnapshotMailboxEntry[]
}
