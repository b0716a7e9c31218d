/**
 * @module forwarding-audit/core
 * The platform-neutral engine. Adapters (CLI, worker, action) call `runAudit` with a source
 * and render the report with `formatReport`.
 */
export { applyAllowlist, parseAllowlist } from './allowlist/apply.ts'
export type { Allowlist, AllowlistEntry } from './allowlist/schema.ts'
export { type AuditDependencies, type AuditProgress, runAudit } from './audit/run-audit.ts'
export * from './errors.ts'
export type * from './report/model.ts'
export { RISK_LEVELS } from './report/model.ts'
export { parseAuditRequest } from './request/parse.ts'
export {
  AUDIT_REQUEST_FIELDS,
  type AuditRequest,
  type AuditRequestInput,
  auditRequestSchema,
} from './request/schema.ts'
export { RISK_TABLE, type RiskCategory } from './risk/risk-table.ts'
export { atLeast, riskLevel, riskScore } from './risk/score.ts'
export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type TenantSnapshot,
  tenantSnapshot,
} from './sources/snapshot/schema.ts'
export { parseSnapshot, snapshotSource } from './sources/snapshot/source.ts'
export {
  type MailboxScope,
  mailboxScope,
  type SourceOptions,
  type TenantSource,
} from './sources/source.ts'
