/**
 * @module sources/live/connect
 * Wires the live pieces together: one token provider for both APIs, the Exchange admin and
 * Graph clients, the reader, and the TenantSource the engine audits.
 */
import { liveContext } from '../../m365/context.ts'
import { exchangeAdmin } from '../../m365/exchange-admin.ts'
import { graphApi } from '../../m365/graph.ts'
import { budgetedFetch, type RequestBudget } from '../../m365/request-budget.ts'
import { tokenProvider } from '../../m365/tokens.ts'
import type { ExchangeAdmin, GraphApi, LiveContext, TokenProvider } from '../../m365/types.ts'
import type { TenantSource } from '../source.ts'
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
}

/**
 * Connect to a tenant with app-only credentials. Nothing is fetched until something reads.
 * @example
 * const { source } = connectLive(settings, liveContext({ signal: AbortSignal.timeout(120_000) }))
 * const report = await runAudit({ all_users: true }, source)
 */
export function connectLive(
  settings: LiveSettings,
  given: LiveContext = liveContext()
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
  return {
    source: liveSource(reader, budget),
    reader,
    settings,
    tokens,
    exchange,
    graph,
    context,
    ...(budget ? { budget } : {}),
  }
}
