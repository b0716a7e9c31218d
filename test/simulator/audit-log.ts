/**
 * @module test/simulator/audit-log
 * Graph's audit log query API (docs/microsoft-apis.md 6.3) as observed: on `/beta` only (v1.0
 * answered `404 UnknownError` with an empty message), `POST queries` → 201 with status
 * `notStarted`, then `running` for a while, then `succeeded`; records paged by `$top` and an
 * absolute nextLink; 403 without an AuditLogsQuery permission; `AuditingDisabledTenant` nested
 * in an UnknownError message when the tenant's unified audit log is off; 429 for queries
 * created in quick succession.
 */
import { randomUUID } from 'node:crypto'
import {
  type AuditLogOptions,
  asGraphRecord,
  type Classic,
  ingestionEnabled,
  searchRecords,
} from './audit-records.ts'
import type { SimContext } from './context.ts'
import { graphError, graphHeaders, graphThrottled } from './graph-errors.ts'
import type { SimRequest, SimResponse } from './http.ts'
import { decodeToken, encodeToken } from './ids.ts'
import type { AccessClaims } from './tokens.ts'

const ROUTE = /^\/(v1\.0|beta)\/security\/auditLog\/queries(?:\/([^/]+))?(\/records)?$/i
const ROLES = ['AuditLogsQuery.Read.All', 'AuditLogsQuery-Exchange.Read.All']

interface Query {
  id: string
  createdAt: number
  body: Classic
  records: Classic[]
}

/** Per-simulator state of the audit log API. */
export class AuditLogState {
  readonly queries = new Map<string, Query>()
  lastCreated = Number.NEGATIVE_INFINITY
  constructor(readonly options: AuditLogOptions = {}) {}
}

/** True when the path is the audit log API's. */
export const isAuditLogPath = (pathname: string): boolean => ROUTE.test(pathname)

export function handleAuditLog(
  ctx: SimContext,
  claims: AccessClaims,
  req: SimRequest
): SimResponse {
  const match = ROUTE.exec(req.url.pathname)
  const [, version = '', id, records] = match ?? []
  ctx.recorder.route(records ? 'auditLogRecords' : id ? 'auditLogQuery' : 'auditLogQueries')
  if (version.toLowerCase() === 'v1.0') return graphError(ctx, 404, 'UnknownError', '')
  if (!ROLES.some((role) => claims.roles?.includes(role))) {
    return graphError(
      ctx,
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.'
    )
  }
  const state = ctx.auditLog
  if (!id) {
    if (req.method !== 'POST')
      return graphError(ctx, 405, 'Request_BadRequest', 'Method not allowed.')
    return createQuery(ctx, state, req)
  }
  const query = state.queries.get(decodeURIComponent(id))
  if (!query) return graphError(ctx, 404, 'ResourceNotFound', `Query '${id}' was not found.`)
  if (req.method !== 'GET') return graphError(ctx, 405, 'Request_BadRequest', 'Method not allowed.')
  const ok = (body: unknown): SimResponse => ({ status: 200, headers: graphHeaders(), body })
  if (!records) return ok(entity(ctx, state, query))
  if (statusOf(ctx, state, query) !== 'succeeded') {
    return graphError(ctx, 400, 'BadRequest', 'The query has not completed.')
  }
  return ok(recordsPage(ctx, state, query, req.url))
}

function createQuery(ctx: SimContext, state: AuditLogState, req: SimRequest): SimResponse {
  const now = ctx.now()
  if (now - state.lastCreated < (state.options.createIntervalMs ?? 0)) {
    ctx.recorder.throttled('graphConcurrency')
    return graphThrottled(ctx, '1')
  }
  let body: Classic
  try {
    body = JSON.parse(req.body) as Classic
  } catch {
    return graphError(ctx, 400, 'BadRequest', 'Invalid request body.')
  }
  if (!ingestionEnabled(ctx.tenant)) {
    const inner = JSON.stringify({ ErrorCode: 'BadRequest', Status: 'AuditingDisabledTenant' })
    return graphError(ctx, 400, 'UnknownError', inner)
  }
  const start = Date.parse(zoned(body.filterStartDateTime))
  const end = Date.parse(zoned(body.filterEndDateTime))
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return graphError(
      ctx,
      400,
      'BadRequest',
      'filterStartDateTime and filterEndDateTime are required.'
    )
  }
  state.lastCreated = now
  const query: Query = {
    id: randomUUID(),
    createdAt: now,
    body,
    records: searchRecords(ctx.tenant, {
      start,
      end,
      operations: strings(body.operationFilters),
      recordTypes: strings(body.recordTypeFilters),
    }),
  }
  state.queries.set(query.id, query)
  return { status: 201, headers: graphHeaders(), body: entity(ctx, state, query) }
}

function entity(ctx: SimContext, state: AuditLogState, query: Query): Classic {
  const status = statusOf(ctx, state, query)
  return {
    '@odata.context': `${ctx.endpoints.graph}/beta/$metadata#security/auditLog/queries/$entity`,
    id: query.id,
    displayName: query.body.displayName ?? null,
    filterStartDateTime: query.body.filterStartDateTime,
    filterEndDateTime: query.body.filterEndDateTime,
    recordTypeFilters: strings(query.body.recordTypeFilters) ?? [],
    operationFilters: strings(query.body.operationFilters) ?? [],
    status,
    recordCountLimit: 50000,
    ...(status === 'succeeded'
      ? { approximateReturnedRecordCount: query.records.length, isRecordCountLimitExceeded: false }
      : {}),
  }
}

/** `notStarted` for the first fifth of the run, then `running`, then `succeeded`. */
function statusOf(ctx: SimContext, state: AuditLogState, query: Query): string {
  const runMs = state.options.queryMs ?? 300
  const elapsed = ctx.now() - query.createdAt
  if (elapsed >= runMs) return 'succeeded'
  return elapsed < runMs / 5 ? 'notStarted' : 'running'
}

function recordsPage(ctx: SimContext, state: AuditLogState, query: Query, url: URL): Classic {
  const top = Number(url.searchParams.get('$top') ?? 150)
  const token = url.searchParams.get('$skiptoken')
  const offset = token ? (decodeToken<{ o: number }>(token)?.o ?? 0) : 0
  // The service decides the page size in the end: `$top` up to 1,000, or the option's cap.
  const cap = Math.min(1000, state.options.pageSize ?? 1000)
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, cap) : Math.min(150, cap)
  const slice = query.records.slice(offset, offset + size)
  const base = `${ctx.endpoints.graph}/beta/security/auditLog/queries/${query.id}/records`
  return {
    '@odata.context': `${ctx.endpoints.graph}/beta/$metadata#security/auditLog/queries('${query.id}')/records`,
    value: slice.map(asGraphRecord),
    ...(offset + size < query.records.length
      ? {
          '@odata.nextLink': `${base}?$top=${size}&$skiptoken=${encodeToken({ o: offset + size })}`,
        }
      : {}),
  }
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined

/** CIPP sends `yyyy-MM-ddTHH:mm:ss` without a zone: that is UTC. */
const zoned = (value: unknown): string => {
  const text = typeof value === 'string' ? value : ''
  return /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`
}
