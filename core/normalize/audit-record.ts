/**
 * @module normalize/audit-record
 * Unified audit log records in every wire shape to one AuditRecord (docs/microsoft-apis.md
 * 6.2, 6.3): the classic AuditData object, a Search-UnifiedAuditLog row (AuditData a JSON
 * string) and a Graph auditLogRecord (auditData nested, `userId` and `userPrincipalName`
 * crossed). Export wrappers (CSV rows, ConvertTo-Json files, JSON lines) are unwrapped by their
 * readers, which call `normalizeAuditRecord` once per record.
 */
import { presentText } from '../lib/text.ts'
import type { ActorType, AuditRecord } from '../model/tenant.ts'
import { parseClientIp } from './client-ip.ts'
import { toIsoTime } from './dates.ts'

/** Normalize one record; undefined when it is not an audit record we can read. */
export function normalizeAuditRecord(raw: Record<string, unknown>): AuditRecord | undefined {
  const data = auditDataOf(raw)
  const operation =
    presentText(data.Operation) ?? presentText(raw.operation) ?? presentText(raw.Operations)
  const time = toIsoTime(data.CreationTime ?? raw.createdDateTime ?? raw.CreationDate)
  if (!operation || !time) return undefined
  const parameters = {
    ...nameValues(data.OperationProperties),
    ...nameValues(data.Parameters),
  }
  // Graph crosses the classic fields: its `userPrincipalName` is the classic `UserId` (6.3).
  const actor =
    presentText(data.UserId) ?? presentText(raw.userPrincipalName) ?? presentText(raw.UserIds)
  const clientIp = parseClientIp(
    presentText(data.ClientIP) ?? presentText(data.ClientIPAddress) ?? presentText(raw.clientIp)
  )
  const objectId = presentText(data.ObjectId) ?? presentText(raw.objectId)
  const target = targetOf(operation, objectId, parameters, presentText(data.MailboxOwnerUPN))
  const clientApp = clientAppOf(data)
  const id = presentText(data.Id) ?? presentText(raw.id) ?? presentText(raw.Identity)
  return {
    id: id ?? [operation, time, actor ?? '', objectId ?? ''].join('|'),
    time,
    operation,
    ...(actor ? { actor: actor.toLowerCase() } : {}),
    actorType: actorTypeOf(data.UserType ?? raw.userType, actor),
    ...(clientIp ? { clientIp } : {}),
    ...(clientApp ? { clientApp } : {}),
    succeeded: succeeded(data.ResultStatus),
    mailboxKeys: target.mailboxKeys,
    ...(target.mailbox ? { mailbox: target.mailbox } : {}),
    ...(target.rule ? { rule: target.rule } : {}),
    ...(objectId ? { objectId } : {}),
    parameters,
  }
}

/**
 * What an AuditRecord leaves out and `forwarding-audit events` needs: whether the change took
 * effect (`ResultStatus` "False" or "Failed" means the cmdlet failed) and the organization.
 */
export function auditRecordOutcome(raw: Record<string, unknown>): {
  succeeded: boolean
  organizationId?: string
  organizationName?: string
} {
  const data = auditDataOf(raw)
  const status = String(data.ResultStatus ?? '').toLowerCase()
  const organizationId = presentText(data.OrganizationId) ?? presentText(raw.organizationId)
  const organizationName = presentText(data.OrganizationName)
  return {
    succeeded: status !== 'false' && status !== 'failed',
    ...(organizationId ? { organizationId } : {}),
    ...(organizationName ? { organizationName: organizationName.toLowerCase() } : {}),
  }
}

/**
 * Normalize a list and keep one record per `Id`: searches return duplicates
 * (office-docs-powershell#4677), and one record may arrive in two shapes.
 */
export function normalizeAuditRecords(raws: readonly unknown[]): AuditRecord[] {
  return readAuditRecords(raws).records
}

/**
 * `normalizeAuditRecords`, and how many entries were no readable record (not an object, no
 * operation, or no real time such as `CreationTime` 2026-02-30), so the summary can say so.
 */
export function readAuditRecords(raws: readonly unknown[]): {
  records: AuditRecord[]
  unreadable: number
} {
  const byId = new Map<string, AuditRecord>()
  let unreadable = 0
  for (const raw of raws) {
    const record =
      raw && typeof raw === 'object' && !Array.isArray(raw)
        ? normalizeAuditRecord(raw as Record<string, unknown>)
        : undefined
    if (!record) unreadable++
    else if (!byId.has(record.id)) byId.set(record.id, record)
  }
  return { records: [...byId.values()], unreadable }
}

/** The summary note for records that could not be read; undefined when there were none. */
export function unreadableRecordsNote(unreadable: number): string | undefined {
  if (unreadable === 0) return undefined
  return `${unreadable} audit record(s) could not be read (no operation, or no valid time such as a day that does not exist): they date nothing`
}

/** `ClientIP` without its port or IPv6 mapping (client-ip.ts); the name other modules know. */
export const stripPort = parseClientIp

function auditDataOf(raw: Record<string, unknown>): Record<string, unknown> {
  const nested = raw.AuditData ?? raw.auditData
  if (typeof nested === 'string') {
    try {
      const parsed: unknown = JSON.parse(nested)
      if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>
    } catch {
      return raw
    }
  }
  if (nested && typeof nested === 'object') return nested as Record<string, unknown>
  return raw
}

/** `[{ Name, Value }]` to a map; all values are strings on the wire. */
function nameValues(value: unknown): Record<string, string> {
  const map: Record<string, string> = {}
  if (!Array.isArray(value)) return map
  for (const item of value) {
    if (item && typeof item === 'object') {
      const { Name, Value } = item as { Name?: unknown; Value?: unknown }
      if (typeof Name === 'string')
        map[Name] = Value === null || Value === undefined ? '' : String(Value)
    }
  }
  return map
}

/** `ResultStatus`: "True"/"False" for admin cmdlets, "Succeeded"/"Failed" for mailbox actions. */
function succeeded(status: unknown): boolean {
  const text = typeof status === 'string' ? status.trim().toLowerCase() : ''
  return !['false', 'failed', 'failure'].includes(text)
}

const INBOX_RULE_OPS = /^(new|set|enable|disable|remove)-inboxrule$/i
/** Transport and journal rules: organization rules, on no mailbox. */
const ORGANIZATION_RULE_OPS = /^(new|set|enable|disable|remove)-(transport|journal)rule$/i
/** `<server>/Microsoft Exchange Hosted Organizations/<org>/<rest>` (6.2). */
const ORG_PATH = /^.*?\/Microsoft Exchange Hosted Organizations\/[^/]+\/(.*)$/is

/** The mailbox and rule a record names, from its ObjectId and parameters (6.2). */
function targetOf(
  operation: string,
  objectId: string | undefined,
  parameters: Record<string, string>,
  ownerUpn: string | undefined
): { mailboxKeys: string[]; mailbox?: string; rule?: { name?: string; identity?: string } } {
  const keys = new Set<string>()
  const add = (value: string | undefined) => {
    const key = presentText(value)?.toLowerCase()
    if (key) keys.add(key)
  }
  add(ownerUpn)
  add(parameters.Mailbox)
  if (ORGANIZATION_RULE_OPS.test(operation)) {
    const name = presentText(parameters.Name)
    const identity = presentText(parameters.Identity) ?? objectId
    return { mailboxKeys: [], rule: ruleRef(name ?? identity, identity) }
  }
  const object = objectId ? splitPath(objectId) : undefined
  if (/^updateinboxrules$/i.test(operation)) {
    // `RuleName` and `RuleId`, or the older schema's `Name` (mapi-rule.ts).
    const rule = ruleRef(parameters.RuleName ?? parameters.Name, ruleIdentityOf(parameters.RuleId))
    return withMailbox(keys, ownerUpn, rule)
  }
  if (INBOX_RULE_OPS.test(operation)) {
    // ObjectId `<org path>/<mailbox>\<rule name>` (New-) or `<mailbox>\<RuleIdentity>` (Set-).
    // A bare Identity parameter is a rule name: OWA names no mailbox, it is the caller's own.
    const identity = presentText(parameters.Identity)
    const fromIdentity = identity?.includes('\\') ? splitPath(identity) : undefined
    add(object?.mailbox)
    add(fromIdentity?.mailbox)
    const named = presentText(parameters.Name) ?? (fromIdentity ? undefined : identity)
    // After the organization path comes a name; after a bare `<mailbox>\` a RuleIdentity.
    const ids = [object, fromIdentity].filter((p) => p && !p.viaOrg && isRuleIdentity(p.rest))
    const names = [object, fromIdentity].filter((p) => p?.mailbox && !ids.includes(p))
    const rule = ruleRef(named ?? names[0]?.rest, ruleIdentityOf(ids[0]?.rest))
    return withMailbox(keys, ownerUpn, rule)
  }
  // Set-Mailbox and others: ObjectId is the mailbox (GUID or alias); Identity any of its names.
  add(object?.mailbox ?? object?.rest)
  const identity = presentText(parameters.Identity)
  if (identity) {
    const path = splitPath(identity)
    add(path.mailbox ?? path.rest)
  }
  return withMailbox(keys, ownerUpn, undefined)
}

function withMailbox(
  keys: Set<string>,
  ownerUpn: string | undefined,
  rule: { name?: string; identity?: string } | undefined
) {
  const mailbox = presentText(ownerUpn)?.toLowerCase()
  return { mailboxKeys: [...keys], ...(mailbox ? { mailbox } : {}), ...(rule ? { rule } : {}) }
}

/** Strip the organization path; split `<mailbox>\<rest>` at the first backslash. */
function splitPath(value: string): { mailbox?: string; rest: string; viaOrg: boolean } {
  const org = ORG_PATH.exec(value)?.[1]
  const inner = org ?? value
  const slash = inner.indexOf('\\')
  if (slash < 0) return { rest: inner, viaOrg: org !== undefined }
  return { mailbox: inner.slice(0, slash), rest: inner.slice(slash + 1), viaOrg: org !== undefined }
}

function ruleRef(
  name: string | undefined,
  identity: string | undefined
): { name?: string; identity?: string } | undefined {
  const n = name === undefined ? undefined : name.length > 0 ? name : undefined
  if (n === undefined && identity === undefined) return undefined
  return { ...(n !== undefined ? { name: n } : {}), ...(identity ? { identity } : {}) }
}

const isRuleIdentity = (value: string | undefined): boolean =>
  value !== undefined && /^-?\d+$/.test(value.trim())

/**
 * A rule id as Get-InboxRule's `RuleIdentity` digits. Mailbox audit records print the same
 * 64-bit id signed, so negative ids wrap to their unsigned value (6.4, unverified); `0` is the
 * placeholder Outlook writes for a rule it is adding.
 */
export function ruleIdentityOf(value: string | undefined): string | undefined {
  const text = value?.trim()
  if (!text || !/^-?\d+$/.test(text)) return undefined
  const n = BigInt(text)
  if (n === 0n) return undefined
  return (n < 0n ? n + 2n ** 64n : n).toString()
}

/** `UserType` numbers (Management Activity API common schema) and Graph's names for them. */
const USER_TYPES: Record<string, ActorType> = {
  '0': 'user',
  regular: 'user',
  guest: 'user',
  '2': 'admin',
  admin: 'admin',
  '3': 'service',
  dcadmin: 'service',
  '4': 'service',
  system: 'service',
  '5': 'application',
  application: 'application',
  '6': 'application',
  serviceprincipal: 'application',
  '8': 'service',
  systempolicy: 'service',
}

/** Changes Microsoft's own staff or services make; the actor name alone can say so. */
const SERVICE_ACTORS =
  /^(nt authority\\|s-1-5-18$|microsoft operator|microsoft exchange|exchange online|dcadmin|servicehost)/i

function actorTypeOf(userType: unknown, actor: string | undefined): ActorType {
  // Only a name that is no account: anyone may register dcadmin@contoso.com.
  if (actor && !actor.includes('@') && SERVICE_ACTORS.test(actor)) return 'service'
  const key = String(userType ?? '')
    .trim()
    .toLowerCase()
  return USER_TYPES[key] ?? 'user'
}

/** Exchange's own app id: it says nothing about the client. */
const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000'

/** The client as the record shows it: the mailbox audit's ClientInfoString, else app pool and app. */
function clientAppOf(data: Record<string, unknown>): string | undefined {
  const info = presentText(data.ClientInfoString) ?? presentText(data.UserAgent)
  if (info) return info
  const app = [data.ClientAppId, data.AppId]
    .map(presentText)
    .find((id) => id !== undefined && id.toLowerCase() !== EXCHANGE_APP_ID)
  const parts = [presentText(data.AppPoolName), app ? `app ${app}` : undefined].filter(Boolean)
  return parts.length > 0 ? parts.join(' ') : undefined
}
