/**
 * @module model/findings
 * The audit's output: findings, the summary and the seed API's envelope
 * `{ data: { findings, summary }, meta }`. Field names follow the seed API (snake_case).
 */

/** Every kind of forwarding the audit reports, in the order reports list kinds. */
export const FINDING_TYPES = [
  'inbox_rule',
  'smtp_forwarding',
  'transport_rule',
  'journal_rule',
] as const

export type FindingType = (typeof FINDING_TYPES)[number]
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical'
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical']

export interface RiskFactor {
  category: string
  description: string
  score: number
}

/** One unified audit log record about the forwarding: who, when, from where, with what. */
export interface Provenance {
  source: 'audit_log'
  /** The record's `Id`, to find it again in the log. */
  record_id: string
  operation: string
  time: string
  actor?: string
  /** `user`, `admin`, `service` (Microsoft's own) or `application`; an owner's OWA change is `user`. */
  actor_type: 'user' | 'admin' | 'service' | 'application'
  client_ip?: string
  /** Client application or user agent as the record names it. */
  client_app?: string
}

/** Why a finding has no `created_at`: a closed set, so a report can be filtered on it. */
export const UNDATED_CODES = [
  /** The audit log was not read (no permission, a snapshot without records, a failed query). */
  'AUDIT_LOG_NOT_READ',
  /** The tenant does not log this mailbox's changes (ingestion off, mailbox auditing off, bypass). */
  'AUDITING_OFF',
  /** No creation in the window read: made earlier, past retention, or its record not in yet. */
  'BEFORE_WINDOW',
  /** The log's last change set another value: the current one was made without a record. */
  'UNRECORDED_CHANGE',
] as const

export type UndatedCode = (typeof UNDATED_CODES)[number]

/** The tenant's own controls applied to this finding's destination. */
export interface TenantPolicyVerdict {
  /**
   * True when the outbound spam policy or remote domain would stop this external auto-forward;
   * null when that depends on group membership the audit could not read (nothing is subtracted).
   */
  external_forwarding_blocked: boolean | null
  reason: string
}

export interface Suppression {
  reason: string
  /** Which allowlist entry matched (its index and what it matched on). */
  entry: string
  expires?: string
}

export interface Finding {
  /** Stable fingerprint of tenant + mailbox + rule + destination. */
  id: string
  type: FindingType
  /** UPN of the mailbox; for transport and journal rules, `organization`. */
  user: string
  /** One address or domain per finding. */
  destination: string
  /** True when the destination is outside the tenant's accepted domains. */
  external: boolean
  risk_score: number
  risk_level: RiskLevel
  risk_factors: RiskFactor[]
  is_enabled: boolean
  /** Null for SMTP forwarding. */
  rule_name: string | null
  /** ISO 8601, from the audit log; null when unknown (`undated` says why). */
  created_at: string | null
  /** The latest later change in the audit log (not a disable); null when none. */
  modified_at: string | null
  /** Why `created_at` is null. */
  undated?: { code: UndatedCode; reason: string }
  /** True when `since` was given and this finding's creation time is unknown, so it was kept. */
  created_at_unknown?: boolean
  /** The inbox rule is invisible to Outlook and Graph. */
  hidden: boolean
  /** How the forward is made: `forward`, `redirect`, `forward_as_attachment`, `bcc`, `outbound_connector`, `journal` ... */
  action: string
  /** Readable conditions of the rule ("subject contains 'invoice'"); empty = every message. */
  conditions: string[]
  /**
   * Readable exceptions of the rule ("subject contains 'x'"): mail they match is not forwarded.
   * Absent when the rule has none. They never make a rule narrower in its score
   * (docs/risk-scoring.md, "Conditions that do not narrow a rule").
   */
  exceptions?: string[]
  /** Readable actions of the rule. */
  actions: string[]
  /** SMTP forwarding only: the mailbox keeps its own copy (DeliverToMailboxAndForward). */
  delivers_copy?: boolean
  provenance?: Provenance[]
  tenant_policy?: TenantPolicyVerdict
  suppressed?: Suppression
  /** Set when the audit was compared with a baseline: how this finding changed since it. */
  baseline?: BaselineStatus
  /** The finding's level in the baseline, when it was there (`raised`, `lowered`, `unchanged`). */
  baseline_risk_level?: RiskLevel
}

/** Why a mailbox in scope was not read: a closed set, so a report can be filtered on it. */
export const SKIP_CODES = [
  /** No mailbox with this address in the tenant or snapshot. */
  'MAILBOX_NOT_FOUND',
  /** The app may not read it (an application access policy excludes it). */
  'ACCESS_DENIED',
  /** It exists but cannot be read this way (on-premises, inactive, not enabled for REST). */
  'MAILBOX_UNAVAILABLE',
  /** Microsoft 365 kept throttling reads of it. */
  'THROTTLED',
  /** Not read before the deadline. */
  'DEADLINE_EXCEEDED',
  /** Any other failure; the reason says what the service answered. */
  'READ_FAILED',
] as const

export type SkipCode = (typeof SKIP_CODES)[number]

/** True when `value` is one of SKIP_CODES. */
export function isSkipCode(value: unknown): value is SkipCode {
  return (SKIP_CODES as readonly unknown[]).includes(value)
}

/** The request's filters, in the order runAudit applies them (audit/filters.ts). */
export type FilterName = 'since' | 'risk_threshold' | 'external_only'

export interface SkippedMailbox {
  mailbox: string
  code: SkipCode
  reason: string
}

/** What the unified audit log gave this audit, and what the tenant does not log. */
export interface AuditLogSummary {
  /** False when nothing was read: findings are undated (`undated.code` AUDIT_LOG_NOT_READ). */
  read: boolean
  /** `graph-audit-query`, `search-unifiedauditlog` or `snapshot`. */
  source?: string
  /** The window read (ISO 8601). */
  start?: string
  end?: string
  /** Forwarding-related records read, duplicates removed. */
  records: number
  /** Why it was not read, which fallback was taken, a cap that was hit. */
  notes: string[]
  /** What the tenant does not log: unified ingestion off, mailbox auditing off, audit bypass. */
  auditing: string[]
  /** Mailboxes with a finding whose changes may not reach the log, and why. */
  unaudited_mailboxes: { mailbox: string; reason: string }[]
}

/** Which mailboxes `Get-InboxRule -IncludeHidden` read, and why (live audits). */
export interface HiddenSweepSummary {
  /** The mode that ran: `changed` falls back to `all` when the audit log cannot be read. */
  mode: 'all' | 'changed' | 'off'
  requested: 'all' | 'changed' | 'off'
  swept: number
  /** In `changed` mode: each mailbox swept and why. */
  swept_mailboxes?: { mailbox: string; reason: string }[]
  /** Mailboxes whose hidden rules came from the baseline snapshot instead. */
  from_baseline: number
  /** Mailboxes whose hidden rules nobody read: only Graph's visible rules are known. */
  not_swept: number
  note?: string
}

export interface Summary {
  tenant: string
  mailboxes_requested: number | 'all'
  mailboxes_scanned: number
  mailboxes_skipped: number
  skipped: SkippedMailbox[]
  /** Counts of reported (not suppressed) findings. */
  by_type: Record<string, number>
  by_level: Record<RiskLevel, number>
  suppressed: number
  /** Findings removed by `since`, `risk_threshold` or `external_only`. */
  filtered_out: number
  /**
   * How many each filter removed, in the order they run (since, risk_threshold, external_only):
   * a finding counts against the first filter that removes it. The allowlist runs after them.
   */
  filtered_out_by: Record<FilterName, number>
  sources: string[]
  started_at: string
  duration_ms: number
  complete: boolean
  /** Why the audit is incomplete, one line per reason. */
  incomplete_reasons: string[]
  /** Settings the audit ran with, so a report explains itself. */
  request: Record<string, unknown>
  /** Expired allowlist entries that no longer suppress anything. */
  expired_allowlist_entries: string[]
  /** Set when the audit was compared with a baseline (the CLI's `--baseline`). */
  baseline?: BaselineSummary
  /** Allowlist entries that matched no finding of this report (present when one was given). */
  unmatched_allowlist_entries?: string[]
  /**
   * What the audit did not look at although the data held it, and how to include it (transport
   * rules without include_transport_rules). Gaps in what was asked go to incomplete_reasons.
   */
  coverage?: string[]
  audit_log: AuditLogSummary
  /** Live audits only. */
  hidden_sweep?: HiddenSweepSummary
}

export interface ReportMeta {
  /** The tenant audited; `demo` for the bundled demo tenant, so nobody mistakes it for theirs. */
  tenant: string
  total_findings: number
  by_type: Record<string, number>
  critical: number
  high: number
  medium: number
  low: number
}

/** The seed API's documented envelope. */
export interface AuditReport {
  data: { findings: Finding[]; summary: Summary }
  meta: ReportMeta
}

/**
 * A finding against the baseline, matched by its stable id: `new` (not in the baseline, or
 * suppressed there and reported now), `raised` (a higher risk level), `unchanged`, `lowered`.
 * Findings of the baseline that are no longer found are listed in the summary as gone.
 */
export type BaselineStatus = 'new' | 'raised' | 'unchanged' | 'lowered'

/** A baseline finding this audit no longer finds. */
export interface GoneFinding {
  id: string
  type: FindingType
  user: string
  destination: string
  rule_name: string | null
  risk_level: RiskLevel
}

/** The comparison with the baseline: counts of reported findings by status, and what is gone. */
export interface BaselineSummary {
  /** How the user named the baseline (`--baseline base.json`, the action's `baseline` input). */
  compared_with: string
  /** A previous JSON report, or a snapshot audited with this audit's request. */
  kind: 'report' | 'snapshot'
  new: number
  raised: number
  unchanged: number
  lowered: number
  gone: number
  gone_findings: GoneFinding[]
  /** Why the comparison may mislead (another tenant, another request). */
  warnings: string[]
}
