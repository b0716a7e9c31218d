/**
 * @module worker/tenant-source
 * Where an audit's data comes from: the live tenant through core's Graph and Exchange clients,
 * or, when no AZURE_* credential is configured, the bundled demo tenant (meta.tenant "demo",
 * so nobody mistakes it for theirs). Each request gets its own connection: its deadline, its
 * request budget and, on Cloudflare, I/O that belongs to that request alone.
 */
import {
  type ConnectionStatus,
  checkConnection,
  connectLive,
  type LiveSettingValues,
  liveContext,
  liveSettings,
  snapshotSource,
  type TenantSnapshot,
  type TenantSource,
} from '../core/index.ts'
import { WORKER_SETTING_NAMES } from './config.ts'

/** What one request asks of its source. */
export interface SourceRequest {
  /** The tenant to audit (multi-tenant mode); undefined: the configured one. */
  tenant: string | undefined
  /** The deadline: reaches every Graph and Exchange call. */
  signal: AbortSignal
  /** Microsoft 365 requests this request may send; undefined: no cap. */
  requestBudget: number | undefined
}

export interface TenantSources {
  /** True when audits read a live tenant, false for the demo tenant. */
  readonly live: boolean
  source(request: SourceRequest): Promise<TenantSource>
  /** The connection check of `forwarding-audit status`; undefined for the demo tenant. */
  status(request: SourceRequest): Promise<ConnectionStatus | undefined>
}

/**
 * Sources for the worker: live when `live` holds credentials, else the demo tenant, which is
 * loaded on first use so that a live deployment never parses it.
 */
export function tenantSources(
  live: LiveSettingValues | undefined,
  loadDemo: () => Promise<TenantSnapshot>
): TenantSources {
  if (!live) {
    let demo: Promise<TenantSnapshot> | undefined
    return {
      live: false,
      async source() {
        demo ??= loadDemo()
        return snapshotSource(await demo, { label: 'demo' })
      },
      status: async () => undefined,
    }
  }
  const connect = (request: SourceRequest) => {
    // In multi-tenant mode the tenant is the caller's: messages say so, not AZURE_TENANT_ID.
    const settings = liveSettings(
      { ...live, ...(request.tenant ? { tenantId: request.tenant } : {}) },
      request.tenant
        ? { ...WORKER_SETTING_NAMES, tenantId: "the token's tenant (tid)" }
        : WORKER_SETTING_NAMES
    )
    if (!settings) throw new Error('live settings vanished after they were checked at start')
    return connectLive(
      settings,
      liveContext({
        signal: request.signal,
        ...(request.requestBudget === undefined ? {} : { requestBudget: request.requestBudget }),
      })
    )
  }
  return {
    live: true,
    source: async (request) => connect(request).source,
    status: (request) => checkConnection(connect(request)),
  }
}
