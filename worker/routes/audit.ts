/**
 * @module worker/routes/audit
 * `POST /api/v1/bec/forwarding-audit`: the seed's request body (core's schema, with the edge's
 * tighter caps), one runAudit, the seed's envelope with the caller's credits. The order is the
 * contract: a scope that cannot fit the runtime's request budget is refused (422) before
 * credits are taken; credits are taken (or refused, 402) before any Microsoft 365 call; a
 * failed audit gives them back. The deadline reaches every Graph and Exchange call, and a scan
 * it cuts short answers with what was read (`summary.complete: false`).
 */
import type { Context } from 'hono'
import {
  type AuditReport,
  parseAuditRequest,
  type RequestLimits,
  requestPlanError,
  runAudit,
  sourceOptions,
} from '../../core/index.ts'
import type { AppDependencies, AppEnv } from '../app.ts'
import { tenantFor } from '../auth/tenant.ts'
import { AUDIT_COST, type CreditLedger } from '../credits/ledger.ts'
import { ApiError } from '../http/errors.ts'

/**
 * Caps on the request at the edge, tighter than the schema's: an isolate holds six outgoing
 * connections at once (Cloudflare), and one request lists at most what 64 KiB can carry.
 */
export const EDGE_LIMITS: RequestLimits = { concurrency: 10, batch: 100, users: 1000 }

/** The response: core's envelope, its meta extended with the caller's credits. */
export interface AuditResponse {
  data: AuditReport['data']
  meta: AuditReport['meta'] & { credits_used: number; credits_remaining: number }
}

type RouteDependencies = AppDependencies & { budget: number | undefined }

/** The route's handler; the body arrives parsed (jsonBody) and the caller verified (bearerAuth). */
export function auditHandler(deps: RouteDependencies) {
  return async function audit(c: Context<AppEnv>): Promise<Response> {
    const principal = c.get('principal')
    const tenant = tenantFor(principal, deps.config.tenancy)
    const request = parseAuditRequest(c.get('body'), { limits: EDGE_LIMITS })
    if (deps.sources.live && deps.budget !== undefined) {
      const error = requestPlanError(sourceOptions(request), undefined, deps.budget)
      if (error) throw error
    }
    const ledger = deps.ledgerFor(c.env)
    const charge = await ledger.charge(principal.caller, AUDIT_COST)
    if (!charge.ok) {
      throw new ApiError(
        'CREDITS_EXHAUSTED',
        `an audit costs ${AUDIT_COST} credits and ${charge.remaining} remain: ask the operator for more`,
        { details: { credits_needed: AUDIT_COST, credits_remaining: charge.remaining } }
      )
    }
    let report: AuditReport
    try {
      const signal = AbortSignal.timeout(deps.config.deadlineMs)
      const source = await deps.sources.source({ tenant, signal, requestBudget: deps.budget })
      report = await runAudit(request, source, { signal })
    } catch (error) {
      await refund(ledger, deps, principal.caller, c.get('requestId'))
      throw error
    }
    const body: AuditResponse = {
      data: report.data,
      meta: { ...report.meta, credits_used: AUDIT_COST, credits_remaining: charge.remaining },
    }
    return c.json(body)
  }
}

/** Give the credits back; a refund that fails is logged, and the audit's own error still wins. */
async function refund(
  ledger: CreditLedger,
  deps: RouteDependencies,
  caller: string,
  requestId: string
): Promise<void> {
  try {
    await ledger.refund(caller, AUDIT_COST)
  } catch (error) {
    deps.logger.log('error', 'refund failed', {
      request_id: requestId,
      caller,
      cause: error instanceof Error ? error.message : String(error),
    })
  }
}
