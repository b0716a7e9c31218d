/**
 * @module sources/live/recipient-lookup
 * Forwarding targets the directory does not know yet (an `[EX:...]` legacy DN or a
 * ForwardingAddress identity outside the audited mailboxes), looked up once each with
 * Get-Recipient so they resolve to an address and to internal or external.
 */
import { EXCHANGE_BATCH_LIMIT } from '../../m365/limits.ts'
import type { ExchangeAdmin } from '../../m365/types.ts'
import { x500AddressesOf } from '../../normalize/mailbox.ts'
import type { RawRecipient } from '../../normalize/raw.ts'
import { parseRecipientList } from '../../normalize/recipients.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import { RECIPIENT_FIELDS } from './fields.ts'
import { chunks } from './pool.ts'

const MAILBOX_KEYS = [
  'UserPrincipalName',
  'PrimarySmtpAddress',
  'Alias',
  'Name',
  'Identity',
  'DisplayName',
  'LegacyExchangeDN',
]
const RECIPIENT_KEYS = ['Identity', 'Name', 'Alias', 'PrimarySmtpAddress', 'LegacyExchangeDN']

/** Every name the directory already answers to, lower-case. */
export function directoryKeys(
  mailboxes: Record<string, unknown>[],
  recipients: RawRecipient[]
): Set<string> {
  const keys = new Set<string>()
  const add = (row: Record<string, unknown>, fields: string[]) => {
    for (const field of fields) {
      const value = row[field]
      if (typeof value === 'string' && value !== '') keys.add(value.toLowerCase())
    }
    for (const dn of x500AddressesOf(row.EmailAddresses)) keys.add(dn)
  }
  for (const row of mailboxes) add(row, MAILBOX_KEYS)
  for (const row of recipients) add(row, RECIPIENT_KEYS)
  return keys
}

/** Look up the targets of `entries` that `known` lacks; `known` learns them. */
export async function lookUpUnknownTargets(
  exchange: ExchangeAdmin,
  entries: SnapshotMailboxEntry[],
  known: Set<string>
): Promise<RawRecipient[]> {
  const unknown = new Set<string>()
  for (const entry of entries) {
    const values: unknown[] = [entry.mailbox.ForwardingAddress]
    for (const rule of Array.isArray(entry.exchangeInboxRules) ? entry.exchangeInboxRules : []) {
      values.push(rule.ForwardTo, rule.RedirectTo, rule.ForwardAsAttachmentTo)
    }
    for (const ref of values.flatMap(parseRecipientList)) {
      const key = ref.legacyDn ?? ref.identity
      if (key && !known.has(key.toLowerCase())) unknown.add(key)
    }
  }
  const found: RawRecipient[] = []
  for (const batch of chunks([...unknown], EXCHANGE_BATCH_LIMIT)) {
    const results = await exchange.invokeBatch(
      batch.map((identity) => ({
        cmdlet: 'Get-Recipient',
        parameters: { Identity: identity },
        select: RECIPIENT_FIELDS,
      }))
    )
    for (const result of results) if (result.ok) found.push(...(result.value as RawRecipient[]))
  }
  for (const key of unknown) known.add(key.toLowerCase())
  return found
}
