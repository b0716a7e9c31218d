/**
 * @module baseline/compare
 * Two audits of one tenant, finding by finding: what a pull request or a change in the admin
 * center introduced (`new`), made worse (`raised`), left alone (`unchanged`), made milder
 * (`lowered`) or removed (gone). Findings are matched by their stable id (lib/fingerprint.ts),
 * which is the same for the same forwarding from any source, so a live audit compares with a
 * snapshot and a report with the next one.
 */

import type {
  AuditReport,
  BaselineStatus,
  BaselineSummary,
  Finding,
  GoneFinding,
  RiskLevel,
} from '../model/findings.ts'
import { RISK_LEVELS } from '../model/findings.ts'
import type { AUDIT_REQUEST_FIELDS } from '../request/schema.ts'

/** What a comparison needs of the baseline audit: a JSON report has it, and so does a fresh audit. */
export interface BaselineAudit {
  tenant: string
  /** The request the baseline ran with, when known, to warn when it differs. */
  request?: Record<string, unknown>
  /** False when the baseline audit could not read everything. */
  complete?: boolean
  /** Mailboxes the baseline audit could not read. */
  skipped?: string[]
  findings: (GoneFinding & { suppressed?: unknown })[]
}

/** Where the baseline came from, for the summary. */
export interface BaselineOrigin {
  /** How the user named it: `--baseline base.json`, the action's `baseline` input. */
  comparedWith: string
  kind: BaselineSummary['kind']
}

/** Request settings that change which findings an audit reports (a subset of the request's). */
const SCOPE_FIELDS: readonly (typeof AUDIT_REQUEST_FIELDS)[number][] = [
  'user',
  'users',
  'all_users',
  'external_only',
  'flag_freemail',
  'include_transport_rules',
  'include_inbox_rules',
  'since',
  'risk_threshold',
]

const rank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level)

/**
 * The report with each finding's `baseline` status and `summary.baseline`. A finding the
 * baseline had suppressed and this audit reports (its allowlist entry expired or went) is new:
 * it was never reported before. Counts are of reported findings, like every count in a report.
 * @example
 * const compared = compareWithBaseline(report, baseline, { comparedWith: 'base.json', kind: 'report' })
 * failingFindings(compared, 'high') // only new and raised findings
 */
export function compareWithBaseline(
  report: AuditReport,
  baseline: BaselineAudit,
  origin: BaselineOrigin
): AuditReport {
  const before = new Map(baseline.findings.map((f) => [f.id, f]))
  const counts: Record<BaselineStatus, number> = { new: 0, raised: 0, unchanged: 0, lowered: 0 }
  const findings = report.data.findings.map((finding): Finding => {
    const old = before.get(finding.id)
    const status = statusOf(finding, old)
    if (!finding.suppressed) counts[status]++
    return {
      ...finding,
      baseline: status,
      ...(old ? { baseline_risk_level: old.risk_level } : {}),
    }
  })
  const now = new Set(report.data.findings.map((f) => f.id))
  const gone = baseline.findings
    .filter((f) => !now.has(f.id) && !f.suppressed)
    .map(({ id, type, user, destination, rule_name, risk_level }) => ({
      id,
      type,
      user,
      destination,
      rule_name,
      risk_level,
    }))
  const summary: BaselineSummary = {
    compared_with: origin.comparedWith,
    kind: origin.kind,
    ...counts,
    gone: gone.length,
    gone_findings: gone,
    warnings: warnings(report, baseline),
  }
  return {
    data: { findings, summary: { ...report.data.summary, baseline: summary } },
    meta: report.meta,
  }
}

function statusOf(finding: Finding, old: BaselineAudit['findings'][number] | undefined) {
  if (!old || (old.suppressed && !finding.suppressed)) return 'new'
  const change = rank(finding.risk_level) - rank(old.risk_level)
  return change > 0 ? 'raised' : change < 0 ? 'lowered' : 'unchanged'
}

/** Why the comparison may count findings as new or gone that did not change in the tenant. */
function warnings(report: AuditReport, baseline: BaselineAudit): string[] {
  const out: string[] = []
  const tenant = report.data.summary.tenant
  if (baseline.tenant !== tenant) {
    out.push(
      `the baseline audited tenant ${baseline.tenant}, this audit ${tenant}: finding ids differ between tenants, so every finding counts as new`
    )
  }
  if (baseline.request) {
    const request = report.data.summary.request
    const differ = SCOPE_FIELDS.filter(
      (field) => JSON.stringify(baseline.request?.[field]) !== JSON.stringify(request[field])
    )
    if (differ.length > 0) {
      out.push(
        `the baseline ran with other settings (${differ.join(', ')}): what they include or leave out counts as new or gone`
      )
    }
  }
  const unreadNow = new Set(report.data.summary.skipped.map((s) => s.mailbox))
  const readNow = (baseline.skipped ?? []).filter((mailbox) => !unreadNow.has(mailbox))
  if (readNow.length > 0) {
    out.push(
      `${readNow.length} mailbox(es) the baseline could not read were read now: their findings count as new`
    )
  } else if (baseline.complete === false && report.data.summary.complete) {
    out.push('the baseline audit was incomplete: what it did not read counts as new')
  }
  return out
}
