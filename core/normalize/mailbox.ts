/**
 * @module normalize/mailbox
 * A Get-Mailbox row (REST or PowerShell) to a Mailbox.
 */
import { normalizeAddress } from '../lib/address.ts'
import type { Mailbox, Recipient } from '../model/tenant.ts'
import { toIsoTime } from './dates.ts'
import type { RawMailbox, RawRecipient } from './raw.ts'
import { parseRecipient, stripSmtpPrefix } from './recipients.ts'

/** PowerShell numbers for RecipientTypeDetails that matter here (Microsoft.Exchange.Data.Directory.Recipient). */
const RECIPIENT_TYPE_NUMBERS: Record<number, string> = {
  1: 'UserMailbox',
  2: 'LinkedMailbox',
  4: 'SharedMailbox',
  16: 'RoomMailbox',
  32: 'EquipmentMailbox',
  64: 'MailContact',
  128: 'MailUser',
  2147483648: 'RemoteUserMailbox',
  34359738368: 'RemoteSharedMailbox',
}

/** Normalize one Get-Mailbox row. */
export function normalizeMailbox(raw: RawMailbox): Mailbox {
  const upn = normalizeAddress(raw.UserPrincipalName)
  const smtpAddresses = smtpAddressesOf(raw.EmailAddresses)
  const x500Addresses = x500AddressesOf(raw.EmailAddresses)
  const primary = raw.PrimarySmtpAddress ? normalizeAddress(raw.PrimarySmtpAddress) : upn
  if (!smtpAddresses.includes(primary)) smtpAddresses.unshift(primary)
  const forwardingSmtp = recipientText(raw.ForwardingSmtpAddress)
  const forwardingAddress = recipientText(raw.ForwardingAddress)
  return {
    upn,
    primarySmtpAddress: primary,
    ...(raw.DisplayName ? { displayName: raw.DisplayName } : {}),
    type: recipientType(raw.RecipientTypeDetails),
    hiddenFromAddressLists: raw.HiddenFromAddressListsEnabled === true,
    smtpAddresses,
    ...(raw.LegacyExchangeDN ? { legacyExchangeDn: raw.LegacyExchangeDN } : {}),
    ...(x500Addresses.length > 0 ? { x500Addresses } : {}),
    identities: identitiesOf(raw),
    ...(forwardingSmtp
      ? { forwardingSmtpAddress: normalizeAddress(stripSmtpPrefix(forwardingSmtp)) }
      : {}),
    ...(forwardingAddress ? { forwardingAddress } : {}),
    deliverToMailboxAndForward: raw.DeliverToMailboxAndForward === true,
    ...optionalTime('whenChanged', raw.WhenChangedUTC ?? raw.WhenChanged),
    ...(typeof raw.AuditEnabled === 'boolean' ? { auditEnabled: raw.AuditEnabled } : {}),
    ...accountFacts(raw),
  }
}

/**
 * When the account was created, whether it is disabled and whether it has a licence, as
 * Get-Mailbox (all three) and Get-Recipient (creation and SKUAssigned) give them.
 */
function accountFacts(raw: {
  WhenCreated?: string | null | undefined
  WhenCreatedUTC?: string | null | undefined
  WhenMailboxCreated?: string | null | undefined
  AccountDisabled?: boolean | null | undefined
  SKUAssigned?: boolean | null | undefined
}): { whenCreated?: string; accountDisabled?: boolean; licensed?: boolean } {
  return {
    ...optionalTime('whenCreated', raw.WhenCreatedUTC ?? raw.WhenCreated ?? raw.WhenMailboxCreated),
    ...(typeof raw.AccountDisabled === 'boolean' ? { accountDisabled: raw.AccountDisabled } : {}),
    ...(typeof raw.SKUAssigned === 'boolean' ? { licensed: raw.SKUAssigned } : {}),
  }
}

/** Normalize one Get-Recipient row (mail contact, mail user, group, mailbox). */
export function normalizeRecipient(raw: RawRecipient): Recipient {
  const external = recipientText(raw.ExternalEmailAddress)
  const ref = external ? parseRecipient(external) : undefined
  const x500Addresses = x500AddressesOf((raw as Record<string, unknown>).EmailAddresses)
  return {
    identities: [raw.Identity, raw.Name, raw.Alias, raw.PrimarySmtpAddress]
      .filter((v): v is string => typeof v === 'string' && v !== '')
      .map((v) => v.toLowerCase()),
    ...(raw.PrimarySmtpAddress
      ? { primarySmtpAddress: normalizeAddress(raw.PrimarySmtpAddress) }
      : {}),
    ...(ref?.address ? { externalEmailAddress: ref.address } : {}),
    ...(raw.LegacyExchangeDN ? { legacyExchangeDn: raw.LegacyExchangeDN } : {}),
    ...(x500Addresses.length > 0 ? { x500Addresses } : {}),
    ...(raw.RecipientTypeDetails !== undefined && raw.RecipientTypeDetails !== null
      ? { type: recipientType(raw.RecipientTypeDetails) }
      : {}),
    ...((raw as Record<string, unknown>).HiddenFromAddressListsEnabled === true
      ? { hiddenFromAddressLists: true }
      : {}),
    ...(raw.ExternalDirectoryObjectId
      ? { objectId: raw.ExternalDirectoryObjectId.trim().toLowerCase() }
      : {}),
    ...accountFacts(raw),
  }
}

function recipientType(value: unknown): string {
  if (typeof value === 'number') return RECIPIENT_TYPE_NUMBERS[value] ?? String(value)
  return typeof value === 'string' && value !== '' ? value : 'UserMailbox'
}

/** ForwardingSmtpAddress is a string over REST and a ProxyAddress object from PowerShell. */
function recipientText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    for (const key of ['ProxyAddressString', 'AddressString', 'Address', 'Name', 'Identity']) {
      const candidate = record[key]
      if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim()
    }
  }
  return undefined
}

function smtpAddressesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  const addresses: string[] = []
  for (const entry of list) {
    if (typeof entry === 'string' && /^smtp:/i.test(entry)) {
      addresses.push(normalizeAddress(stripSmtpPrefix(entry)))
    }
  }
  return addresses
}

/**
 * `X500:` proxy addresses: the legacy DNs a mailbox had before (a migration, a re-created
 * mailbox). Exchange keeps them so that rules and replies naming the old DN still deliver.
 */
export function x500AddressesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
  const dns: string[] = []
  for (const entry of list) {
    if (typeof entry !== 'string') continue
    const match = /^x500:(.+)$/i.exec(entry.trim())
    if (match?.[1]) dns.push(match[1].trim().toLowerCase())
  }
  return dns
}

function identitiesOf(raw: RawMailbox): string[] {
  const record = raw as Record<string, unknown>
  // Audit records name mailboxes by GUID (`<guid>\<RuleIdentity>`), so keep those too.
  const values = [
    raw.Identity,
    raw.Name,
    raw.Alias,
    raw.DisplayName,
    raw.UserPrincipalName,
    record.ExternalDirectoryObjectId,
    record.ExchangeObjectId,
    record.Guid,
  ]
  const unique = new Set<string>()
  for (const value of values) {
    if (typeof value === 'string' && value !== '') unique.add(value.toLowerCase())
  }
  return [...unique]
}

function optionalTime<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  const iso = toIsoTime(value)
  return (iso ? { [key]: iso } : {}) as { [P in K]?: string }
}

/** A mailbox as a recipient, so forwards that name it (alias, legacy DN) resolve. */
export function mailboxAsRecipient(mailbox: Mailbox): Recipient {
  return {
    identities: mailbox.identities,
    smtpAddresses: mailbox.smtpAddresses,
    primarySmtpAddress: mailbox.primarySmtpAddress,
    ...(mailbox.legacyExchangeDn ? { legacyExchangeDn: mailbox.legacyExchangeDn } : {}),
    ...(mailbox.x500Addresses ? { x500Addresses: mailbox.x500Addresses } : {}),
    type: mailbox.type,
    hiddenFromAddressLists: mailbox.hiddenFromAddressLists,
    ...(mailbox.whenCreated ? { whenCreated: mailbox.whenCreated } : {}),
    ...(mailbox.accountDisabled !== undefined ? { accountDisabled: mailbox.accountDisabled } : {}),
    ...(mailbox.licensed !== undefined ? { licensed: mailbox.licensed } : {}),
  }
}
