/**
 * @module normalize/transport-rule
 * A Get-TransportRule row to a TransportRule. The predicate names are New-TransportRule's
 * parameters; `Conditions` (predicate class names) tells which ones the rule really uses.
 */

import { stringList } from '../lib/lists.ts'
import type {
  Predicate,
  PredicateKind,
  RecipientRef,
  RuleConditions,
  TransportRule,
} from '../model/tenant.ts'
import { toIsoTime } from './dates.ts'
import { byteCount } from './exchange-inbox-rule.ts'
import type { RawTransportRule } from './raw.ts'
import { parseRecipientList } from './recipients.ts'
import { recipientLabel } from './rule-actions.ts'
import { listLine, quote } from './rule-text.ts'

/** Scope predicates cover a whole direction of mail: they do not narrow a rule to someone. */
const SCOPE_PREDICATES = new Set(['FromScope', 'SentToScope'])

const PREDICATES = [
  'FromScope',
  'SentToScope',
  'From',
  'FromMemberOf',
  'SentTo',
  'SentToMemberOf',
  'SenderDomainIs',
  'RecipientDomainIs',
  'SubjectContainsWords',
  'SubjectOrBodyContainsWords',
  'SubjectMatchesPatterns',
  'SubjectOrBodyMatchesPatterns',
  'FromAddressContainsWords',
  'FromAddressMatchesPatterns',
  'RecipientAddressContainsWords',
  'AnyOfRecipientAddressContainsWords',
  'HeaderContainsWords',
  'HeaderMatchesPatterns',
  'AttachmentContainsWords',
  'AttachmentNameMatchesPatterns',
  'AttachmentExtensionMatchesWords',
  'HasClassification',
  'MessageTypeMatches',
  'SCLOver',
  'WithImportance',
  'SenderIpRanges',
  'AnyOfToHeader',
  'AnyOfCcHeader',
  'AnyOfToCcHeader',
  'BetweenMemberOf1',
  'ManagerAddresses',
  'SenderADAttributeContainsWords',
  'HasSenderOverride',
  'MessageSizeOver',
  'AttachmentSizeOver',
  'RecipientAddressMatchesPatterns',
  'ContentCharacterSetContainsWords',
]

/** What each predicate tests, for judging how much mail it can match (analysis/breadth.ts). */
const KINDS: Record<string, PredicateKind> = {
  FromScope: 'scope',
  SentToScope: 'scope',
  SenderDomainIs: 'sender_domain',
  RecipientDomainIs: 'recipient_domain',
  SubjectContainsWords: 'subject_words',
  SubjectOrBodyContainsWords: 'subject_words',
  SubjectMatchesPatterns: 'subject_patterns',
  SubjectOrBodyMatchesPatterns: 'subject_patterns',
  FromAddressContainsWords: 'sender_words',
  FromAddressMatchesPatterns: 'sender_patterns',
  RecipientAddressContainsWords: 'recipient_words',
  AnyOfRecipientAddressContainsWords: 'recipient_words',
  RecipientAddressMatchesPatterns: 'recipient_patterns',
  HeaderContainsWords: 'header_words',
  HeaderMatchesPatterns: 'header_patterns',
  WithImportance: 'importance',
  MessageSizeOver: 'size_min',
}

const MODE_NUMBERS: Record<number, string> = { 0: 'Audit', 1: 'AuditAndNotify', 2: 'Enforce' }

/** Normalize one Get-TransportRule row. */
export function normalizeTransportRule(raw: RawTransportRule): TransportRule {
  const record = raw as Record<string, unknown>
  const conditions = predicatesOf(record, '')
  const exceptions = predicatesOf(record, 'ExceptIf').readable
  const actions = {
    redirectMessageTo: parseRecipientList(raw.RedirectMessageTo),
    blindCopyTo: parseRecipientList(raw.BlindCopyTo),
    copyTo: parseRecipientList(raw.CopyTo),
    addToRecipients: parseRecipientList(raw.AddToRecipients),
    moderateMessageByUser: parseRecipientList(raw.ModerateMessageByUser),
    ...(raw.RouteMessageOutboundConnector
      ? { routeMessageOutboundConnector: raw.RouteMessageOutboundConnector }
      : {}),
    deleteMessage: raw.DeleteMessage === true,
  }
  const whenChanged = toIsoTime(raw.WhenChanged)
  return {
    id: typeof raw.Guid === 'string' && raw.Guid ? raw.Guid : raw.Name,
    name: raw.Name,
    enabled: stateEnabled(raw.State),
    mode: modeOf(raw.Mode),
    ...(typeof raw.Priority === 'number' ? { priority: raw.Priority } : {}),
    conditions,
    exceptions,
    organizationWide: !narrowsScope(record),
    actions: { ...actions, readable: describe(actions) },
    ...(raw.CreatedBy ? { createdBy: raw.CreatedBy } : {}),
    ...(raw.LastModifiedBy ? { lastModifiedBy: raw.LastModifiedBy } : {}),
    ...(whenChanged ? { whenChanged } : {}),
  }
}

/** True when a condition picks some senders, recipients or content, not a whole direction. */
function narrowsScope(record: Record<string, unknown>): boolean {
  if (PREDICATES.some((key) => !SCOPE_PREDICATES.has(key) && present(record[key]))) return true
  return stringList(record.Conditions).some(
    (name) => !/\.(FromScope|SentToScope)Predicate$/.test(name)
  )
}

function predicatesOf(record: Record<string, unknown>, prefix: string): RuleConditions {
  const readable: string[] = []
  const words: string[] = []
  const predicates: Predicate[] = []
  for (const key of PREDICATES) {
    const value = record[prefix + key]
    if (!present(value)) continue
    const values = Array.isArray(value) ? stringList(value) : [String(value)]
    const line = listLine(label(key), values) ?? label(key)
    readable.push(line)
    if (/Words|Patterns|Domain/.test(key)) words.push(...values)
    const kind = KINDS[key] ?? 'other'
    predicates.push({
      kind,
      line,
      values: kind === 'size_min' ? [String(byteCount(value) ?? '')] : values,
    })
  }
  // Predicates we have no field for still count: `Conditions` lists every one in use.
  if (prefix === '' && readable.length === 0) {
    for (const name of stringList(record.Conditions)) {
      const line = `condition ${quote(name.split('.').pop() ?? name)}`
      readable.push(line)
      predicates.push({ kind: 'other', line, values: [] })
    }
  }
  return { readable, words, matchesAll: readable.length === 0, predicates }
}

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return false
  return !(Array.isArray(value) && value.length === 0)
}

/** `SentToScope` → `sent to scope`. */
function label(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}

/** Only Disabled (1) disables: a state Exchange does not have must not lower the score. */
function stateEnabled(state: unknown): boolean {
  if (typeof state === 'number') return state !== 1
  return typeof state !== 'string' || state.trim().toLowerCase() !== 'disabled'
}

/** RuleMode's names in any case; anything else is kept as written and is not an audit mode. */
function modeOf(mode: unknown): string {
  if (typeof mode === 'number') return MODE_NUMBERS[mode] ?? String(mode)
  if (typeof mode !== 'string' || mode.trim() === '') return 'Enforce'
  const known = Object.values(MODE_NUMBERS).find(
    (name) => name.toLowerCase() === mode.trim().toLowerCase()
  )
  return known ?? mode
}

function describe(actions: {
  redirectMessageTo: RecipientRef[]
  blindCopyTo: RecipientRef[]
  copyTo: RecipientRef[]
  addToRecipients: RecipientRef[]
  moderateMessageByUser: RecipientRef[]
  routeMessageOutboundConnector?: string
  deleteMessage: boolean
}): string[] {
  const lines: string[] = []
  const add = (label: string, refs: RecipientRef[]) => {
    if (refs.length > 0) lines.push(`${label} ${refs.map(recipientLabel).join(', ')}`)
  }
  add('redirect the message to', actions.redirectMessageTo)
  add('Bcc the message to', actions.blindCopyTo)
  add('Cc the message to', actions.copyTo)
  add('add recipient', actions.addToRecipients)
  add('send for moderation to', actions.moderateMessageByUser)
  if (actions.routeMessageOutboundConnector) {
    lines.push(`route through outbound connector ${quote(actions.routeMessageOutboundConnector)}`)
  }
  if (actions.deleteMessage) lines.push('delete the message')
  return lines
}
