/**
 * @module worker/routes/status
 * `GET /api/v1/bec/status`: the seed's "verify your connection before auditing". Core's
 * connection check (the one `forwarding-audit status` runs) acquires the Graph and Exchange
 * tokens and probes each permission and role the audit needs, and says what to grant for each
 * that is missing. It costs no credits. In multi-tenant mode it checks the caller's tenant.
 */
import type { Context } from 'hono'
import type { ConnectionStatus } from '../../core/index.ts'
import type { AppDependencies, AppEnv } from '../app.ts'
import { tenantFor } from '../auth/tenant.ts'

/** The response: core's ConnectionStatus, and whether it is a live tenant or the demo. */
export interface StatusResponse {
  data: ConnectionStatus & { mode: 'live' | 'demo' }
  meta: { credits_used: 0 }
}

const DEMO_STATUS: StatusResponse['data'] = {
  mode: 'demo',
  ok: true,
  tenant: 'demo',
  checks: [
    {
      name: 'Microsoft 365 connection',
      status: 'missing',
      required: false,
      detail: 'no AZURE_* credential is configured: audits read the bundled demo tenant',
      fix: 'set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE) to audit a live tenant (docs/api.md)',
    },
  ],
}

type RouteDependencies = AppDependencies & { budget: number | undefined }

export function statusHandler(deps: RouteDependencies) {
  return async function status(c: Context<AppEnv>): Promise<Response> {
    const tenant = tenantFor(c.get('principal'), deps.config.tenancy)
    const signal = AbortSignal.timeout(deps.config.deadlineMs)
    const checked = await deps.sources.status({ tenant, signal, requestBudget: deps.budget })
    const body: StatusResponse = {
      data: checked ? { mode: 'live', ...checked } : DEMO_STATUS,
      meta: { credits_used: 0 },
    }
    return c.json(body)
  }
}
