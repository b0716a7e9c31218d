/**
 * @module report/formats/markdown
 * GitHub-flavoured markdown for a job summary or PR comment: a verdict a reviewer reads in one
 * line, counts, the findings, and what the audit could not see. Row counts are capped so a
 * large tenant's summary stays under GitHub's 1 MiB per-step limit.
 */
import type { AuditReport, Finding, Summary } from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { findingFlags, LEVELS_DESC, TYPE_LABELS, topFactors } from './finding-view.ts'
import { codeCell, escapeMarkdown, MAX_CELL_CHARS, tableHead, tableRow } from './markdown-escape.ts'
import { neutralize, truncate } from './safe-text.ts'
import { filterBreakdown } from './table-summary.ts'
import { explained, triageLines } from './triage.ts'

/** Rows shown per findings table before the rest are only counted. */
export const MAX_MARKDOWN_ROWS = 200
/** Skipped mailboxes listed before the rest are only counted. */
export const MAX_MARKDOWN_SKIPPED = 50

const HEADERS = ['Level', 'Score', 'Type', 'Mailbox', 'Destination', 'Rule']

function typeCell(f: Finding): string {
  const flags = findingFlags(f).filter((flag) => flag !== 'suppressed')
  return escapeMarkdown([TYPE_LABELS[f.type], ...flags].join(', '))
}

function findingRow(f: Finding, last: string): string {
  const level =
    f.risk_level === 'critical' || f.risk_level === 'high' ? `**${f.risk_level}**` : f.risk_level
  return tableRow([
    level,
    String(f.risk_score),
    typeCell(f),
    codeCell(f.user),
    codeCell(f.destination),
    codeCell(f.rule_name),
    last,
  ])
}

function findingsTable(
  findings: readonly Finding[],
  lastHeader: string,
  last: (f: Finding) => string
): string[] {
  const lines = [tableHead([...HEADERS, lastHeader], ['Score'])]
  for (const f of findings.slice(0, MAX_MARKDOWN_ROWS)) lines.push(findingRow(f, last(f)))
  if (findings.length > MAX_MARKDOWN_ROWS) {
    const more = findings.length - MAX_MARKDOWN_ROWS
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
      lines.push(
        `- ${codeCell(skip.mailbox)}: ${escapeMarkdown(skip.code)}, ${escapeMarkdown(skip.reason)}`
      )
    }
    const more = summary.skipped.length - MAX_MARKDOWN_SKIPPED
    if (more > 0) lines.push(`- …and ${more} more`)
  }
  if (!summary.complete) {
    lines.push('', '### Incomplete', '', 'The audit did not cover everything it was asked to:', '')
    const reasons = summary.incomplete_reasons.length > 0 ? summary.incomplete_reasons : ['unknown']
    for (const reason of reasons) lines.push(`- ${escapeMarkdown(reason)}`)
  }
  if (summary.expired_allowlist_entries.length > 0) {
    lines.push('', '### Expired allowlist entries', '', 'These no longer suppress anything:', '')
    for (const entry of summary.expired_allowlist_entries) lines.push(`- ${escapeMarkdown(entry)}`)
  }
  return lines
}

/**
 * Why each high or critical finding (every finding with `explain`) scored as it did: the
 * finding, then one line per factor. Capped like the tables.
 */
function whySection(findings: readonly Finding[], explain: boolean): string[] {
  const shown = findings.filter((f) => explained(f, explain))
  if (shown.length === 0) return []
  const lines = ['', '### Why these scores', '']
  for (const f of shown.slice(0, MAX_MARKDOWN_ROWS)) {
    lines.push(
      `- **${f.risk_level} ${f.risk_score}** ${escapeMarkdown(TYPE_LABELS[f.type])} ${codeCell(f.user)} → ${codeCell(f.destination)}`
    )
    for (const [score, category, description] of triageLines(f)) {
      const short = truncate(neutralize(description), MAX_CELL_CHARS)
      lines.push(`  - ${score} \`${category}\`: ${escapeMarkdown(short)}`)
    }
  }
  if (shown.length > MAX_MARKDOWN_ROWS) {
    lines.push('', `…and ${shown.length - MAX_MARKDOWN_ROWS} more; the JSON report lists them.`)
  }
  return lines
}

/** Render the report as GitHub-flavoured markdown with all attacker text escaped. */
export function formatMarkdown(report: AuditReport, options: { explain?: boolean } = {}): string {
  const { findings, summary } = report.data
  const sorted = sortFindings(findings)
  const active = sorted.filter((f) => !f.suppressed)
  const suppressed = sorted.filter((f) => f.suppressed)
  const lines = [
    `## Mail forwarding audit: ${escapeMarkdown(summary.tenant)}`,
    '',
    verdict(summary, active.length),
    '',
    ...countsTable(summary),
  ]
  if (active.length > 0) {
    const factors = (f: Finding) => escapeMarkdown(topFactors(f).join(', '))
    lines.push('', '### Findings', '', ...findingsTable(active, 'Factors', factors))
    lines.push(...whySection(active, options.explain === true))
  }
  if (suppressed.length > 0) {
    const reason = (f: Finding) => escapeMarkdown(f.suppressed?.reason ?? '')
    lines.push(
      '',
      '<details>',
      `<summary>${suppressed.length} suppressed by the allowlist</summary>`,
      ''
    )
    lines.push(...findingsTable(suppressed, 'Reason', reason), '', '</details>')
  }
  lines.push(...coverage(summary))
  return `${lines.join('\n')}\n`
}
