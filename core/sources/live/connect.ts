/**
 * @module sources/live/connect
 * Wires the live pieces together: one token provider for both APIs, the Exchange admin and
 * Graph clients, the reader, and the TenantSource the engine audits.
 */
import type { AuditLogPolling } from '../../m365/audit-log.ts'
import { liveContext } from '../../m365/context.ts'
import { exchangeAdmin } from '../../m365/exchange-admin.ts'
import { graphApi } from '../../m365/graph.ts'
import { budgetedFetch, type RequestBudget } from '../../m365/request-budget.ts'
import { tokenProvider } from '../../m365/tokens.ts'
import type { ExchangeAdmin, GraphApi, LiveContext, TokenProvider } from '../../m365/types.ts'
import type { AuditLog } from '../../model/tenant.ts'
import type { TenantSource } from '../source.ts'
import { type RawAuditLog, readLiveAuditLog, readLiveAuditRows } from './audit-log.ts'
import { type AuditingRead, readAuditingData } from './auditing.ts'
import { type LiveReader, liveReader } from './reader.ts'
import type { LiveSettings } from './settings.ts'
import { liveSource } from './source.ts'

/** A connection to one tenant: the source to audit, and the clients for export and checks. */
export interface LiveConnection {
  source: TenantSource
  reader: LiveReader
  settings: LiveSettings
  tokens: TokenProvider
  exchange: ExchangeAdmin
  graph: GraphApi
  context: LiveContext
  /** The requests sent and the cap, when the context set `requestBudget`. */
  budget?: RequestBudget
  /** `days` of the unified audit log up to now; never rejects (`read: false` says why). */
  auditLog(days: number): Promise<AuditLog>
  /** The same, with records in their wire shape, for a snapshot export. */
  auditLogRows(days: number): Promise<RawAuditLog>
  /** Get-AdminAuditLogConfig, Get-OrganizationConfig, Get-MailboxAuditBypassAssociation. */
  auditing(): Promise<AuditingRead>
}

export interface ConnectOptions {
  /** How to poll a Graph audit log query (tests poll fast). */
  auditLogPolling?: AuditLogPolling
}

/**
 * Connect to a tenant with app-only credentials. Nothing is fetched until something reads.
 * @example
 * const { source } = connectLive(settings, liveContext({ signal: AbortSignal.timeout(120_000) }))
 * const report = await runAudit({ all_users: true }, source)
 */
export function connectLive(
  settings: LiveSettings,
  given: LiveContext = liveContext(),
  options: ConnectOptions = {}
): LiveConnection {
  const { credential, endpoints, names } = settings
  // Every token, Graph and Exchange request goes through context.fetch: counted there.
  const counted =
    given.requestBudget === undefined ? undefined : budgetedFetch(given.fetch, given.requestBudget)
  const context = counted ? { ...given, fetch: counted.fetch } : given
  const budget = counted?.budget
  const tokens = tokenProvider(credential, { authority: endpoints.authority, context, names })
  const exchange = exchangeAdmin({
    endpoint: endpoints.exchange,
    tenantId: credential.tenantId,
    tokens,
    context,
  })
  const graph = graphApi({ endpoint: endpoints.graph, tokens, context })
  const reader = liveReader({ tenantId: credential.tenantId, exchange, graph, now: context.now })
  const logOptions = {
    graphEndpoint: endpoints.graph,
    tokens,
    exchange,
    context,
    ...(options.auditLogPolling ? { polling: options.auditLogPolling } : {}),
  }
  const auditLog = (days: number) => readLiveAuditLog(logOptions, days)
  const auditLogRows = (days: number) => readLiveAuditRows(logOptions, days)
  const auditing = () => readAuditingData(exchange)
  const source = liveSource(reader, { auditLog, auditing, ...(budget ? { budget } : {}) })
  return {
    source,
    reader,
    settings,
    tokens,
    exchange,
    graph,
    context,
    auditLog,
    auditLogRows,
    auditing,
    ...(budget ? { budget } : {}),
  }
}
