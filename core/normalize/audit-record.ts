/**
 * @module normalize/audit-record
 * Unified audit log records in their three wire shapes to one AuditRecord:
 * the classic AuditData object, a Search-UnifiedAuditLog row (AuditData as a JSON string)
 * and a Graph auditLogRecord (auditData nested).
 */
import { presentText } from '../lib/text.ts'
import type { AuditRecord } from '../model/tenant.ts'
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
  // Graph crosses the classic fields: its `userPrincipalName` is the classic `UserId`.
  const actor =
    presentText(data.UserId) ?? presentText(raw.userPrincipalName) ?? presentText(raw.UserIds)
  const clientIp = stripPort(
    presentText(data.ClientIP) ?? presentText(data.ClientIPAddress) ?? presentText(raw.clientIp)
  )
  const mailbox = presentText(data.MailboxOwnerUPN) ?? parameters.Mailbox
  const objectId = presentText(data.ObjectId) ?? presentText(raw.objectId)
  return {
    id: presentText(data.Id) ?? presentText(raw.id) ?? `${operation}@${time}`,
    time,
    operation,
    ...(actor ? { actor: actor.toLowerCase() } : {}),
    ...(clientIp ? { clientIp } : {}),
    ...(mailbox ? { mailbox: mailbox.toLowerCase() } : {}),
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

/**
 * `104.28.196.199:28491`, `104.28.196.199-28491` and `[2a09:bac5::1]:52629` carry the client
 * port; drop it. An IPv4-mapped IPv6 address (`[::ffff:198.51.100.7]:443`) is the IPv4 address.
 */
export function stripPort(ip: string | undefined): string | undefined {
  if (!ip) return undefined
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip)
  const address = bracketed ? (bracketed[1] as string) : ip
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)
  if (mapped) return mapped[1]
  if (bracketed) return address
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})[:-]\d+$/.exec(ip)
  return v4 ? v4[1] : ip
}
