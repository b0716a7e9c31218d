/**
 * @module test/simulator
 * A Microsoft 365 simulator for tests and the benchmark: Entra's token endpoint, Microsoft Graph
 * and the Exchange Online admin API, each on its own HTTPS port, answering from a tenant snapshot
 * with the real wire shapes, limits and failure modes (docs/microsoft-apis.md).
 *
 * ```ts
 * const sim = await startSimulator({ tenant, ca: testCaFromEnv() })
 * // token: POST {sim.authorityHost}/{sim.tenantId}/oauth2/v2.0/token, scope `${sim.graphEndpoint}/.default`
 * await sim.close()
 * ```
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { AuditLogState } from './audit-log.ts'
import { issueServerCert } from './ca.ts'
import type { SimContext } from './context.ts'
import { handleExchange } from './exchange.ts'
import { exoFault } from './exchange-errors.ts'
import { FaultPlan, seededRandom } from './faults.ts'
import { handleGraph } from './graph.ts'
import { graphFault } from './graph-errors.ts'
import { Gauge, KeyedGauge } from './limits.ts'
import { RequestRecorder } from './request-log.ts'
import { type ApiServer, startApiServer } from './server.ts'
import { TenantView } from './tenant.ts'
import { handleToken, tokenFault } from './token-endpoint.ts'
import { TokenService } from './tokens.ts'
import type { Simulator, SimulatorOptions } from './types.ts'

export { createTestCa, type TestCa } from './ca.ts'
export type { RequestLog } from './request-log.ts'
export type * from './types.ts'

const DEFAULT_GRAPH_ROLES = [
  'User.Read.All',
  'MailboxSettings.Read',
  'Domain.Read.All',
  'AuditLogsQuery.Read.All',
]

/** The CA test/global-setup.ts made, from FA_TEST_CA_CERT / FA_TEST_CA_KEY. */
export function testCaFromEnv(): { certPem: string; keyPem: string } {
  const certPath = process.env.FA_TEST_CA_CERT
  const keyPath = process.env.FA_TEST_CA_KEY
  if (!certPath || !keyPath) {
    throw new Error(
      'FA_TEST_CA_CERT / FA_TEST_CA_KEY are not set: run through vitest (test/global-setup.ts)'
    )
  }
  return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') }
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const now = options.now ?? Date.now
  const tenant = new TenantView(options.tenant)
  const app = options.app ?? {}
  const seed = options.faults?.seed ?? 1
  const recorder = new RequestRecorder()
  const faults = new FaultPlan(options.faults)
  const limits = options.limits ?? {}
  const ctx: SimContext = {
    tenant,
    tokens: await TokenService.create(tenant.tenantGuid, options.tokenLifetimeSeconds ?? 3600, now),
    recorder,
    faults,
    shuffleRandom: seededRandom(seed ^ 0x5eed),
    latencyMs: options.latencyMs ?? 0,
    cmdletLatencyMs: options.cmdletLatencyMs ?? {},
    limitRetryAfter: String(limits.retryAfterSeconds ?? 0.05),
    graphGauge: new Gauge(limits.graphConcurrency),
    mailboxGauge: new KeyedGauge(limits.perMailboxConcurrency ?? 4),
    exchangeGauge: new Gauge(limits.exchangeConcurrency),
    app: {
      clientId: app.clientId ?? randomUUID(),
      clientSecret: app.clientSecret ?? `sim~${randomBytes(18).toString('base64url')}`,
      ...(app.certificatePem ? { certificatePem: app.certificatePem } : {}),
      ...(app.federatedIssuer ? { federatedIssuer: app.federatedIssuer } : {}),
      graphRoles: app.graphRoles ?? DEFAULT_GRAPH_ROLES,
      exchangeManageAsApp: app.exchangeManageAsApp ?? true,
      deniedCmdlets: new Set((app.deniedCmdlets ?? []).map((name) => name.toLowerCase())),
    },
    auditLog: new AuditLogState(options.auditLog),
    endpoints: { authority: '', graph: '', exchange: '' },
    now,
  }
  const tls = await issueServerCert(options.ca)
  const common = { tls, recorder, faults }
  const servers: ApiServer[] = []
  try {
    const token = await startApiServer({
      ...common,
      api: 'token',
      handle: (req) => handleToken(ctx, req),
      faultResponse: (fault) =>
        tokenFault(ctx, fault.kind === '429' ? '429' : '503', fault.retryAfter),
    })
    servers.push(token)
    const graph = await startApiServer({
      ...common,
      api: 'graph',
      handle: (req) => handleGraph(ctx, req),
      faultResponse: (fault) => graphFault(ctx, fault),
    })
    servers.push(graph)
    const exchange = await startApiServer({
      ...common,
      api: 'exchange',
      handle: (req) => handleExchange(ctx, req),
      faultResponse: (fault) => exoFault(fault),
    })
    servers.push(exchange)
    ctx.endpoints = { authority: token.origin, graph: graph.origin, exchange: exchange.origin }
  } catch (error) {
    await Promise.all(servers.map((server) => server.close()))
    throw error
  }
  return {
    authorityHost: ctx.endpoints.authority,
    graphEndpoint: ctx.endpoints.graph,
    exchangeEndpoint: ctx.endpoints.exchange,
    tenantId: tenant.tenantGuid,
    clientId: ctx.app.clientId,
    clientSecret: ctx.app.clientSecret,
    requests: recorder.log,
    resetRequests: () => recorder.reset(),
    close: async () => {
      await Promise.all(servers.map((server) => server.close()))
    },
  }
}
