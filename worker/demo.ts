/**
 * @module worker/demo
 * The bundled demo tenant (demo/contoso-tenant.json), loaded on first use: a deployment with
 * live credentials never parses it, and the Cloudflare bundle carries it as a module of its own.
 */
import type { TenantSnapshot } from '../core/index.ts'

/** The demo tenant's snapshot. */
export async function loadDemoTenant(): Promise<TenantSnapshot> {
  const module = await import('../demo/contoso-tenant.json', { with: { type: 'json' } })
  return module.default as unknown as TenantSnapshot
}
