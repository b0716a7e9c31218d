/**
 * @module sources/audit-log/build-facts
 * Replayed audit-log state as the engine's tenant facts: a Mailbox per mailbox the log names,
 * an InboxRule or TransportRule per rule, built through the same normalizers as a snapshot's
 * Get-InboxRule and Get-TransportRule rows (the cmdlet parameters are those rows' fields).
 * What the log cannot show stays unknown: a rule whose creation is older than the log has
 * unknown conditions, never "matches every message".
 */
import { isUpn } from '../../lib/address.ts'
import type { InboxRule, JournalRule, Mailbox, TransportRule } from '../../model/tenant.ts'
import { normalizeExchangeInboxRule } from '../../normalize/exchange-inbox-rule.ts'
import { normalizeJournalRule } from '../../normalize/journal-rule.ts'
import type { RawExchangeInboxRule, RawJournalRule, RawTransportRule } from '../../normalize/raw.ts'
import { quote } from '../../normalize/rule-text.ts'
import { normalizeTransportRule } from '../../normalize/transport-rule.ts'
import type { InboxRuleState, MailboxState, RuleState } from './replay.ts'

/** Shown where the log holds only changes to a rule made before it starts. */
export const CONDITIONS_UNKNOWN = 'conditions unknown: the rule was created before this log starts'

/** Inbox-rule parameters that are switches (`"True"`/`"False"` in the log). */
const INBOX_SWITCHES = [
  'DeleteMessage',
  'SoftDeleteMessage',
  'PermanentDelete',
  'MarkAsRead',
  'StopProcessingRules',
  'HasAttachment',
  'MyNameInCcBox',
  'MyNameInToBox',
  'MyNameInToOrCcBox',
  'MyNameNotInToBox',
  'SentOnlyToMe',
]
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Word lists: the log joins several words with `;`. */
const WORD_LISTS =
  /^(ExceptIf)?(Subject|SubjectOrBody|Body|FromAddress|Header|RecipientAddress)ContainsWords$/

/** The mailbox as the engine sees it; `label` is its best name (an address when the log has one). */
export function mailboxFromState(state: MailboxState): Mailbox {
  const addresses = state.names.filter((name) => isUpn(name))
  // An address, else an alias, else a GUID: the name an analyst recognises first.
  const plain = state.names.filter((name) => !name.includes('/'))
  const label =
    addresses[0] ?? plain.find((name) => !GUID.test(name)) ?? plain[0] ?? state.names[0] ?? ''
  return {
    upn: label,
    primarySmtpAddress: addresses[0] ?? label,
    type: 'UserMailbox',
    hiddenFromAddressLists: false,
    smtpAddresses: addresses,
    identities: state.names,
    ...(state.forwardingSmtpAddress
      ? { forwardingSmtpAddress: state.forwardingSmtpAddress.toLowerCase() }
      : {}),
    ...(state.forwardingAddress ? { forwardingAddress: state.forwardingAddress } : {}),
    deliverToMailboxAndForward: state.deliverToMailboxAndForward,
    ...(state.ended.length > 0 ? { endedForwarding: endedOnly(state) } : {}),
  }
}

/** Forwarding set and cleared, without what is set again now (that is the current finding). */
function endedOnly(state: MailboxState) {
  const current = [state.forwardingSmtpAddress, state.forwardingAddress].map((v) =>
    v?.toLowerCase()
  )
  const seen = new Set<string>()
  return state.ended.filter((ended) => {
    const key = `${ended.kind}\u0000${ended.target.toLowerCase()}`
    if (current.includes(ended.target.toLowerCase()) || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** An inbox rule from its New-/Set-InboxRule parameters or its UpdateInboxRules body. */
export function inboxRuleFromState(state: InboxRuleState): InboxRule {
  const p = state.parameters
  const raw: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(p)) {
    if (INBOX_SWITCHES.includes(name)) raw[name] = value.toLowerCase() === 'true'
    else if (WORD_LISTS.test(name)) raw[name] = value.split(';').filter((word) => word !== '')
    else raw[name] = value
  }
  if (p.RedirectToRecipients && !p.RedirectTo) raw.RedirectTo = p.RedirectToRecipients
  const rule = normalizeExchangeInboxRule({
    ...raw,
    Name: state.name,
    Identity: state.id ?? state.name,
    Enabled: isActive(state),
  } as RawExchangeInboxRule)
  const conditions =
    p.RuleCondition !== undefined
      ? mapiConditions(p.RuleCondition, state.created)
      : state.created
        ? rule.conditions
        : unknownConditions(rule.conditions.readable)
  const readable = [...rule.actions.readable, ...history(state)]
  return { ...rule, conditions, actions: { ...rule.actions, readable } }
}

/** A transport rule from its New-/Set-TransportRule parameters. */
export function transportRuleFromState(state: RuleState): TransportRule {
  const p = state.parameters
  const rule = normalizeTransportRule({
    ...p,
    Name: state.name,
    State: isActive(state) ? 'Enabled' : 'Disabled',
    Mode: p.Mode ?? 'Enforce',
    DeleteMessage: p.DeleteMessage?.toLowerCase() === 'true',
    Priority: undefined,
  } as unknown as RawTransportRule)
  const actions = { ...rule.actions, readable: [...rule.actions.readable, ...history(state)] }
  if (state.created) return { ...rule, actions }
  return {
    ...rule,
    actions,
    conditions: unknownConditions(rule.conditions.readable),
    organizationWide: false,
  }
}

/**
 * A journal rule from its New-/Set-JournalRule parameters. Scope and Recipient the log does not
 * show take Exchange's defaults (Global, everyone), as a Get-JournalRule row without them does.
 */
export function journalRuleFromState(state: RuleState): JournalRule {
  const p = state.parameters
  const rule = normalizeJournalRule({
    Name: state.name,
    JournalEmailAddress: p.JournalEmailAddress ?? '',
    ...(p.Recipient ? { Recipient: p.Recipient } : {}),
    ...(p.Scope ? { Scope: p.Scope } : {}),
    Enabled: isActive(state),
  } as RawJournalRule)
  return rule
}

/** Removed, or replaced by a change that forwards elsewhere: no mail flows through it now. */
function isActive(state: RuleState): boolean {
  return state.enabled && state.removedAt === undefined && state.replacedAt === undefined
}

/** Readable lines for what later records did to the rule. */
function history(state: RuleState): string[] {
  return [
    ...(state.replacedAt ? [`forwarding changed ${state.replacedAt.slice(0, 10)}`] : []),
    ...(state.removedAt ? [`rule removed ${state.removedAt.slice(0, 10)}`] : []),
  ]
}

function unknownConditions(readable: string[]) {
  return { readable: [...readable, CONDITIONS_UNKNOWN], words: [], matchesAll: false }
}

/** UpdateInboxRules conditions are Exchange's restriction text: `{((SubjectProperty Contains x))}`. */
function mapiConditions(text: string, created: boolean) {
  const trimmed = text.trim()
  if (trimmed.replace(/[{}\s]/g, '') === '') {
    return created
      ? { readable: [], words: [], matchesAll: true }
      : { readable: [CONDITIONS_UNKNOWN], words: [], matchesAll: false }
  }
  const words = [...trimmed.matchAll(/\bContains\s+([^()]+?)\s*\)/g)].map((m) => m[1] as string)
  return { readable: [`matches ${quote(trimmed)}`], words, matchesAll: false }
}
