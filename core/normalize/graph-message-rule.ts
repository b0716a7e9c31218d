/**
 * @module normalize/graph-message-rule
 * A Graph `messageRule` to an InboxRule. Graph omits unset properties, and returns rules it
 * cannot represent as `isReadOnly: true` with no conditions or actions at all.
 */

import { stringList } from '../lib/lists.ts'
import type { InboxRule, Predicate, PredicateKind, RuleConditions } from '../model/tenant.ts'
import type { FolderIndex } from './mail-folders.ts'
import type { RawGraphMessageRule } from './raw.ts'
import { parseRecipientList, recipientText } from './recipients.ts'
import { describeActions } from './rule-actions.ts'
import { listLine, quote } from './rule-text.ts'

const WORD_PREDICATES: Record<string, string> = {
  subjectContains: 'subject contains',
  bodyOrSubjectContains: 'subject or body contains',
  bodyContains: 'body contains',
  senderContains: 'sender contains',
  headerContains: 'header contains',
  recipientContains: 'recipient contains',
  categories: 'category is',
}

const RECIPIENT_PREDICATES: Record<string, string> = {
  fromAddresses: 'from',
  sentToAddresses: 'sent to',
}

const VALUE_PREDICATES: Record<string, string> = {
  hasAttachments: 'has an attachment',
  importance: 'importance is',
  sensitivity: 'sensitivity is',
  messageActionFlag: 'flagged for',
  isApprovalRequest: 'is an approval request',
  isAutomaticForward: 'is an automatic forward',
  isAutomaticReply: 'is an automatic reply',
  isEncrypted: 'is encrypted',
  isMeetingRequest: 'is a meeting request',
  isMeetingResponse: 'is a meeting response',
  isNonDeliveryReport: 'is a non-delivery report',
  isPermissionControlled: 'is permission-controlled',
  isReadReceipt: 'is a read receipt',
  isSigned: 'is signed',
  isVoicemail: 'is a voicemail',
  notSentToMe: 'not sent to me',
  sentCcMe: 'sent Cc me',
  sentOnlyToMe: 'sent only to me',
  sentToMe: 'sent to me',
  sentToOrCcMe: 'sent to or Cc me',
}

/**
 * Normalize one Graph messageRule. Graph only lists rules Outlook shows, so `hidden` is false.
 * `folders` names the folder ids the rule moves or copies mail to; an id it lacks stays an id.
 */
export function normalizeGraphMessageRule(
  raw: RawGraphMessageRule,
  folders?: FolderIndex
): InboxRule {
  const a = raw.actions ?? {}
  const moveTo = a.moveToFolder ? folders?.get(a.moveToFolder) : undefined
  const copyTo = a.copyToFolder ? folders?.get(a.copyToFolder) : undefined
  const traits = moveTo && {
    ...(moveTo.wellKnownName ? { wellKnownName: moveTo.wellKnownName } : {}),
    ...(moveTo.hidden ? { hidden: true } : {}),
  }
  const actions = {
    forwardTo: parseRecipientList(a.forwardTo),
    redirectTo: parseRecipientList(a.redirectTo),
    forwardAsAttachmentTo: parseRecipientList(a.forwardAsAttachmentTo),
    ...(a.moveToFolder ? { moveToFolder: moveTo?.name ?? a.moveToFolder } : {}),
    ...(traits && Object.keys(traits).length > 0 ? { moveToFolderTraits: traits } : {}),
    ...(a.copyToFolder ? { copyToFolder: copyTo?.name ?? a.copyToFolder } : {}),
    delete: a.delete === true,
    permanentDelete: a.permanentDelete === true,
    markAsRead: a.markAsRead === true,
    stopProcessingRules: a.stopProcessingRules === true,
  }
  const conditions = predicatesOf(raw.conditions ?? {})
  // A read-only rule with nothing in it is one Graph cannot show; it is not a match-all rule.
  const opaque = raw.isReadOnly === true && !raw.conditions && !raw.actions
  return {
    id: raw.id,
    name: raw.displayName ?? '',
    enabled: raw.isEnabled !== false,
    hidden: false,
    origin: 'graph',
    conditions: opaque
      ? { readable: ['(conditions Graph cannot show)'], words: [], matchesAll: false }
      : conditions,
    exceptions: predicatesOf(raw.exceptions ?? {}).readable,
    actions: { ...actions, readable: describeActions(actions) },
    ...(raw.hasError === true ? { inError: true } : {}),
  }
}

/** What each predicate tests, for judging how much mail it can match (analysis/breadth.ts). */
const KINDS: Record<string, PredicateKind> = {
  subjectContains: 'subject_words',
  bodyOrSubjectContains: 'subject_words',
  bodyContains: 'subject_words',
  senderContains: 'sender_words',
  headerContains: 'header_words',
  recipientContains: 'recipient_words',
  fromAddresses: 'sender_words',
  sentToAddresses: 'recipient_words',
  importance: 'importance',
  sentToMe: 'to_me',
  sentToOrCcMe: 'to_me',
}

const WORD_ENTRIES = Object.entries(WORD_PREDICATES)
const RECIPIENT_ENTRIES = Object.entries(RECIPIENT_PREDICATES)
const VALUE_ENTRIES = Object.entries(VALUE_PREDICATES)

function predicatesOf(predicates: Record<string, unknown>): RuleConditions {
  const readable: string[] = []
  const words: string[] = []
  const found: Predicate[] = []
  // Graph omits unset predicates: an empty object is the common case.
  if (Object.keys(predicates).length === 0)
    return { readable, words, matchesAll: true, predicates: found }
  const add = (key: string, line: string, values: string[]) => {
    readable.push(line)
    found.push({ kind: KINDS[key] ?? 'other', line, values })
  }
  for (const [key, label] of WORD_ENTRIES) {
    const values = stringList(predicates[key])
    const line = listLine(label, values)
    if (line) {
      add(key, line, values)
      words.push(...values)
    }
  }
  for (const [key, label] of RECIPIENT_ENTRIES) {
    const values = parseRecipientList(predicates[key]).map(recipientText)
    const line = listLine(label, values)
    if (line) {
      add(key, line, values)
      words.push(...values)
    }
  }
  for (const [key, label] of VALUE_ENTRIES) {
    const value = predicates[key]
    if (value === null || value === undefined || value === false) continue
    add(key, value === true ? label : `${label} ${quote(String(value))}`, [String(value)])
  }
  const size = predicates.withinSizeRange as
    | { minimumSize?: number; maximumSize?: number }
    | undefined
  if (size && typeof size === 'object') {
    // Graph's sizes are in kilobytes; one condition with both bounds.
    const line = `size between ${size.minimumSize ?? 0} KB and ${size.maximumSize ?? '∞'} KB`
    readable.push(line)
    found.push({ kind: 'size_min', line, values: [String((size.minimumSize ?? 0) * 1024)] })
    if (typeof size.maximumSize === 'number') {
      found.push({ kind: 'size_max', line, values: [String(size.maximumSize * 1024)] })
    }
  }
  return { readable, words, matchesAll: readable.length === 0, predicates: found }
}

/** True when a Graph messageRule forwards, redirects or forwards as attachment. */
export function graphRuleForwards(raw: RawGraphMessageRule): boolean {
  const a = raw.actions
  if (!a) return false
  const has = (value: unknown) =>
    value !== null && value !== undefined && (!Array.isArray(value) || value.length > 0)
  return has(a.forwardTo) || has(a.redirectTo) || has(a.forwardAsAttachmentTo)
}
