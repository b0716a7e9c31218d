/**
 * @module test/simulator/audit-records
 * The simulated tenant's unified audit log: the snapshot's `auditRecords` (classic AuditData
 * objects, docs/microsoft-apis.md 6.2), searched by window and operation, and dressed in the
 * two shapes the APIs return: Graph's auditLogRecord (auditData nested, userId and
 * userPrincipalName crossed, PascalCase record types) and Search-UnifiedAuditLog's row
 * (AuditData a JSON string, ResultIndex and ResultCount).
 */
import type { TenantView } from './tenant.ts'

export type Classic = Record<string, unknown>

/** How the simulated log behaves. */
export interface AuditLogOptions {
  /** How long a Graph query runs before it succeeds (default 300 ms; real ones take minutes). */
  queryMs?: number
  /** Most records per Graph records page, whatever `$top` asks (default 1,000). */
  pageSize?: number
  /** A second query created sooner than this after the last answers 429 (default 0: off). */
  createIntervalMs?: number
  /** Search-UnifiedAuditLog returns some records twice, as the real one does (default true). */
  duplicates?: boolean
}

const RECORD_TYPES: Record<number, { name: string; filter: string }> = {
  1: { name: 'ExchangeAdmin', filter: 'exchangeadmin' },
  2: { name: 'ExchangeItem', filter: 'exchangeitem' },
  3: { name: 'ExchangeItemGroup', filter: 'exchangeitemgroup' },
}

const USER_TYPES: Record<number, string> = {
  0: 'Regular',
  2: 'Admin',
  3: 'DcAdmin',
  4: 'System',
  5: 'Application',
  6: 'ServicePrincipal',
}

/** The classic records of the tenant, unwrapped if the snapshot held Search rows. */
export function classicRecords(tenant: TenantView): Classic[] {
  const raw = tenant.snapshot.auditRecords
  const list = raw === null || raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
  return list.map((record) => {
    const data = (record as Classic).AuditData
    if (typeof data === 'string') return JSON.parse(data) as Classic
    return (data && typeof data === 'object' ? data : record) as Classic
  })
}

/** Whether the tenant's unified audit log records anything (Get-AdminAuditLogConfig). */
export function ingestionEnabled(tenant: TenantView): boolean {
  const config = tenant.snapshot.adminAuditLogConfig
  const row = (Array.isArray(config) ? config[0] : config) as Classic | undefined | null
  return row?.UnifiedAuditLogIngestionEnabled !== false
}

/** Zone-less CreationTime is UTC (6.2). */
export const timeOf = (record: Classic): number =>
  Date.parse(`${String(record.CreationTime).replace(/Z$/, '')}Z`)

/** Records in [start, end] with one of `operations` (case-insensitive) and of `recordTypes`. */
export function searchRecords(
  tenant: TenantView,
  filter: { start: number; end: number; operations?: string[]; recordTypes?: string[] }
): Classic[] {
  if (!ingestionEnabled(tenant)) return []
  const operations = filter.operations?.map((o) => o.toLowerCase())
  const types = filter.recordTypes?.map((t) => t.toLowerCase())
  return classicRecords(tenant)
    .filter((record) => {
      const time = timeOf(record)
      if (!(time >= filter.start && time <= filter.end)) return false
      const op = String(record.Operation ?? '').toLowerCase()
      if (operations?.length && !operations.includes(op)) return false
      const type = RECORD_TYPES[Number(record.RecordType)]?.filter
      return !types?.length || (type !== undefined && types.includes(type))
    })
    .sort((a, b) => timeOf(a) - timeOf(b))
}

/** A classic record as Graph's auditLogRecord (6.3, graph2otel's live capture). */
export function asGraphRecord(record: Classic): Classic {
  const auditData: Classic = { '@odata.type': '#microsoft.graph.security.defaultAuditData' }
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'number') auditData[`${key}@odata.type`] = '#Int64'
    auditData[key] = value
  }
  const ip = typeof record.ClientIP === 'string' && record.ClientIP ? record.ClientIP : null
  return {
    id: record.Id,
    createdDateTime: new Date(timeOf(record)).toISOString().replace('.000Z', 'Z'),
    auditLogRecordType: RECORD_TYPES[Number(record.RecordType)]?.name ?? 'Unknown',
    operation: record.Operation,
    organizationId: record.OrganizationId,
    userType: USER_TYPES[Number(record.UserType)] ?? 'Regular',
    // Crossed on the wire: userId carries the classic UserKey (6.3).
    userId: record.UserKey ?? null,
    service: 'Exchange',
    objectId: record.ObjectId ?? '',
    userPrincipalName: record.UserId ?? null,
    clientIp: ip,
    administrativeUnits: [''],
    auditData,
  }
}

/** A classic record as a Search-UnifiedAuditLog row over REST. */
export function asSearchRow(record: Classic, index: number, count: number): Classic {
  return {
    RecordType: RECORD_TYPES[Number(record.RecordType)]?.name ?? 'ExchangeAdmin',
    'CreationDate@data.type': 'System.DateTime',
    CreationDate: new Date(timeOf(record)).toISOString().replace('.000Z', '.0000000Z'),
    UserIds: record.UserId,
    Operations: record.Operation,
    AuditData: JSON.stringify(record),
    'ResultIndex@data.type': 'System.Int32',
    ResultIndex: index,
    'ResultCount@data.type': 'System.Int32',
    ResultCount: count,
    Identity: record.Id,
    IsValid: true,
    ObjectState: 'Unchanged',
  }
}
