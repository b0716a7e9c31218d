/**
 * @module test/simulator/rule-convert
 * One inbox rule, two wire shapes. A snapshot may carry only the Exchange rows or only the
 * Graph objects for a mailbox (a generated benchmark tenant, a Graph-only export); the
 * simulator then derives the other view so both APIs describe the same mailbox.
 */
import type { RawExchangeInboxRule, RawGraphMessageRule } from '../../core/normalize/raw.ts'
import { RawNumber } from './http.ts'
import { messageRuleIdFrom, uint64From } from './ids.ts'

/** Looks up internal recipients both ways: Exchange writes `[EX:<legacyDN>]`, Graph SMTP. */
export interface AddressBook {
  byLegacyDn(dn: string): { name: string; address: string } | undefined
  bySmtp(address: string): { name: string; legacyDn: string } | undefined
}

/** Rules Exchange hides from Graph and from Get-InboxRule without -IncludeHidden (5.7). */
export const isBuiltInHidden = (name: string): boolean =>
  /^junk e-mail rule$/i.test(name) || /^microsoft\.exchange\.oof\./i.test(name)

/** The decimal RuleIdentity: from `Identity` (`<owner>\<n>`), `RuleIdentity`, or derived. */
export function ruleIdentityDigits(rule: RawExchangeInboxRule, seed: string): string {
  const fromIdentity = typeof rule.Identity === 'string' && /\\(\d+)$/.exec(rule.Identity)?.[1]
  if (fromIdentity) return fromIdentity
  const id = rule.RuleIdentity
  if (typeof id === 'string' && /^\d+$/.test(id)) return id
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return BigInt(id).toString()
  return uint64From(`${seed}\\${rule.Name}`)
}

/** A Get-InboxRule row with Identity, RuleIdentity (exact big integer) and MailboxOwnerId set. */
export function exchangeRuleRow(rule: RawExchangeInboxRule, ownerId: string, seed: string) {
  const digits = ruleIdentityDigits(rule, seed)
  const owner = typeof rule.MailboxOwnerId === 'string' ? rule.MailboxOwnerId : ownerId
  const identity = typeof rule.Identity === 'string' ? rule.Identity : `${owner}\\${digits}`
  return { ...rule, Identity: identity, RuleIdentity: new RawNumber(digits), MailboxOwnerId: owner }
}

/** Graph omits unset properties instead of sending nulls (docs/microsoft-apis.md §1.4). */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value))
    if (v !== null && v !== undefined) out[key] = compact(v)
  return out as T
}

const list = (value: unknown): unknown[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

function toGraphRecipient(value: unknown, book: AddressBook) {
  const text = typeof value === 'string' ? value : String((value as { Address?: unknown })?.Address)
  const match = /^"?(.*?)"?\s*\[(\w+):(.+)\]$/.exec(text)
  if (!match) return { emailAddress: { name: text, address: text } }
  const [, name = '', type = '', address = ''] = match
  const internal = type.toUpperCase() === 'EX' ? book.byLegacyDn(address) : undefined
  return { emailAddress: { name: internal?.name ?? name, address: internal?.address ?? address } }
}

function toExchangeRecipient(value: unknown, book: AddressBook): string {
  const email = (value as { emailAddress?: { name?: string; address?: string } })?.emailAddress
  const address = email?.address ?? ''
  const internal = book.bySmtp(address)
  if (internal) return `"${internal.name}" [EX:${internal.legacyDn}]`
  return `"${email?.name ?? address}" [SMTP:${address}]`
}

// [Exchange property, Graph property, kind]
const CONDITIONS: Array<[string, string, 'words' | 'recipients' | 'flag']> = [
  ['SubjectContainsWords', 'subjectContains', 'words'],
  ['BodyContainsWords', 'bodyContains', 'words'],
  ['SubjectOrBodyContainsWords', 'bodyOrSubjectContains', 'words'],
  ['FromAddressContainsWords', 'senderContains', 'words'],
  ['HeaderContainsWords', 'headerContains', 'words'],
  ['RecipientAddressContainsWords', 'recipientContains', 'words'],
  ['From', 'fromAddresses', 'recipients'],
  ['SentTo', 'sentToAddresses', 'recipients'],
  ['HasAttachment', 'hasAttachments', 'flag'],
  ['MyNameInToOrCcBox', 'sentToOrCcMe', 'flag'],
]
const ACTIONS: Array<[string, string, 'words' | 'recipients' | 'flag' | 'text']> = [
  ['ForwardTo', 'forwardTo', 'recipients'],
  ['RedirectTo', 'redirectTo', 'recipients'],
  ['ForwardAsAttachmentTo', 'forwardAsAttachmentTo', 'recipients'],
  ['MoveToFolder', 'moveToFolder', 'text'],
  ['CopyToFolder', 'copyToFolder', 'text'],
  ['DeleteMessage', 'delete', 'flag'],
  ['PermanentDelete', 'permanentDelete', 'flag'],
  ['MarkAsRead', 'markAsRead', 'flag'],
  ['ApplyCategory', 'assignCategories', 'words'],
  ['StopProcessingRules', 'stopProcessingRules', 'flag'],
]

type Mapping = Array<[string, string, string]>

function mapToGraph(
  rule: Record<string, unknown>,
  map: Mapping,
  prefix: string,
  book: AddressBook
) {
  const out: Record<string, unknown> = {}
  for (const [exo, graph, kind] of map) {
    const value = rule[prefix + exo]
    if (value === null || value === undefined || value === false) continue
    if (kind === 'recipients') out[graph] = list(value).map((v) => toGraphRecipient(v, book))
    else if (kind === 'words') out[graph] = list(value).map(String)
    else out[graph] = value
  }
  return Object.keys(out).length ? out : undefined
}

/** The Graph messageRule Exchange would show for a visible Get-InboxRule row. */
export function exchangeToGraph(rule: RawExchangeInboxRule, seed: string, book: AddressBook) {
  const row = rule as Record<string, unknown>
  return compact({
    id: messageRuleIdFrom(`${seed}\\${ruleIdentityDigits(rule, seed)}`),
    displayName: rule.Name,
    sequence: rule.Priority ?? 1,
    isEnabled: rule.Enabled ?? true,
    hasError: rule.InError ?? false,
    isReadOnly: false,
    conditions: mapToGraph(row, CONDITIONS, '', book),
    exceptions: mapToGraph(row, CONDITIONS, 'ExceptIf', book),
    actions: mapToGraph(row, ACTIONS, '', book),
  }) as RawGraphMessageRule
}

function mapToExchange(part: unknown, map: Mapping, prefix: string, book: AddressBook) {
  const source = (part ?? {}) as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [exo, graph, kind] of map) {
    const value = source[graph]
    if (value === null || value === undefined) continue
    out[prefix + exo] =
      kind === 'recipients' ? list(value).map((v) => toExchangeRecipient(v, book)) : value
  }
  return out
}

/**
 * The Get-InboxRule row Exchange would show for a Graph messageRule. Exchange names folders by
 * path where Graph gives ids: `folderPath` turns an id into one, when the mailbox has it.
 */
export function graphToExchange(
  rule: RawGraphMessageRule,
  book: AddressBook,
  folderPath: (id: string) => string | undefined = () => undefined
): RawExchangeInboxRule {
  const actions = mapToExchange(rule.actions, ACTIONS, '', book)
  for (const key of ['MoveToFolder', 'CopyToFolder']) {
    const id = actions[key]
    const path = typeof id === 'string' ? folderPath(id) : undefined
    if (path) actions[key] = path
  }
  return {
    Name: rule.displayName ?? rule.id,
    Enabled: rule.isEnabled ?? true,
    Priority: rule.sequence ?? 1,
    InError: rule.hasError ?? false,
    ...mapToExchange(rule.conditions, CONDITIONS, '', book),
    ...mapToExchange(rule.exceptions, CONDITIONS, 'ExceptIf', book),
    ...actions,
  } as RawExchangeInboxRule
}
