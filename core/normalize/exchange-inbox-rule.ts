/**
 * @module normalize/exchange-inbox-rule
 * A Get-InboxRule row (REST InvokeCommand or PowerShell ConvertTo-Json) to an InboxRule.
 * Conditions are the New-InboxRule parameter names; ExceptIf* are exceptions.
 */

import { stringList } from '../lib/lists.ts'
import type { InboxRule, Predicate, PredicateKind, RuleConditions } from '../model/tenant.ts'
import type { RawExchangeInboxRule } from './raw.ts'
import { parseRecipientList, recipientText } from './recipients.ts'
import { describeActions } from './rule-actions.ts'
import { listLine, quote } from './rule-text.ts'

/** Word-list conditions: their words feed keyword and catch-all analysis. */
const WORD_CONDITIONS: Record<string, string> = {
  SubjectContainsWords: 'subject contains',
  SubjectOrBodyContainsWords: 'subject or body contains',
  BodyContainsWords: 'body contains',
  FromAddressContainsWords: 'sender address contains',
  HeaderContainsWords: 'header contains',
  RecipientAddressContainsWords: 'recipient address contains',
  From: 'from',
  SentTo: 'sent to',
}

/** Other conditions, shown as `label value`. */
const VALUE_CONDITIONS: Record<string, string> = {
  HasAttachment: 'has an attachment',
  HasClassification: 'has classification',
  FlaggedForAction: 'flagged for',
  FromSubscription: 'from subscription',
  MessageTypeMatches: 'message type is',
  MyNameInCcBox: 'my name is in Cc',
  MyNameInToBox: 'my name is in To',
  MyNameInToOrCcBox: 'my name is in To or Cc',
  MyNameNotInToBox: 'my name is not in To',
  ReceivedAfterDate: 'received after',
  ReceivedBeforeDate: 'received before',
  SentOnlyToMe: 'sent only to me',
  WithImportance: 'importance is',
  WithSensitivity: 'sensitivity is',
  WithinSizeRangeMinimum: 'size at least',
  WithinSizeRangeMaximum: 'size at most',
}

/** What each condition tests, for judging how much mail it can match (analysis/breadth.ts). */
const KINDS: Record<string, PredicateKind> = {
  SubjectContainsWords: 'subject_words',
  SubjectOrBodyContainsWords: 'subject_words',
  BodyContainsWords: 'subject_words',
  FromAddressContainsWords: 'sender_words',
  HeaderContainsWords: 'header_words',
  RecipientAddressContainsWords: 'recipient_words',
  From: 'sender_words',
  SentTo: 'recipient_words',
  MyNameInToOrCcBox: 'to_me',
  MyNameInToBox: 'to_me',
  WithImportance: 'importance',
  WithinSizeRangeMinimum: 'size_min',
  WithinSizeRangeMaximum: 'size_max',
}

/** [field, label] pairs per prefix, built once: property names built per rule are slow in V8. */
const FIELDS = {
  '': fieldsFor(''),
  ExceptIf: fieldsFor('ExceptIf'),
}

function fieldsFor(prefix: string) {
  return {
    words: Object.entries(WORD_CONDITIONS).map(
      ([key, label]) => [prefix + key, key, label] as const
    ),
    values: Object.entries(VALUE_CONDITIONS).map(
      ([key, label]) => [prefix + key, key, label] as const
    ),
  }
}

/** Normalize one Get-InboxRule row; `hidden` is decided by the caller (see merge-inbox-rules). */
export function normalizeExchangeInboxRule(raw: RawExchangeInboxRule): InboxRule {
  const record = raw as Record<string, unknown>
  const actions = {
    forwardTo: parseRecipientList(raw.ForwardTo),
    redirectTo: parseRecipientList(raw.RedirectTo),
    forwardAsAttachmentTo: parseRecipientList(raw.ForwardAsAttachmentTo),
    ...(raw.MoveToFolder ? { moveToFolder: raw.MoveToFolder } : {}),
    ...(raw.CopyToFolder ? { copyToFolder: raw.CopyToFolder } : {}),
    delete: raw.DeleteMessage === true || raw.SoftDeleteMessage === true,
    permanentDelete: raw.PermanentDelete === true,
    markAsRead: raw.MarkAsRead === true,
    stopProcessingRules: raw.StopProcessingRules === true,
  }
  return {
    id: ruleIdentity(raw),
    name: raw.Name,
    enabled: raw.Enabled !== false,
    hidden: false,
    origin: 'exchange',
    conditions: conditionsOf(record, ''),
    exceptions: conditionsOf(record, 'ExceptIf').readable,
    actions: { ...actions, readable: describeActions(actions) },
    ...(typeof record.Provider === 'string' ? { provider: record.Provider } : {}),
    ...(raw.InError === true ||
    (typeof record.ErrorType === 'string' && record.ErrorType !== 'None')
      ? { inError: true }
      : {}),
  }
}

/**
 * RuleIdentity is a 64-bit number that JSON.parse rounds; the `Identity` string
 * (`<MailboxOwnerId>\<RuleIdentity>`) keeps it exact, so prefer its last segment.
 */
function ruleIdentity(raw: RawExchangeInboxRule): string {
  if (typeof raw.Identity === 'string' && raw.Identity.includes('\\')) {
    return raw.Identity.slice(raw.Identity.lastIndexOf('\\') + 1)
  }
  if (typeof raw.RuleIdentity === 'string') return raw.RuleIdentity
  if (typeof raw.RuleIdentity === 'number') return String(raw.RuleIdentity)
  return typeof raw.Identity === 'string' ? raw.Identity : raw.Name
}

function conditionsOf(
  record: Record<string, unknown>,
  prefix: keyof typeof FIELDS
): RuleConditions {
  const readable: string[] = []
  const words: string[] = []
  const predicates: Predicate[] = []
  const fields = FIELDS[prefix]
  for (const [field, key, label] of fields.words) {
    const raw = record[field]
    if (raw === undefined || raw === null) continue
    const values = recipientsOrWords(raw, key)
    const line = listLine(label, values)
    if (line) {
      readable.push(line)
      words.push(...values)
      predicates.push({ kind: KINDS[key] ?? 'other', line, values })
    }
  }
  for (const [field, key, label] of fields.values) {
    const value = record[field]
    if (value === null || value === undefined || value === false || value === '') continue
    const line = value === true ? label : `${label} ${quote(String(value))}`
    readable.push(line)
    const kind = KINDS[key] ?? 'other'
    const values =
      kind === 'size_min' || kind === 'size_max'
        ? [String(byteCount(value) ?? '')]
        : [String(value)]
    predicates.push({ kind, line, values })
  }
  return { readable, words, matchesAll: readable.length === 0, predicates }
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }

/**
 * A ByteQuantifiedSize as Exchange writes it (`10 KB (10,240 bytes)`), as a parameter takes it
 * (`10KB`, `1024`), or a number of bytes; undefined when it says no size.
 */
export function byteCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const exact = /\(([\d,.\s]+) bytes\)/i.exec(value)
  if (exact) return Number((exact[1] as string).replace(/[,.\s]/g, ''))
  const sized = /^\s*([\d.]+)\s*(B|KB|MB|GB)?\s*$/i.exec(value)
  if (!sized) return undefined
  return Number(sized[1]) * (UNITS[(sized[2] ?? 'B').toUpperCase()] ?? 1)
}

/** From/SentTo hold recipients (`"Name" [SMTP:x]`); show their addresses, not the raw form. */
function recipientsOrWords(value: unknown, key: string): string[] {
  if (key !== 'From' && key !== 'SentTo') return stringList(value)
  return parseRecipientList(value).map(recipientText)
}

/** True when a Get-InboxRule row forwards, redirects or forwards as attachment. */
export function exchangeRuleForwards(raw: RawExchangeInboxRule): boolean {
  return nonEmpty(raw.ForwardTo) || nonEmpty(raw.RedirectTo) || nonEmpty(raw.ForwardAsAttachmentTo)
}

function nonEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return false
  if (typeof value === 'string') return value.trim() !== ''
  return !Array.isArray(value) || value.length > 0
}
