/**
 * @module m365/audit-log
 * The unified audit log, two ways (docs/microsoft-apis.md 6.3). First the Graph audit log
 * query API on `/beta` (v1.0 answered 404 on a real tenant): create a query, poll it until it
 * succeeds (it runs for minutes), then page its records. Then `Search-UnifiedAuditLog` through
 * the Exchange admin API, in one `ReturnLargeSet` session of up to 50,000 records, for tenants
 * that granted no `AuditLogsQuery` permission. Both go through the same transport, retries and
 * token refresh as every other Microsoft 365 call.
 */
import { AuditRunError } from '../errors/errors.ts'
import { odataPage } from './batch-rounds.ts'
import { type GraphCallOptions, graphCaller } from './graph-call.ts'
import type { ExchangeAdmin, LiveContext } from './types.ts'

/** What to ask the log for. */
export interface AuditLogQuery {
  start: Date
  end: Date
  /** Operation names as Microsoft spells them (`New-InboxRule`, `UpdateInboxRules` ...). */
  operations: readonly string[]
}

/** Raw records, in whatever shape the API returned them, and whether the log cut them short. */
export interface AuditLogRows {
  rows: Record<string, unknown>[]
  truncated: boolean
}

/** How long to wait for a Graph query: polls start at `firstPollMs` and grow to `maxPollMs`. */
export interface AuditLogPolling {
  firstPollMs: number
  maxPollMs: number
  /** Give up on a query still running after this long. */
  maxWaitMs: number
}

/** Real queries take minutes; poll gently (graph2otel and CIPP poll every few seconds). */
export const DEFAULT_POLLING: Readonly<AuditLogPolling> = {
  firstPollMs: 1_000,
  maxPollMs: 30_000,
  maxWaitMs: 20 * 60_000,
}

const QUERIES = '/security/auditLog/queries'

/** The Graph fix, named in every message that needs it. */
export const AUDIT_QUERY_FIX =
  'grant the Microsoft Graph application permission AuditLogsQuery-Exchange.Read.All (or AuditLogsQuery.Read.All) and admin-consent it'

/** Graph says the tenant's unified audit log is off: `AuditingDisabledTenant` (6.3). */
export class AuditingDisabledError extends AuditRunError {
  constructor() {
    super(
      'SOURCE_UNAVAILABLE',
      'the tenant’s unified audit log is off (AuditingDisabledTenant): turn it on with Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true; records start from then',
      { userFixable: true }
    )
  }
}

/** Read the log through Graph's audit log query API. */
export async function graphAuditLog(
  options: Omit<GraphCallOptions, 'forbidden' | 'refused'>,
  query: AuditLogQuery,
  polling: AuditLogPolling = DEFAULT_POLLING
): Promise<AuditLogRows> {
  const ctx = options.context
  const { client, call, host } = graphCaller({
    ...options,
    forbidden: (cause) =>
      new AuditRunError(
        'PERMISSION_DENIED',
        `Graph refused the audit log query: ${AUDIT_QUERY_FIX}`,
        { userFixable: true, cause }
      ),
    refused: (_status, body) =>
      isAuditingDisabled(body) ? new AuditingDisabledError() : undefined,
  })
  const entity = (body: unknown) => {
    const value = body as { id?: unknown; status?: unknown; isRecordCountLimitExceeded?: unknown }
    if (!value || typeof value.id !== 'string') {
      throw new AuditRunError(
        'SOURCE_UNAVAILABLE',
        `${host} answered an audit log query without an id`
      )
    }
    return value as { id: string; status?: unknown; isRecordCountLimitExceeded?: unknown }
  }
  const created = await call(
    (o) =>
      client
        .api(QUERIES)
        .version('beta')
        .middlewareOptions(o)
        .post({
          displayName: `forwarding-audit ${new Date(ctx.now()).toISOString()}`,
          filterStartDateTime: isoSeconds(query.start),
          filterEndDateTime: isoSeconds(query.end),
          operationFilters: [...query.operations],
          recordTypeFilters: ['exchangeAdmin', 'exchangeItem'],
        }),
    entity
  )
  const path = `${QUERIES}/${encodeURIComponent(created.id)}`
  const finished = await poll(
    () => call((o) => client.api(path).version('beta').middlewareOptions(o).get(), entity),
    ctx,
    polling
  )
  const rows: Record<string, unknown>[] = []
  let url: string | undefined = `${path}/records?$top=1000`
  while (url !== undefined) {
    const current: string = url
    const page = await call(
      (o) => client.api(current).version('beta').middlewareOptions(o).get(),
      (body) => {
        const page = odataPage(body)
        if (!page)
          throw new AuditRunError('SOURCE_UNAVAILABLE', `${host} sent a records page without value`)
        return page
      }
    )
    rows.push(...page.value)
    if (page.nextLink === current) {
      throw new AuditRunError('SOURCE_UNAVAILABLE', `${host} sent a page that links to itself`)
    }
    url = page.nextLink
  }
  // A query can succeed after hitting its record cap; only this flag says so (6.3).
  return { rows, truncated: finished.isRecordCountLimitExceeded === true }
}

async function poll<T extends { status?: unknown }>(
  read: () => Promise<T>,
  ctx: LiveContext,
  polling: AuditLogPolling
): Promise<T> {
  const started = ctx.now()
  let wait = polling.firstPollMs
  for (;;) {
    // A query runs for a while before it can have succeeded: wait before each look.
    await pause(wait, ctx)
    wait = Math.min(polling.maxPollMs, Math.ceil(wait * 1.5))
    const query = await read()
    const status = String(query.status ?? '').toLowerCase()
    if (status === 'succeeded') return query
    if (status !== 'notstarted' && status !== 'running' && status !== '') {
      throw new AuditRunError(
        'SOURCE_UNAVAILABLE',
        `the audit log query ended with status ${JSON.stringify(String(query.status))}`
      )
    }
    if (ctx.now() - started >= polling.maxWaitMs) {
      throw new AuditRunError(
        'SOURCE_UNAVAILABLE',
        `the audit log query was still ${status} after ${Math.round(polling.maxWaitMs / 60_000)} minutes`
      )
    }
  }
}

async function pause(ms: number, ctx: LiveContext): Promise<void> {
  try {
    if (ctx.signal?.aborted) throw ctx.signal.reason
    await ctx.sleep(ms, ctx.signal)
  } catch (error) {
    if (!ctx.signal?.aborted) throw error
    throw new AuditRunError(
      'DEADLINE_EXCEEDED',
      'Stopped waiting for the audit log query: the audit was cancelled or reached its deadline',
      { cause: ctx.signal.reason }
    )
  }
}

/**
 * `AuditingDisabledTenant`, at the top level or inside `error.message` as a JSON string in an
 * UnknownError envelope (CIPP New-CippAuditLogSearch.ps1, 6.3).
 */
function isAuditingDisabled(body: unknown): boolean {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '')
  return /AuditingDisabledTenant/.test(text)
}

/** `2026-09-02T09:00:00Z`: whole seconds, as CIPP sends them (6.3). */
const isoSeconds = (date: Date) => `${date.toISOString().slice(0, 19)}Z`

/** Search-UnifiedAuditLog returns at most this many per call, 50,000 per session (6.3). */
const SEARCH_PAGE = 5_000
const SEARCH_SESSION_MAX = 50_000

/** Read the log with Search-UnifiedAuditLog, one ReturnLargeSet session. */
export async function searchUnifiedAuditLog(
  exchange: ExchangeAdmin,
  query: AuditLogQuery,
  sessionId: string
): Promise<AuditLogRows> {
  const parameters = {
    StartDate: isoSeconds(query.start),
    EndDate: isoSeconds(query.end),
    Operations: [...query.operations],
    SessionId: sessionId,
    // Never mixed with ReturnNextPreviewPage in one session: that caps it at 10,000 (6.3).
    SessionCommand: 'ReturnLargeSet',
    ResultSize: SEARCH_PAGE,
  }
  const rows: Record<string, unknown>[] = []
  let count: number | undefined
  let highest = 0
  for (let call = 0; call <= SEARCH_SESSION_MAX / SEARCH_PAGE; call++) {
    const page = await exchange.invoke('Search-UnifiedAuditLog', parameters)
    if (page.length === 0) break
    rows.push(...page)
    for (const row of page) {
      const index = Number(row.ResultIndex)
      const total = Number(row.ResultCount)
      if (Number.isFinite(index)) highest = Math.max(highest, index)
      if (Number.isFinite(total) && total > 0) count = total
    }
    // ResultIndex reaching ResultCount saves the call that would come back empty.
    if (count !== undefined && highest >= count) break
    if (page.length < SEARCH_PAGE) break
  }
  const truncated = rows.length >= SEARCH_SESSION_MAX || (count ?? 0) > SEARCH_SESSION_MAX
  return { rows, truncated }
}
