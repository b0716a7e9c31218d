/**
 * @module test/simulator/context
 * Everything one simulator instance shares across its three servers.
 */
import type { AuditLogState } from './audit-log.ts'
import type { FaultPlan } from './faults.ts'
import type { Gauge, KeyedGauge } from './limits.ts'
import type { RequestRecorder } from './request-log.ts'
import type { TenantView } from './tenant.ts'
import type { TokenService } from './tokens.ts'
import type { FederatedIssuer } from './types.ts'

export interface SimContext {
  tenant: TenantView
  tokens: TokenService
  recorder: RequestRecorder
  faults: FaultPlan
  /** Separate PRNG stream for $batch response order, so shuffling does not shift fault draws. */
  shuffleRandom: () => number
  latencyMs: number
  cmdletLatencyMs: Partial<Record<string, number>>
  /** Retry-After (seconds, as sent) on limit-triggered 429s. */
  limitRetryAfter: string
  graphGauge: Gauge
  mailboxGauge: KeyedGauge
  exchangeGauge: Gauge
  app: {
    clientId: string
    clientSecret: string
    certificatePem?: string
    federatedIssuer?: FederatedIssuer
    graphRoles: string[]
    exchangeManageAsApp: boolean
    deniedCmdlets: Set<string>
  }
  /** Graph audit log queries made so far (audit-log.ts). */
  auditLog: AuditLogState
  /** Origins, filled in once the servers listen. */
  endpoints: { authority: string; graph: string; exchange: string }
  now: () => number
}
