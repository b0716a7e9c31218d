/**
 * @module report/formats/markdown
 * GitHub-flavoured markdown for a job summary or PR comment: a verdict a reviewer reads in one
 * line, counts, the findings, and what the audit could not see. Every string of the report is
 * a code span (markdown-escape.ts, applied once to the whole report), so no rule name links,
 * mentions or references anything. Row counts are capped, and halved until the document fits,
 * so a summary stays under GitHub's 1 MiB per-step limit whatever the tenant holds.
 */
import type { AuditReport, Finding, Summary } from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { escapeReport } from './escape-report.ts'
import { findingFlags, LEVELS_DESC, TYPE_LABELS } from './finding-view.ts'
import { markdownText, tableHead, tableRow } from './markdown-escape.ts'
import { auditLogLines, sweepLines } from './provenance-lines.ts'
import { filterBreakdown } from './table-summary.ts'
import { explained, triageLines } from './triage.ts'

/** Rows shown per findings table before the rest are only counted. */
export const MAX_MARKDOWN_ROWS = 200
/** Skipped mailboxes (and incomplete reasons, allowlist entries) listed before the rest are only counted. */
export const MAX_MARKDOWN_SKIPPED = 50
/** GitHub's limit for a job summary, in bytes. */
export const MAX_MARKDOWN_BYTES = 1024 * 1024

const HEADERS = ['Level', 'Score', 'Type', 'Mailbox', 'Destination', 'Rule']

function typeCell(f: Finding): string {
  const flags = findingFlags(f).filter((flag) => flag !== 'suppressed')
  return [typeLabel(f.type), ...flags].join(', ')
}

function findingRow(f: Finding, last: string): string {
  const level =
    f.risk_level === 'critical' || f.risk_level === 'high' ? `**${f.risk_level}**` : f.risk_level
  return tableRow([
    level,
    String(f.risk_score),
    typeCell(f),
    f.user,
    f.destination,
    f.rule_name ?? '—',
    last,
  ])
}

function findingsTable(
  findings: readonly Finding[],
  lastHeader: string,
  last: (f: Finding) => string,
  rows = MAX_MARKDOWN_ROWS
): string[] {
  const lines = [tableHead([...HEADERS, lastHeader], ['Score'])]
  for (const f of findings.slice(0, rows)) lines.push(findingRow(f, last(f)))
  if (findings.length > rows) {
    const more = findings.length - rows
    lines.push('', `…and ${more} more; the JSON, CSV or SARIF report lists every finding.`)
  }
  return lines
}

function verdict(summary: Summary, active: number): string {
  const scope = `${summary.mailboxes_scanned} mailbox${summary.mailboxes_scanned === 1 ? '' : 'es'}`
  const caveat = summary.complete ? '' : ' The audit is **incomplete**; see below.'
  if (active === 0) return `No forwarding found in ${scope}.${caveat}`
  const worst = LEVELS_DESC.filter((level) => summary.by_level[level] > 0)
    .map((level) => `${summary.by_level[level]} ${level}`)
    .join(', ')
  const urgent = summary.by_level.critical + summary.by_level.high > 0
  return `${urgent ? '**Action needed:** ' : ''}${active} forwarding finding${active === 1 ? '' : 's'} in ${scope} (${worst}).${caveat}`
}

function countsTable(summary: Summary): string[] {
  const lines = [tableHead(['Level', 'Findings'], ['Findings'])]
  for (const level of LEVELS_DESC) lines.push(tableRow([level, String(summary.by_level[level])]))
  lines.push(tableRow(['suppressed', String(summary.suppressed)]))
  lines.push(tableRow(['filtered out', `${summary.filtered_out}${filterBreakdown(summary)}`]))
  return lines
}

function coverage(summary: Summary): string[] {
  const lines: string[] = []
  if (summary.skipped.length > 0) {
    lines.push('', `### Skipped mailboxes (${summary.mailboxes_skipped})`, '')
    for (const skip of summary.skipped.slice(0, MAX_MARKDOWN_SKIPPED)) {
      lines.push(`- ${skip.mailbox}: ${skip.code}, ${skip.reason}`)
    }
    const more = summary.skipped.length - MAX_MARKDOWN_SKIPPED
    if (more > 0) lines.push(`- …and ${more} more`)
  }
  if (!summary.complete) {
    lines.push('', '### Incomplete', '', 'The audit did not cover everything it was asked to:', '')
    const reasons = summary.incomplete_reasons.length > 0 ? summary.incomplete_reasons : ['unknown']
    lines.push(...capped(reasons.map((reason) => `- ${reason}`)))
  }
  for (const part of [auditLogLines(summary), sweepLines(summary)]) {
    if (!part) continue
    lines.push('', part.head)
    if (part.details.length > 0) lines.push('')
    lines.push(...capped(part.details.map((detail) => `- ${detail}`)))
  }
  if (summary.expired_allowlist_entries.length > 0) {
    lines.push('', '### Expired allowlist entries', '', 'These no longer suppress anything:', '')
    lines.push(...capped(summary.expired_allowlist_entries.map((entry) => `- ${entry}`)))
  }
  if (summary.coverage?.length) {
    lines.push('', '### Not audited', '', 'The data held more than the request asked for:', '')
    lines.push(...capped(summary.coverage.map((note) => `- ${note}`)))
  }
  if (summary.unmatched_allowlist_entries?.length) {
    lines.push('', '### Allowlist entries that matched nothing', '')
    lines.push(...capped(summary.unmatched_allowlist_entries.map((entry) => `- ${entry}`)))
  }
  return lines
}

/** At most MAX_MARKDOWN_SKIPPED list lines, then a count of the rest. */
function capped(lines: string[]): string[] {
  const more = lines.length - MAX_MARKDOWN_SKIPPED
  return more > 0 ? [...lines.slice(0, MAX_MARKDOWN_SKIPPED), `- …and ${more} more`] : lines
}

/** Our label for a finding type; an escaped unknown value as it is. */
function typeLabel(type: string): string {
  return Object.hasOwn(TYPE_LABELS, type) ? TYPE_LABELS[type as keyof typeof TYPE_LABELS] : type
}

/** Every factor, highest first, with its sign: a mitigation explains a score lower than the rest. */
function factorCell(f: Finding): string {
  return triageLines(f)
    .map(([score, category]) => `${category} (${score})`)
    .join(', ')
}

/**
 * Why each high or critical finding (every finding with `explain`) scored as it did: the
 * finding, then one line per factor. Capped like the tables.
 */
function whySection(findings: readonly Finding[], explain: boolean, rows: number): string[] {
  const shown = findings.filter((f) => explained(f, explain))
  if (shown.length === 0) return []
  const lines = ['', '### Why these scores', '']
  for (const f of shown.slice(0, rows)) {
    lines.push(
      `- **${f.risk_level} ${f.risk_score}** ${typeLabel(f.type)} ${f.user} → ${f.destination}`
    )
    // Descriptions are code spans already, cut like cells (the report was escaped as a whole).
    for (const [score, category, description] of triageLines(f)) {
      // Our categories as code; anything else in that field is a code span already.
      const shown = /^[a-z_]+$/.test(category) ? `\`${category}\`` : category
      lines.push(`  - ${score} ${shown}: ${description}`)
    }
  }
  if (shown.length > rows) {
    lines.push('', `…and ${shown.length - rows} more; the JSON report lists them.`)
  }
  return lines
}

/** Render the report as GitHub-flavoured markdown with all attacker text escaped. */
export function formatMarkdown(unsafe: AuditReport, options: { explain?: boolean } = {}): string {
  // The one place tenant text is made safe for markdown (escape-report.ts, markdown-escape.ts).
  const report = escapeReport(unsafe, markdownText)
  const bytes = new TextEncoder()
  for (let rows = MAX_MARKDOWN_ROWS; ; rows = Math.floor(rows / 2)) {
    const text = render(report, rows, options.explain === true)
    if (rows === 0 || bytes.encode(text).length <= MAX_MARKDOWN_BYTES) return text
  }
}

function render(report: AuditReport, rows: number, explain: boolean): string {
  const { findings, summary } = report.data
  const sorted = sortFindings(findings)
  const active = sorted.filter((f) => !f.suppressed)
  const suppressed = sorted.filter((f) => f.suppressed)
  const lines = [
    `## Mail forwarding audit: ${summary.tenant}`,
    '',
    verdict(summary, active.length),
    '',
    ...countsTable(summary),
  ]
  if (active.length > 0) {
    lines.push('', '### Findings', '', ...findingsTable(active, 'Factors', factorCell, rows))
    lines.push(...whySection(active, explain, rows))
  }
  if (suppressed.length > 0) {
    const reason = (f: Finding) => f.suppressed?.reason ?? '—'
    lines.push(
      '',
      '<details>',
      `<summary>${suppressed.length} suppressed by the allowlist</summary>`,
      ''
    )
    lines.push(...findingsTable(suppressed, 'Reason', reason, rows), '', '</details>')
  }
  lines.push(...coverage(summary))
  return `${lines.join('\n')}\n`
}
