/**
 * @module sources/live/fields
 * The properties the audit reads from each cmdlet, sent as `$select` so a 100,000-mailbox
 * Get-Mailbox stays small (a full row has hundreds of properties).
 */

export const MAILBOX_FIELDS = [
  'UserPrincipalName',
  'PrimarySmtpAddress',
  'DisplayName',
  'Alias',
  'Name',
  'Identity',
  'RecipientTypeDetails',
  'HiddenFromAddressListsEnabled',
  'EmailAddresses',
  'LegacyExchangeDN',
  'ExternalDirectoryObjectId',
  'ExchangeObjectId',
  'Guid',
  'ForwardingSmtpAddress',
  'ForwardingAddress',
  'DeliverToMailboxAndForward',
  'WhenChangedUTC',
  // Who an internal forward lands in: a new, disabled or unlicensed account (risk-scoring.md).
  'WhenCreatedUTC',
  'WhenMailboxCreated',
  'AccountDisabled',
  'SKUAssigned',
  // Whether the mailbox audits its own changes, where the organization does not (microsoft-apis.md 6.4).
  'AuditEnabled',
]

export const RECIPIENT_FIELDS = [
  'Identity',
  'Name',
  'Alias',
  'PrimarySmtpAddress',
  'ExternalEmailAddress',
  'LegacyExchangeDN',
  // X500 proxies: the legacy DNs a recipient had before, which old rules still name.
  'EmailAddresses',
  'RecipientTypeDetails',
  'HiddenFromAddressListsEnabled',
  // A group's Entra object id: what Graph's transitiveMemberOf names it by (§2.4).
  'ExternalDirectoryObjectId',
  'WhenCreatedUTC',
  'WhenMailboxCreated',
  'SKUAssigned',
]
