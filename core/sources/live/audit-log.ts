/**
 * @module sources/live/audit-log
 * A live audit's one read of the unified audit log, for the request's window: the Graph audit
 * log query first, `Search-UnifiedAuditLog` when Graph refuses (no AuditLogsQuery permission,
 * or an endpoint without the API), and when neither works a log marked unread with one message
 * that names both fixes. It never throws: provenance dates findings, it does not find them.
 */
import { isAuditError, toAuditError } from '../../errors/errors.ts'
import {
  AUDIT_QUERY_FIX,
  AuditingDisabledError,
  type AuditLogPolling,
  type AuditLogQuery,
  type AuditLogRows,
  DEFAULT_POLLING,
  graphAuditLog,
  searchUnifiedAuditLog,
} from '../../m365/audit-log.ts'
import type { ExchangeAdmin, LiveContext, TokenProvider } from '../../m365/types.ts'
import type { AuditLog } from '../../model/tenant.ts'
import { readAuditRecords, unreadableRecordsNote } from '../../normalize/audit-record.ts'
import { FORWARDING_OPERATIONS } from '../../provenance/operations.ts'

export interface AuditLogReaderOptions {
  graphEndpoint: string
  tokens: TokenProvider
  exchange: ExchangeAdmin
  context: LiveContext
  polling?: AuditLogPolling
}

const ROLE_FIX =
  'or, for Search-UnifiedAuditLog, assign the app an Exchange role group that holds the View-Only Audit Logs role'

/** The log as read, its records still in the wire shape (what a snapshot export keeps). */
export type RawAuditLog = Omit<AuditLog, 'records'> & { rows: Record<string, unknown>[] }

/** Read `days` of the log up to now, normalized; `days` 0 reads nothing. */
export async function readLiveAuditLog(
  options: AuditLogReaderOptions,
  days: number
): Promise<AuditLog> {
  const { rows, ...log } = await readLiveAuditRows(options, days)
  const { records, unreadable } = readAuditRecords(rows)
  const unread = unreadableRecordsNote(unreadable)
  return { ...log, records, ...(unread ? { notes: [...log.notes, unread] } : {}) }
}

/** Read `days` of the log up to now, as the API returned it. */
export async function readLiveAuditRows(
  options: AuditLogReaderOptions,
  days: number
): Promise<RawAuditLog> {
  const { context: ctx } = options
  if (days <= 0) return { read: false, rows: [], notes: ['not read: audit_log_days is 0'] }
  const end = new Date(ctx.now())
  const query: AuditLogQuery = {
    start: new Date(end.getTime() - days * 86_400_000),
    end,
    operations: FORWARDING_OPERATIONS,
  }
  const window = { start: query.start.toISOString(), end: query.end.toISOString() }
  const done = (source: AuditLog['source'], rows: AuditLogRows, notes: string[]): RawAuditLog => ({
    read: true,
    source,
    ...window,
    rows: rows.rows,
    notes: rows.truncated
      ? [
          ...notes,
          `the log held more records than one read returns: older ones may be missing; narrow audit_log_days`,
        ]
      : notes,
    ...(rows.truncated ? { truncated: true } : {}),
  })

  let graphRefusal: string
  try {
    const graph = { endpoint: options.graphEndpoint, tokens: options.tokens, context: ctx }
    return done(
      'graph-audit-query',
      await graphAuditLog(graph, query, options.polling ?? DEFAULT_POLLING),
      []
    )
  } catch (error) {
    if (error instanceof AuditingDisabledError) return unread(error.message, window)
    if (isAuditError(error) && error.code === 'DEADLINE_EXCEEDED')
      return unread(error.message, window)
    graphRefusal = toAuditError(error).message
  }
  try {
    const sessionId = `forwarding-audit-${ctx.now().toString(36)}-${Math.floor(ctx.random() * 1e9).toString(36)}`
    const rows = await searchUnifiedAuditLog(options.exchange, query, sessionId)
    return done('search-unifiedauditlog', rows, [
      `read with Search-UnifiedAuditLog: the Graph audit log query was refused (${graphRefusal})`,
    ])
  } catch (error) {
    const reason = toAuditError(error)
    if (reason.code === 'PERMISSION_DENIED') {
      return unread(
        `the app may not read the audit log, so findings are undated: ${AUDIT_QUERY_FIX}, ${ROLE_FIX}`,
        window
      )
    }
    return unread(
      `neither the Graph audit log query (${graphRefusal}) nor Search-UnifiedAuditLog (${reason.message}) answered`,
      window
    )
  }
}

function unread(note: string, window: { start: string; end: string }): RawAuditLog {
  return { read: false, ...window, rows: [], notes: [note] }
}
