/**
 * @module forwarding-audit
 * The public API: the one door every adapter (CLI, worker, action) uses. It is runtime-neutral:
 * web-standard APIs only, with `fetch`, the clock and timers injected through a LiveContext.
 *
 * @example
 * import { formatReport, parseSnapshotBytes, runAudit, snapshotSource } from 'forwarding-audit'
 * const source = snapshotSource(parseSnapshotBytes(bytes))
 * const report = await runAudit({ all_users: true }, source)
 * console.log(formatReport(report, 'table'))
 */

// Reviewed exceptions
export { type AllowlistEntryCheck, checkAllowlist, parseAllowlist } from './allowlist/apply.ts'
export type { Allowlist, AllowlistEntry } from './allowlist/schema.ts'
export { changedFindings, failingFindings } from './audit/gate.ts'
// Running an audit
export { type AuditDependencies, type AuditProgress, runAudit } from './audit/run-audit.ts'
// Comparing with a baseline, and what a pull-request gate writes (job summary, annotations)
export {
  type BaselineAudit,
  type BaselineOrigin,
  compareWithBaseline,
} from './baseline/compare.ts'
export {
  applyBaseline,
  auditWithBaseline,
  type BaselineDocument,
  parseBaseline,
} from './baseline/document.ts'
export {
  ERROR_STATUS,
  type ErrorStatus,
  EXIT_STATUS,
  errorStatus,
} from './errors/error-status.ts'
// Errors: one hierarchy, stable codes, and what each code means to an adapter
export * from './errors/errors.ts'
export {
  checkInputSize,
  DEFAULT_INPUT_LIMITS,
  decodeText,
  type InputLimits,
} from './lib/bytes.ts'
export type { AuditLogPolling } from './m365/audit-log.ts'
export { CLOUDS, type CloudName, isCloudName } from './m365/clouds.ts'
export { abortableSleep, DEFAULT_RETRY, liveContext } from './m365/context.ts'
// Planning a live audit against a runtime's cap on outgoing requests
export type { RequestBudget } from './m365/request-budget.ts'
export { AZURE_SETTING_NAMES, type SettingNames } from './m365/setting-names.ts'
export type { CloudEndpoints, Credential, LiveContext, RetryPolicy } from './m365/types.ts'
// The report and its formats
export type * from './model/findings.ts'
export {
  FINDING_TYPES,
  isSkipCode,
  RISK_LEVELS,
  SKIP_CODES,
  UNDATED_CODES,
} from './model/findings.ts'
export { formatAllowlistCheck } from './report/formats/allowlist-check.ts'
export {
  type Annotation,
  type AnnotationOptions,
  gateAnnotations,
  MAX_ANNOTATIONS_PER_LEVEL,
} from './report/formats/annotations.ts'
export {
  type FormatOptions,
  formatReport,
  isOutputFormat,
  OUTPUT_FORMATS,
  type OutputFormat,
} from './report/formats/index.ts'
export {
  formatJobSummary,
  JOB_SUMMARY_MAX_BYTES,
  type JobSummaryOptions,
} from './report/formats/job-summary.ts'
export { SARIF_MAX_RESULTS, type SarifLocation } from './report/formats/sarif.ts'
export { formatStatus } from './report/formats/status.ts'
export { compareFindings, sortFindings } from './report/order.ts'
export type { FieldNamer } from './request/field-names.ts'
export type { RequestLimits } from './request/limits.ts'
export type { ParseOptions } from './request/parse.ts'
// The request: the seed API's body, its defaults and an adapter's tighter caps
export { parseAuditRequest, parseRequestBody } from './request/parse.ts'
export {
  AUDIT_REQUEST_FIELDS,
  type AuditRequest,
  type AuditRequestInput,
  auditRequestSchema,
  HIDDEN_SWEEP_MODES,
  type HiddenSweepMode,
} from './request/schema.ts'
export { parseUserList } from './request/user-list.ts'
export { RISK_TABLE, type RiskCategory } from './risk/risk-table.ts'
export { atLeast, riskLevel, riskScore } from './risk/score.ts'
// Where tenant data comes from: an audit-log export (`forwarding-audit events FILE`)
export {
  type AuditExport,
  type AuditExportFormat,
  parseAuditExport,
} from './sources/audit-log/export-file.ts'
export { type AuditLogSourceOptions, auditLogSource } from './sources/audit-log/source.ts'
export {
  type ConnectionStatus,
  checkConnection,
  type PermissionCheck,
} from './sources/live/check.ts'
export { type ConnectOptions, connectLive, type LiveConnection } from './sources/live/connect.ts'
export { type ExportOptions, exportSnapshot, type SnapshotExport } from './sources/live/export.ts'
export {
  liveRequestPlan,
  type PlanOptions,
  type RequestPlan,
  requestPlanError,
} from './sources/live/plan.ts'
export {
  type LiveSettings,
  type LiveSettingValues,
  liveSettings,
} from './sources/live/settings.ts'
export { canonicalSnapshot, sameTenantSnapshot } from './sources/snapshot/canonical.ts'
export { type SnapshotLocator, snapshotLocator } from './sources/snapshot/locate.ts'
export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type TenantSnapshot,
  tenantSnapshot,
} from './sources/snapshot/schema.ts'
export { parseSnapshot, parseSnapshotBytes, snapshotSource } from './sources/snapshot/source.ts'
// Where tenant data comes from: a snapshot file, or the live tenant
export {
  type MailboxScope,
  mailboxScope,
  type SourceOptions,
  type SweepBaseline,
  sourceOptions,
  type TenantSource,
} from './sources/source.ts'
