/**
 * @module report/formats/sarif
 * SARIF 2.1.0 for GitHub code scanning. A finding points at its line in the snapshot file when
 * the caller can locate it (`locate`), else at one committed file (line 1), and carries the
 * finding id as its fingerprint: alerts then stay the same alert from run to run instead of
 * collapsing onto one line or churning. GitHub takes 25,000 results per run; past that the
 * lowest-risk findings are counted, not listed.
 */
import {
  type AuditReport,
  FINDING_TYPES,
  type Finding,
  type FindingType,
  type RiskLevel,
  type Summary,
} from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { escapeReport } from './escape-report.ts'
import { describeFinding, LEVELS_DESC } from './finding-view.ts'
import { escapeJsonText, neutralize } from './safe-text.ts'
import { SARIF_LEVEL, type SarifRule, sarifRule, sarifRuleId } from './sarif-rules.ts'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
/** Where code scanning sends people who click the tool name. */
export const TOOL_INFORMATION_URI = 'https://attack.mitre.org/techniques/T1114/003/'
/** The file every result points at when the caller names none. */
export const DEFAULT_ARTIFACT_URI = 'forwarding-audit.json'
/** Results per run GitHub code scanning accepts (docs: SARIF support for code scanning). */
export const SARIF_MAX_RESULTS = 25_000

/** A finding's place in the repository: a repo-relative file and a 1-based line. */
export interface SarifLocation {
  uri: string
  line: number
}

/** SARIF's baselineState for each baseline status. */
const BASELINE_STATE = {
  new: 'new',
  raised: 'updated',
  lowered: 'updated',
  unchanged: 'unchanged',
} as const

/** Options for the SARIF log. */
export interface SarifOptions {
  /** Written as `tool.driver.semanticVersion`. */
  toolVersion?: string
  /** A file committed to the scanned repo; upload-sarif ignores locations outside it. */
  artifactUri?: string
  /** Where a finding sits (its snapshot line); findings it cannot place use `artifactUri`. */
  locate?: (finding: Finding) => SarifLocation | undefined
  /** Results listed before the rest are only counted (default SARIF_MAX_RESULTS). */
  maxResults?: number
}

const TYPE_ORDER: readonly FindingType[] = FINDING_TYPES

/** The rules the findings use, in a fixed order (type, then most severe first). */
function usedRules(findings: readonly Finding[]): SarifRule[] {
  const used = new Set(findings.map((f) => sarifRuleId(f.type, f.risk_level)))
  const rules: SarifRule[] = []
  for (const type of TYPE_ORDER) {
    for (const level of LEVELS_DESC) {
      if (used.has(sarifRuleId(type, level))) rules.push(sarifRule(type, level))
    }
  }
  return rules
}

function result(f: Finding, ruleIndex: number, where: SarifLocation) {
  const { uri, line } = where
  return {
    ruleId: sarifRuleId(f.type, f.risk_level),
    ruleIndex,
    level: SARIF_LEVEL[f.risk_level],
    // Shown as-is in the GitHub UI: the report was neutralised as a whole in buildSarif.
    message: { text: describeFinding(f) },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }],
    partialFingerprints: { primaryLocationLineHash: f.id },
    ...(f.baseline && { baselineState: BASELINE_STATE[f.baseline] }),
    ...(f.suppressed && {
      suppressions: [{ kind: 'external', status: 'accepted', justification: f.suppressed.reason }],
    }),
    properties: {
      finding_type: f.type,
      user: f.user,
      destination: f.destination,
      rule_name: f.rule_name,
      risk_score: f.risk_score,
      risk_level: f.risk_level,
      risk_factors: f.risk_factors,
      is_enabled: f.is_enabled,
      hidden: f.hidden,
      external: f.external,
    },
  }
}

function invocation(summary: Summary, notes: string[]) {
  const start = Date.parse(summary.started_at)
  const times = Number.isNaN(start)
    ? {}
    : {
        startTimeUtc: new Date(start).toISOString(),
        endTimeUtc: new Date(start + Math.max(0, summary.duration_ms)).toISOString(),
      }
  const reasons = summary.incomplete_reasons.length > 0 ? summary.incomplete_reasons : ['unknown']
  return {
    executionSuccessful: summary.complete,
    ...times,
    ...((!summary.complete || notes.length > 0) && {
      toolExecutionNotifications: [...(summary.complete ? [] : reasons), ...notes].map(
        (reason) => ({ level: 'warning', message: { text: reason } })
      ),
    }),
  }
}

/** Build the SARIF log object (one run) for the report. */
export function buildSarif(unsafe: AuditReport, options: SarifOptions = {}) {
  // The one place tenant text is made safe for code scanning's UI (escape-report.ts).
  const report = escapeReport(unsafe, neutralize)
  const { summary } = report.data
  const sorted = sortFindings(report.data.findings)
  // Report order puts suppressed findings last, so a cut drops them before reported ones.
  const findings = sorted.slice(0, Math.max(0, options.maxResults ?? SARIF_MAX_RESULTS))
  const leftOut = sorted.length - findings.length
  const notes =
    leftOut > 0
      ? [
          `${leftOut} of ${sorted.length} findings are left out of this SARIF log (code scanning takes ${findings.length} results per run): the last in report order, suppressed ones first, then the lowest risk; the JSON report lists every finding`,
        ]
      : []
  const rules = usedRules(findings)
  const index = new Map(rules.map((r, i) => [r.id, i]))
  const uri = options.artifactUri || DEFAULT_ARTIFACT_URI
  const levels = Object.fromEntries(LEVELS_DESC.map((l: RiskLevel) => [l, summary.by_level[l]]))
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'forwarding-audit',
            informationUri: TOOL_INFORMATION_URI,
            ...(options.toolVersion && { semanticVersion: options.toolVersion }),
            rules,
          },
        },
        invocations: [invocation(summary, notes)],
        results: findings.map((f) =>
          result(
            f,
            index.get(sarifRuleId(f.type, f.risk_level)) ?? 0,
            options.locate?.(f) ?? { uri, line: 1 }
          )
        ),
        properties: {
          tenant: summary.tenant,
          mailboxes_requested: summary.mailboxes_requested,
          mailboxes_scanned: summary.mailboxes_scanned,
          mailboxes_skipped: summary.mailboxes_skipped,
          by_level: levels,
          by_type: summary.by_type,
          suppressed: summary.suppressed,
          filtered_out: summary.filtered_out,
          complete: summary.complete,
          ...(leftOut > 0 && { results_left_out: leftOut }),
        },
      },
    ],
  }
}

/** The report as a SARIF 2.1.0 log, pretty-printed with a trailing newline. */
export function formatSarif(report: AuditReport, options: SarifOptions = {}): string {
  return `${escapeJsonText(JSON.stringify(buildSarif(report, options), null, 2))}\n`
}
