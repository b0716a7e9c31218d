/**
 * @module worker/auth/tenant
 * Which tenant a caller may audit. Single-tenant: the configured one, and a token from another
 * tenant is refused. Multi-tenant (one multi-tenant Entra app consented in each customer
 * tenant): the tenant in the caller's verified `tid` claim and nothing else. The request body
 * has no tenant field at all, so a caller can never name another tenant.
 */
import type { Tenancy } from '../config.ts'
import { ApiError } from '../http/errors.ts'
import type { Principal } from './bearer.ts'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a tenant id (a GUID, either case): the form `tid` and ALLOWED_TENANTS use. */
export function isTenantGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value)
}

/** The tenant to audit for this caller: undefined means the configured one; else 403. */
export function tenantFor(principal: Principal, tenancy: Tenancy): string | undefined {
  const tid = principal.tenant
  if (tenancy.mode === 'single') {
    if (tid !== undefined && tenancy.tenantId !== undefined && tid !== tenancy.tenantId) {
      throw foreignTenant("the token's tenant (tid) is not the tenant this API audits")
    }
    return undefined
  }
  if (!isTenantGuid(tid)) {
    throw foreignTenant("the token names no tenant (tid): this API audits the caller's own tenant")
  }
  if (tenancy.allowed && !tenancy.allowed.includes(tid)) {
    throw foreignTenant(`tenant ${tid} is not served by this API: ask its operator to add it`)
  }
  return tid
}

function foreignTenant(message: string): ApiError {
  return new ApiError('FORBIDDEN', message)
}
