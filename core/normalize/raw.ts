/**
 * @module normalize/raw
 * The raw shapes Microsoft returns, as schemas: Exchange cmdlet rows (REST `InvokeCommand`
 * or PowerShell `ConvertTo-Json`), Graph `messageRule` objects and audit records.
 * Only the fields the audit reads are typed; every other field passes through untouched,
 * so an export straight from PowerShell validates without hand-editing.
 */
import * as z from 'zod/mini'
import { isUpn } from '../lib/address.ts'

/** PowerShell's ConvertTo-Json writes a one-element collection as a bare object. */
export const oneOrMany = <T extends z.ZodMiniType>(item: T) => z.union([z.array(item), item])

const text = z.string()
const maybeText = z.nullish(text)
/** Exchange multi-valued properties: REST gives arrays of strings, PowerShell may give objects. */
const recipientValue = z.union([text, z.looseObject({})])
const recipientList = z.nullish(z.union([z.array(recipientValue), recipientValue]))
const stringList = z.nullish(z.union([z.array(text), text]))
const flag = z.nullish(z.boolean())
/** An enum PowerShell wrote as a string (`-EnumsAsStrings`) or as its number. */
const enumValue = z.union([text, z.number()])

/** Microsoft.Exchange.Data.AcceptedDomainType: its names, and its numbers without -EnumsAsStrings. */
export const ACCEPTED_DOMAIN_TYPES = ['Authoritative', 'ExternalRelay', 'InternalRelay'] as const

/** The accepted-domain type a raw value names (case-insensitive), or undefined. */
export function acceptedDomainType(
  value: unknown
): (typeof ACCEPTED_DOMAIN_TYPES)[number] | undefined {
  if (typeof value === 'number') return ACCEPTED_DOMAIN_TYPES[value]
  if (typeof value !== 'string') return undefined
  return ACCEPTED_DOMAIN_TYPES.find((type) => type.toLowerCase() === value.trim().toLowerCase())
}

export const rawAcceptedDomain = z.looseObject({
  DomainName: text,
  // Anything else would make a domain internal or external by accident (docs/microsoft-apis.md §5.9).
  DomainType: enumValue.check(
    z.refine((value) => acceptedDomainType(value) !== undefined, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not an accepted-domain type: use Authoritative, InternalRelay or ExternalRelay (or 0, 2, 1)`,
    })
  ),
})

/** AutoForwardingMode's values (docs/microsoft-apis.md §5.9), compared in any case. */
export const AUTO_FORWARDING_MODES = ['Automatic', 'Off', 'On'] as const

export const rawMailbox = z.looseObject({
  // The key of every finding and of the scope: an empty or malformed one would match nothing.
  UserPrincipalName: text.check(
    z.refine((value) => isUpn(value.trim()), {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a user principal name (the form alex@contoso.com)`,
    })
  ),
  PrimarySmtpAddress: maybeText,
  DisplayName: maybeText,
  RecipientTypeDetails: z.nullish(enumValue),
  HiddenFromAddressListsEnabled: flag,
  EmailAddresses: stringList,
  LegacyExchangeDN: maybeText,
  Alias: maybeText,
  Identity: maybeText,
  Name: maybeText,
  ForwardingSmtpAddress: z.nullish(recipientValue),
  ForwardingAddress: z.nullish(recipientValue),
  DeliverToMailboxAndForward: flag,
  WhenChanged: maybeText,
  WhenChangedUTC: maybeText,
  WhenCreated: maybeText,
  WhenCreatedUTC: maybeText,
  WhenMailboxCreated: maybeText,
  AccountDisabled: flag,
  SKUAssigned: flag,
  AuditEnabled: flag,
})

export const rawRecipient = z.looseObject({
  Identity: maybeText,
  Name: maybeText,
  Alias: maybeText,
  PrimarySmtpAddress: maybeText,
  ExternalEmailAddress: z.nullish(recipientValue),
  LegacyExchangeDN: maybeText,
  RecipientTypeDetails: z.nullish(enumValue),
  ExternalDirectoryObjectId: maybeText,
  WhenCreated: maybeText,
  WhenCreatedUTC: maybeText,
  WhenMailboxCreated: maybeText,
  SKUAssigned: flag,
})

export const rawExchangeInboxRule = z.looseObject({
  Name: text,
  Identity: z.nullish(z.union([text, z.looseObject({})])),
  RuleIdentity: z.nullish(z.union([text, z.number()])),
  Enabled: flag,
  Priority: z.nullish(z.number()),
  ForwardTo: recipientList,
  RedirectTo: recipientList,
  ForwardAsAttachmentTo: recipientList,
  MoveToFolder: maybeText,
  CopyToFolder: maybeText,
  DeleteMessage: flag,
  SoftDeleteMessage: flag,
  PermanentDelete: flag,
  MarkAsRead: flag,
  StopProcessingRules: flag,
  InError: flag,
})

const graphRecipient = z.looseObject({
  emailAddress: z.nullish(z.looseObject({ address: maybeText, name: maybeText })),
})
const graphRecipients = z.nullish(z.array(graphRecipient))

export const rawGraphMessageRule = z.looseObject({
  id: text,
  displayName: maybeText,
  sequence: z.nullish(z.number()),
  isEnabled: flag,
  hasError: flag,
  isReadOnly: flag,
  conditions: z.nullish(z.looseObject({})),
  exceptions: z.nullish(z.looseObject({})),
  actions: z.nullish(
    z.looseObject({
      forwardTo: graphRecipients,
      redirectTo: z.nullish(z.union([graphRecipients, graphRecipient])),
      forwardAsAttachmentTo: graphRecipients,
      moveToFolder: maybeText,
      copyToFolder: maybeText,
      delete: flag,
      permanentDelete: flag,
      markAsRead: flag,
      stopProcessingRules: flag,
    })
  ),
})

/**
 * A Graph `mailFolder` (GET /users/{id}/mailFolders, §1.8). `wellKnownName` is Graph beta's
 * property; the live reader writes it on the folders it asked for by well-known name.
 */
export const rawMailFolder = z.looseObject({
  id: text,
  displayName: maybeText,
  parentFolderId: maybeText,
  isHidden: flag,
  wellKnownName: maybeText,
})

export const rawTransportRule = z.looseObject({
  Name: text,
  Identity: z.nullish(z.union([text, z.looseObject({})])),
  Guid: maybeText,
  State: z.nullish(enumValue),
  Mode: z.nullish(enumValue),
  Priority: z.nullish(z.number()),
  Conditions: stringList,
  Exceptions: stringList,
  RedirectMessageTo: recipientList,
  BlindCopyTo: recipientList,
  CopyTo: recipientList,
  AddToRecipients: recipientList,
  ModerateMessageByUser: recipientList,
  RouteMessageOutboundConnector: maybeText,
  DeleteMessage: flag,
  CreatedBy: maybeText,
  LastModifiedBy: maybeText,
  WhenChanged: maybeText,
})

/** Get-JournalRule (docs/microsoft-apis.md §5.11): where journal reports go, for whose mail. */
export const rawJournalRule = z.looseObject({
  Name: text,
  Identity: z.nullish(z.union([text, z.looseObject({})])),
  Guid: maybeText,
  // Exchange requires it (New-JournalRule): a rule without one is not an export to trust.
  JournalEmailAddress: recipientValue,
  Recipient: z.nullish(recipientValue),
  Scope: z.nullish(enumValue),
  Enabled: flag,
  WhenChanged: maybeText,
  WhenChangedUTC: maybeText,
})

/**
 * Get-OutboundConnector (§5.10): where mail a transport rule routes through it ends up.
 * Host and domain lists are strings over REST and SmartHost / SmtpDomain objects from PowerShell.
 */
export const rawOutboundConnector = z.looseObject({
  Name: text,
  Identity: z.nullish(z.union([text, z.looseObject({})])),
  Guid: maybeText,
  Enabled: flag,
  ConnectorType: z.nullish(enumValue),
  ConnectorSource: z.nullish(enumValue),
  RecipientDomains: recipientList,
  SmartHosts: recipientList,
  UseMXRecord: flag,
  IsTransportRuleScoped: flag,
  TestMode: flag,
  WhenCreated: maybeText,
  WhenCreatedUTC: maybeText,
  WhenChanged: maybeText,
  WhenChangedUTC: maybeText,
})

export const rawOutboundSpamPolicy = z.looseObject({
  Name: text,
  IsDefault: flag,
  // A mode Exchange does not have would be read as "allowed" and hide a block, or the reverse.
  AutoForwardingMode: z.nullish(
    enumValue.check(
      z.refine(
        (value) =>
          typeof value === 'string' &&
          AUTO_FORWARDING_MODES.some((mode) => mode.toLowerCase() === value.trim().toLowerCase()),
        {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not an AutoForwardingMode: use Automatic, Off or On (export enums as strings)`,
        }
      )
    )
  ),
})

export const rawOutboundSpamRule = z.looseObject({
  Name: maybeText,
  HostedOutboundSpamFilterPolicy: maybeText,
  State: z.nullish(enumValue),
  Priority: z.nullish(z.union([z.number(), text])),
  From: stringList,
  FromMemberOf: stringList,
  SenderDomainIs: stringList,
  ExceptIfFrom: stringList,
  ExceptIfFromMemberOf: stringList,
  ExceptIfSenderDomainIs: stringList,
})

/**
 * A Graph `directoryObject` from `GET /users/{id}/transitiveMemberOf`: a group, directory role
 * or administrative unit. With only User.Read.All, groups may come with their `id` alone
 * (docs/microsoft-apis.md §2.4), so nothing but `id` is required.
 */
export const rawDirectoryObject = z.looseObject({
  '@odata.type': maybeText,
  id: text,
  displayName: maybeText,
  mail: maybeText,
  mailNickname: maybeText,
  proxyAddresses: stringList,
})

export const rawRemoteDomain = z.looseObject({
  Name: maybeText,
  DomainName: text,
  AutoForwardEnabled: flag,
})

/** `Get-AdminAuditLogConfig`: whether the unified audit log records anything (6.4). */
export const rawAdminAuditLogConfig = z.looseObject({
  UnifiedAuditLogIngestionEnabled: flag,
})

/** `Get-OrganizationConfig`: `AuditDisabled` true turns mailbox auditing off for everyone (6.4). */
export const rawOrganizationConfig = z.looseObject({
  AuditDisabled: flag,
})

/** `Get-MailboxAuditBypassAssociation`: accounts whose mailbox actions are not logged (6.4). */
export const rawAuditBypass = z.looseObject({
  Identity: z.nullish(z.union([text, z.looseObject({})])),
  Name: maybeText,
  AuditBypassEnabled: flag,
})

/**
 * An audit record in any of the three shapes Microsoft hands out: the classic AuditData
 * object (Management Activity API), a Search-UnifiedAuditLog row (AuditData as a JSON
 * string) or a Graph `auditLogRecord` (auditData nested).
 */
export const rawAuditRecord = z.looseObject({})

export type RawAcceptedDomain = z.infer<typeof rawAcceptedDomain>
export type RawMailbox = z.infer<typeof rawMailbox>
export type RawRecipient = z.infer<typeof rawRecipient>
export type RawExchangeInboxRule = z.infer<typeof rawExchangeInboxRule>
export type RawGraphMessageRule = z.infer<typeof rawGraphMessageRule>
export type RawTransportRule = z.infer<typeof rawTransportRule>
export type RawJournalRule = z.infer<typeof rawJournalRule>
export type RawMailFolder = z.infer<typeof rawMailFolder>
export type RawOutboundConnector = z.infer<typeof rawOutboundConnector>
export type RawOutboundSpamPolicy = z.infer<typeof rawOutboundSpamPolicy>
export type RawOutboundSpamRule = z.infer<typeof rawOutboundSpamRule>
export type RawRemoteDomain = z.infer<typeof rawRemoteDomain>
export type RawDirectoryObject = z.infer<typeof rawDirectoryObject>
export type RawAuditRecord = Record<string, unknown>
export type RawAdminAuditLogConfig = z.infer<typeof rawAdminAuditLogConfig>
export type RawOrganizationConfig = z.infer<typeof rawOrganizationConfig>
export type RawAuditBypass = z.infer<typeof rawAuditBypass>
