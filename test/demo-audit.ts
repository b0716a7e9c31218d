/**
 * @module test/demo-audit
 * The bundled demo tenant audited the one way the tests audit it: every source on, freemail
 * flagged, its reviewed allowlist, and a fixed clock two days after the capture. The golden test,
 * the report-format fixtures and the factor-weight test all go through here, so they judge the
 * same report.
 */
import { readFileSync } from 'node:fs'
import { type AuditReport, parseAllowlist, runAudit, snapshotSource } from '../core/index.ts'

/** The request the golden findings were reviewed with. */
export const DEMO_REQUEST = { all_users: true, include_transport_rules: true, flag_freemail: true }

/** The demo snapshot as a file gives it. */
export const demoTenant = () => JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))

/** Audit the demo tenant with `request`, on the fixed clock, with or without its allowlist. */
export function auditDemo(
  request: Record<string, unknown> = DEMO_REQUEST,
  { withAllowlist = true } = {}
): Promise<AuditReport> {
  const allowlist = parseAllowlist(JSON.parse(readFileSync('demo/allowlist.json', 'utf8')))
  return runAudit(request, snapshotSource(demoTenant()), {
    now: () => new Date('2026-11-22T12:00:00Z'),
    ...(withAllowlist ? { allowlist } : {}),
  })
}
