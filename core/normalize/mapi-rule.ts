/**
 * @module normalize/mapi-rule
 * An `UpdateInboxRules` record (a rule written over MAPI: Outlook desktop, EWS, Graph) read as
 * the New-InboxRule parameters it amounts to, so one path builds every inbox rule.
 * Two schemas are seen (docs/microsoft-apis.md, 6.1): `RuleOperation`, `RuleName`, `RuleId`,
 * `RuleState`, `RuleCondition` (text) and `RuleActions` (a JSON string, `[{"ActionType":
 * "Forward", ...}]`); and an older one with `Name`, `Actions` (`ForwardToRecipientsAction` ...)
 * and `ServerRule` (JSON, recipients under `Actions[].Recipients[].Values[].Value`).
 * Addresses are taken from wherever they sit in an action, since the exact JSON varies.
 */
import type { AuditRecord } from '../model/tenant.ts'

/** What one UpdateInboxRules record does to a rule. */
export interface MapiRuleChange {
  operation: 'add' | 'modify' | 'remove'
  name?: string
  /** Rule id; `0` (not yet assigned on add) is left out. */
  id?: string
  /** New-InboxRule-style parameters; undefined when the record carries no rule body. */
  parameters?: Record<string, string>
}

/** Said of a forward whose recipients the record does not name. */
export const UNNAMED_RECIPIENT = '(recipient not in the audit record)'

const OLD_ACTION_NAMES: Record<string, string> = {
  forwardtorecipientsaction: 'ForwardTo',
  forwardasattachmenttorecipientsaction: 'ForwardAsAttachmentTo',
  redirecttorecipientsaction: 'RedirectTo',
}
const ADDRESS = /^(?:smtp:)?([^\s@"<>;,]+@[^\s@"<>;,]+\.[^\s@"<>;,]+)$/i

/** Read an UpdateInboxRules record. */
export function mapiRuleChange(record: AuditRecord): MapiRuleChange {
  const p = record.parameters
  const ruleOperation = p.RuleOperation ?? ''
  const operation = ruleOperation.startsWith('Remove')
    ? 'remove'
    : /^(Add|Create)/i.test(ruleOperation) || p.IsNew === 'True'
      ? 'add'
      : 'modify'
  const name = p.RuleName ?? p.Name
  const id = p.RuleId && p.RuleId !== '0' ? p.RuleId : undefined
  const parameters = bodyParameters(p)
  return {
    operation,
    ...(name !== undefined && name !== '' ? { name } : {}),
    ...(id ? { id } : {}),
    ...(parameters ? { parameters } : {}),
  }
}

function bodyParameters(p: Record<string, string>): Record<string, string> | undefined {
  // Any property may hold the JSON (RuleActions, ServerRule) or name the older action kinds.
  const actions = Object.values(p).flatMap(jsonActions)
  const text = Object.values(p).join('\n').toLowerCase()
  const oldNames = Object.entries(OLD_ACTION_NAMES)
    .filter(([name]) => text.includes(name))
    .map(([, kind]) => kind)
  const condition = p.RuleCondition ?? p.Conditions
  // A modify record with `RuleActions: []` and `RuleCondition: {}` carries no body at all.
  if (
    actions.length === 0 &&
    oldNames.length === 0 &&
    (condition ?? '').replace(/[{}\s]/g, '') === ''
  )
    return undefined
  const out: Record<string, string> = {}
  const add = (kind: string, recipients: string[]) => {
    const list = recipients.length > 0 ? recipients : [UNNAMED_RECIPIENT]
    out[kind] = [...new Set([...(out[kind]?.split(';') ?? []), ...list])].join(';')
  }
  for (const action of actions) {
    const type = String(action.ActionType ?? action.Type ?? '')
    const kind = forwardKind(type, JSON.stringify(action))
    if (kind) add(kind, addressesIn(action))
    else if (/^delete$/i.test(type)) out.DeleteMessage = 'True'
    else if (/^permanentdelete/i.test(type)) out.PermanentDelete = 'True'
    else if (/^markasread/i.test(type)) out.MarkAsRead = 'True'
    else if (/^move/i.test(type)) out.MoveToFolder = '(a folder the audit record names only by id)'
  }
  // The older schema names action kinds as values; its ServerRule holds the recipients.
  if (actions.length === 0)
    for (const kind of oldNames) add(kind, addressesIn(parseJson(p.ServerRule)))
  if (condition !== undefined) out.RuleCondition = condition
  const state = p.RuleState
  if (state) {
    out.Enabled = /\benabled\b/i.test(state) ? 'True' : 'False'
    if (/ExitAfterExecution/i.test(state)) out.StopProcessingRules = 'True'
  }
  return out
}

/** Forward, redirect or forward as attachment, from the action's type and flags. */
function forwardKind(type: string, text: string): string | undefined {
  const known = OLD_ACTION_NAMES[type.toLowerCase()]
  if (known) return known
  // Exchange writes action types in PascalCase (`Forward`, `Move`, `Delegate`).
  if (!/^(Forward|Redirect)/.test(type)) return undefined
  if (/redirect|PreserveSender|DoNotMunge/i.test(`${type} ${text}`)) return 'RedirectTo'
  if (/attachment/i.test(`${type} ${text}`)) return 'ForwardAsAttachmentTo'
  return 'ForwardTo'
}

/** Action objects (those with an ActionType) anywhere in a JSON string. */
function jsonActions(value: string | undefined): Record<string, unknown>[] {
  if (!value?.trimStart().match(/^[[{]/)) return []
  const found: Record<string, unknown>[] = []
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit)
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>
      if (typeof record.ActionType === 'string') found.push(record)
      else Object.values(record).forEach(visit)
    }
  }
  visit(parseJson(value))
  return found
}

/** Every SMTP address among the strings of a JSON value (lower-cased, without `smtp:`). */
function addressesIn(node: unknown): string[] {
  const out = new Set<string>()
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      const match = ADDRESS.exec(value.trim())
      if (match?.[1]) out.add(match[1].toLowerCase())
    } else if (Array.isArray(value)) value.forEach(visit)
    else if (value && typeof value === 'object') Object.values(value).forEach(visit)
  }
  visit(node)
  return [...out]
}

function parseJson(value: string | undefined): unknown {
  if (!value) return undefined
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}
