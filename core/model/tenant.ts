/**
 * @module model/tenant
 * Normalized tenant facts: the one shape every source (snapshot, Graph, Exchange admin REST)
 * produces and the analysis reads. Raw API field names stop at the normalizers.
 */

import type { SkipCode } from './findings.ts'

/** A forwarding target as written in the tenant, before classification. */
export interface RecipientRef {
  /** SMTP address (lower-cased, domain in ASCII) when the target parsed as one. */
  address?: string
  /** Exchange legacy DN (`/o=ExchangeLabs/...`) for internal recipients Exchange names that way. */
  legacyDn?: string
  /** Any other identity (alias, display name, connector name) when nothing better is known. */
  identity?: string
  /** A name written beside the target: shown in actions, never taken for the address. */
  displayName?: string
  /** The target as written, what the report shows when it does not resolve to an address. */
  raw?: string
}

export type MailboxType =
  | 'UserMailbox'
  | 'SharedMailbox'
  | 'RoomMailbox'
  | 'EquipmentMailbox'
  | (string & {})

export interface Mailbox {
  /** User principal name (lower-cased), the key findings use. */
  upn: string
  primarySmtpAddress: string
  displayName?: string
  type: MailboxType
  hiddenFromAddressLists: boolean
  /** Every SMTP address of the mailbox (lower-cased), for resolving forward targets. */
  smtpAddresses: string[]
  legacyExchangeDn?: string
  /** Former legacy DNs from `X500:` proxy addresses (lower-case), which rules made before a migration name. */
  x500Addresses?: string[]
  /** Aliases and identities Exchange may use to name this mailbox in ForwardingAddress. */
  identities: string[]
  /** `ForwardingSmtpAddress`, without its `smtp:` prefix. */
  forwardingSmtpAddress?: string
  /** `ForwardingAddress`: an internal recipient identity, resolved later. */
  forwardingAddress?: string
  deliverToMailboxAndForward: boolean
  whenChanged?: string
  /** When the account (else the mailbox) was created: WhenCreatedUTC, WhenMailboxCreated. */
  whenCreated?: string
  /** Get-Mailbox AccountDisabled: nobody can sign in to it. */
  accountDisabled?: boolean
  /** Get-Mailbox SKUAssigned: false when no licence is assigned; undefined when not said. */
  licensed?: boolean
  /** `AuditEnabled`; ignored by Exchange while the organization audits by default (6.4). */
  auditEnabled?: boolean
  /** Forwarding an audit log shows set and later cleared or replaced (`events` only). */
  endedForwarding?: EndedForwarding[]
}

/** A mailbox forwarding that no longer sends mail: still evidence of what was sent. */
export interface EndedForwarding {
  kind: 'forwarding_smtp_address' | 'forwarding_address'
  /** The address (ForwardingSmtpAddress) or recipient identity (ForwardingAddress). */
  target: string
  deliverToMailboxAndForward: boolean
  endedAt: string
}

/** What a condition tests, whatever rule kind it comes from: analysis judges how much mail it can match. */
export type PredicateKind =
  | 'subject_words'
  | 'header_words'
  | 'sender_words'
  | 'recipient_words'
  | 'sender_domain'
  | 'recipient_domain'
  | 'subject_patterns'
  | 'header_patterns'
  | 'sender_patterns'
  | 'recipient_patterns'
  /** Messages of at least `values[0]` bytes. */
  | 'size_min'
  /** Messages of at most `values[0]` bytes. */
  | 'size_max'
  | 'importance'
  /** The mailbox owner is in To (or To/Cc). */
  | 'to_me'
  /** FromScope/SentToScope: a whole direction of mail. */
  | 'scope'
  /** Anything else: named people, attachments, flags, dates, classifications. */
  | 'other'

/** One condition as the rule states it, for judging its breadth. */
export interface Predicate {
  kind: PredicateKind
  /** Its readable line in `readable`. */
  line: string
  values: string[]
}

export interface RuleConditions {
  /** Readable lines ("subject contains 'invoice'"), in the rule's own order. */
  readable: string[]
  /** Words matched against subject/body/sender, for keyword and catch-all analysis. */
  words: string[]
  /** True when the rule has no condition at all: it acts on every message. */
  matchesAll: boolean
  /** The conditions, one per readable line, all of which must hold. */
  predicates?: Predicate[]
}

/** A mail folder as Graph describes it: its well-known name (`deleteditems`), and whether it is hidden. */
export interface FolderTraits {
  wellKnownName?: string
  hidden?: boolean
}

export interface InboxRuleActions {
  forwardTo: RecipientRef[]
  redirectTo: RecipientRef[]
  forwardAsAttachmentTo: RecipientRef[]
  /** Folder name or path the rule moves mail into (`RSS Feeds`, `user@x:\Archive`). */
  moveToFolder?: string
  /** What Graph says of that folder beyond its name, when its id was resolved (§1.8). */
  moveToFolderTraits?: FolderTraits
  copyToFolder?: string
  delete: boolean
  permanentDelete: boolean
  markAsRead: boolean
  stopProcessingRules: boolean
  /** Readable lines for the report. */
  readable: string[]
}

export interface InboxRule {
  /** Rule identity as the source gives it (Exchange `Identity`/`RuleIdentity`, Graph `id`). */
  id: string
  name: string
  enabled: boolean
  /** Invisible to Outlook/OWA/Graph: only `Get-InboxRule -IncludeHidden` returns it. */
  hidden: boolean
  /** Where this rule was read from. */
  origin: 'graph' | 'exchange'
  conditions: RuleConditions
  exceptions: string[]
  actions: InboxRuleActions
  /** Exchange rule provider; delegate meeting forwarding uses `Schedule+ EMS Interface`. */
  provider?: string
  inError?: boolean
}

export interface TransportRuleActions {
  redirectMessageTo: RecipientRef[]
  blindCopyTo: RecipientRef[]
  copyTo: RecipientRef[]
  addToRecipients: RecipientRef[]
  /** Moderators receive every matching message to approve it: a copy by another name. */
  moderateMessageByUser: RecipientRef[]
  routeMessageOutboundConnector?: string
  deleteMessage: boolean
  readable: string[]
}

export interface TransportRule {
  id: string
  name: string
  enabled: boolean
  /** `Enforce` acts on mail; `Audit`/`AuditAndNotify` only log. */
  mode: 'Enforce' | 'Audit' | 'AuditAndNotify' | (string & {})
  priority?: number
  conditions: RuleConditions
  exceptions: string[]
  /** True when no condition or exception narrows the rule to some senders or recipients. */
  organizationWide: boolean
  actions: TransportRuleActions
  createdBy?: string
  lastModifiedBy?: string
  whenChanged?: string
}

/** A journal rule: Exchange sends a journal report (a copy) of every message in its scope. */
export interface JournalRule {
  id: string
  name: string
  enabled: boolean
  /** Where the journal reports go: Exchange Online only journals outside itself (§5.11). */
  journalEmailAddress: RecipientRef
  /** The one mailbox, contact or group whose mail is journaled; undefined means everyone. */
  recipient?: string
  /** `Global` (all mail), `Internal` (inside the organization) or `External` (to or from outside). */
  scope: 'Global' | 'Internal' | 'External' | (string & {})
  whenChanged?: string
}

/** An outbound connector: where mail a transport rule routes through it is delivered. */
export interface OutboundConnector {
  id: string
  name: string
  enabled: boolean
  /** `Partner` (external domains) or `OnPremises`. */
  type: string
  /** Host names, IP addresses or CIDR ranges (lower-case): the delivery hosts without MX. */
  smartHosts: string[]
  /** Domains it routes to (`*.contoso.com` included). */
  recipientDomains: string[]
  /** True: deliver to each recipient domain's MX; false: to `smartHosts`. */
  useMxRecord: boolean
  /** Used only by transport rules that name it. */
  transportRuleScoped: boolean
  testMode: boolean
  whenCreated?: string
  whenChanged?: string
}

export interface AcceptedDomain {
  name: string
  type: 'Authoritative' | 'InternalRelay' | 'ExternalRelay'
}

/**
 * Who a custom outbound spam policy applies to (Get-HostedOutboundSpamFilterRule). Values are
 * lower-case. Within one condition any value matches; every condition given must match; any
 * exception excludes (docs/microsoft-apis.md §5.9).
 */
export interface OutboundSpamRule {
  name: string
  /** The HostedOutboundSpamFilterPolicy it applies. */
  policy: string
  /** 0 is evaluated first; undefined sorts last. */
  priority?: number
  enabled: boolean
  from: string[]
  fromMemberOf: string[]
  senderDomainIs: string[]
  exceptIfFrom: string[]
  exceptIfFromMemberOf: string[]
  exceptIfSenderDomainIs: string[]
}

/** Tenant-wide controls that decide whether an external automatic forward is delivered. */
export interface ForwardingControls {
  /** `AutoForwardingMode` per outbound spam policy; `default` is the one applied to everyone else. */
  outboundPolicies: {
    name: string
    isDefault: boolean
    /** Exchange's value as read; undefined when the data did not hold it (never assumed). */
    autoForwardingMode?: string
  }[]
  /** The rules that scope custom policies to senders, groups and domains. */
  outboundRules: OutboundSpamRule[]
  remoteDomains: { name: string; domain: string; autoForwardEnabled: boolean }[]
}

/**
 * A group a mailbox belongs to, directly or through nested groups (Graph transitiveMemberOf).
 * Only `id` is certain: an app without a group permission sees no names (docs/microsoft-apis.md §2.4).
 */
export interface GroupRef {
  /** The Entra object id, lower-case (Exchange's ExternalDirectoryObjectId). */
  id: string
  /** Lower-case names and addresses the group answers to, when Graph gave them. */
  names: string[]
}

/** Who made a change, by the record's `UserType` (docs/microsoft-apis.md 6.2). */
export type ActorType = 'user' | 'admin' | 'service' | 'application'

/** A normalized unified-audit-log record about a forwarding change. */
export interface AuditRecord {
  id: string
  time: string
  operation: string
  /** Who did it: a UPN (lower-cased), an app id or a service account's name. */
  actor?: string
  actorType: ActorType
  /** Client IP without its port. */
  clientIp?: string
  /** Client application or user agent: `Client=MSExchangeRPC`, `MSExchangeOWAAppPool` ... */
  clientApp?: string
  /** False when the cmdlet failed (`ResultStatus` False or Failed): nothing changed. */
  succeeded: boolean
  /** Names the record gives the changed mailbox (UPN, alias, GUID), lower-cased. */
  mailboxKeys: string[]
  /** Mailbox the change was made on (UPN, lower-cased) when the record says. */
  mailbox?: string
  /** The inbox or transport rule the record names: its name and/or its identity. */
  rule?: { name?: string; identity?: string }
  objectId?: string
  /** Cmdlet parameters or OperationProperties as a name → value map. */
  parameters: Record<string, string>
}

/** What the tenant records in its audit logs (docs/microsoft-apis.md 6.4); undefined = not read. */
export interface AuditingSettings {
  /** `Get-AdminAuditLogConfig` UnifiedAuditLogIngestionEnabled: false means no unified log at all. */
  unifiedLogIngestion?: boolean
  /** Not `Get-OrganizationConfig` AuditDisabled: mailbox auditing on by default. */
  mailboxAuditingByDefault?: boolean
  /** Accounts whose mailbox actions are not logged (Get-MailboxAuditBypassAssociation), lower-cased names. */
  bypassed: string[]
  /** What could not be read, for the summary. */
  unread: string[]
}

/** The unified audit log as one audit read it: its window, its records, and what went wrong. */
export interface AuditLog {
  /** False when nothing could be read: every finding is then undated. */
  read: boolean
  /** Where the records came from. */
  source?: 'graph-audit-query' | 'search-unifiedauditlog' | 'snapshot' | 'export'
  /** The window asked for (ISO 8601); a snapshot may not say. */
  start?: string
  end?: string
  records: AuditRecord[]
  /** Why it was not read, which fallback was taken, a cap that was hit. */
  notes: string[]
  /** True when the log was cut short (a record cap): older records may be missing. */
  truncated?: boolean
}

/** Another recipient object (mail contact, mail user, group) that a forward may name. */
export interface Recipient {
  /** Lower-case names Exchange may use for it: Identity, Name, Alias, GUIDs. */
  identities: string[]
  /** Every SMTP address (lower-case). */
  smtpAddresses?: string[]
  primarySmtpAddress?: string
  /** Mail contacts and mail users forward out of the tenant to this address. */
  externalEmailAddress?: string
  legacyExchangeDn?: string
  /** Former legacy DNs from `X500:` proxy addresses (lower-case). */
  x500Addresses?: string[]
  type?: string
  hiddenFromAddressLists?: boolean
  /** The Entra object id (ExternalDirectoryObjectId), lower-case: how Graph names a group. */
  objectId?: string
  whenCreated?: string
  accountDisabled?: boolean
  licensed?: boolean
}

/** Tenant-level facts: read once per audit. */
export interface TenantSettings {
  tenantId: string
  tenantName?: string
  /** How reports name the tenant instead of its name or id (`demo` for the bundled demo). */
  label?: string
  acceptedDomains: AcceptedDomain[]
  /** Undefined when the source did not read transport rules. */
  transportRules?: TransportRule[]
  /** Undefined when the source did not read journal rules. */
  journalRules?: JournalRule[]
  /** Undefined when the source did not read outbound connectors. */
  outboundConnectors?: OutboundConnector[]
  forwardingControls?: ForwardingControls
  /** Recipients forwards may name, mailboxes included, so targets resolve without a lookup. */
  recipients: Recipient[]
  /**
   * Audit records a source already holds (an audit-log export); a source that reads the log
   * itself offers `readAuditLog` instead (sources/source.ts).
   */
  auditRecords?: AuditRecord[]
  /** Unified audit ingestion, mailbox auditing by default, audit bypass; undefined when not read. */
  auditing?: AuditingSettings
  /** Reference time for "recent" (a snapshot's capture time); the audit's clock otherwise. */
  capturedAt?: string
  /** What the source could not read at tenant level; each makes the report incomplete. */
  warnings?: string[]
  /** What the source holds but the request left out, and how to include it (summary.coverage). */
  coverage?: string[]
}

/** What a source returns for one mailbox: its inbox rules that forward, redirect or forward as attachment. */
export type MailboxRead =
  | {
      ok: true
      mailbox: Mailbox
      inboxRules?: InboxRule[]
      /** Recipients the source looked up to resolve this mailbox's forwarding targets. */
      recipients?: Recipient[]
      /** What could not be read for this mailbox; the same text from many mailboxes is counted once. */
      warnings?: string[]
    }
  | {
      ok: false
      address: string
      code: SkipCode
      reason: string
      /**
       * What could be read all the same (a snapshot entry marked unreadable that holds its
       * Get-Mailbox row or rules): audited, while the mailbox still counts as skipped.
       */
      mailbox?: Mailbox
      inboxRules?: InboxRule[]
    }
