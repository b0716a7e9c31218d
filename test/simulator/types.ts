/**
 * @module test/simulator/types
 * The simulator's public option and handle types, kept apart from index.ts so internal modules
 * can import them without a cycle.
 */
import type { TenantSnapshot } from '../../core/sources/snapshot/schema.ts'
import type { AuditLogOptions } from './audit-records.ts'
import type { RequestLog } from './request-log.ts'

export type FaultKind = '429' | '503' | 'drop' | 'truncate'

export interface FaultOptions {
  /** Probability (0..1) that a call fails. */
  rate: number
  /** Kinds drawn uniformly; default all four. */
  kinds?: FaultKind[]
  /** Retry-After on injected 429/503, in seconds; decimals like real Graph (default 0.05). */
  retryAfterSeconds?: number
  /** PRNG seed so a run is reproducible (default 1). */
  seed?: number
  /** Also fail individual $batch items (429/503 kinds only: an item has no socket to drop). */
  batchItems?: boolean
  /** Also fail token requests (default: the token endpoint is exempt). */
  includeToken?: boolean
}

export interface LimitOptions {
  /** Outlook's per app+mailbox concurrency limit (docs/microsoft-apis.md §4.1); default 4. */
  perMailboxConcurrency?: number
  /** Concurrent Graph operations (requests and batch items) for the app; default unlimited. */
  graphConcurrency?: number
  /** Concurrent Exchange cmdlet executions for the app; default unlimited. */
  exchangeConcurrency?: number
  /** Retry-After (seconds) on limit-triggered 429s; default 0.05. */
  retryAfterSeconds?: number
}

export interface FederatedIssuer {
  issuer: string
  jwks: { keys: object[] }
  /** When set, the assertion's `sub` must equal it (a federated identity credential's subject). */
  subject?: string
}

export interface AppOptions {
  clientId?: string
  clientSecret?: string
  /** The app's registered certificate (PEM), for client assertions signed with its key. */
  certificatePem?: string
  federatedIssuer?: FederatedIssuer
  /** Graph application roles in the token (default User.Read.All, MailboxSettings.Read, Domain.Read.All, AuditLogsQuery.Read.All). */
  graphRoles?: string[]
  /** Whether Exchange tokens carry Exchange.ManageAsApp (default true). */
  exchangeManageAsApp?: boolean
  /** Cmdlets the app's directory role does not allow: 403 with a NUL body (docs/microsoft-apis.md §5.4). */
  deniedCmdlets?: string[]
}

export interface SimulatorOptions {
  tenant: TenantSnapshot
  /** CA that signs the servers' leaf certificate; tests get it from FA_TEST_CA_CERT / FA_TEST_CA_KEY. */
  ca: { certPem: string; keyPem: string }
  /** Service time added to every call and every batch item (default 0). */
  latencyMs?: number
  /** Extra service time per Exchange cmdlet execution, e.g. `{ 'Get-InboxRule': 1000 }`. */
  cmdletLatencyMs?: Partial<Record<string, number>>
  faults?: FaultOptions
  limits?: LimitOptions
  /** How the unified audit log answers (its records come from the snapshot's auditRecords). */
  auditLog?: AuditLogOptions
  app?: AppOptions
  /** Access token lifetime in seconds (default 3600). */
  tokenLifetimeSeconds?: number
  /** Clock in epoch ms for token issue/expiry (default Date.now); lets tests expire tokens. */
  now?: () => number
}

export interface Simulator {
  /** Token endpoint at `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
  authorityHost: string
  /** Graph at `{graphEndpoint}/v1.0/...`; token scope `{graphEndpoint}/.default`. */
  graphEndpoint: string
  /** Exchange at `{exchangeEndpoint}/adminapi/beta/{tenantId}/InvokeCommand` and `/$batch`. */
  exchangeEndpoint: string
  tenantId: string
  clientId: string
  clientSecret: string
  /** Live counters; reset in place by resetRequests(). */
  requests: RequestLog
  resetRequests(): void
  close(): Promise<void>
}
