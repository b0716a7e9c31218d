/**
 * @module report/formats/job-summary
 * A GitHub Actions job summary: the gate's verdict, what changed since the baseline (the
 * findings a pull request introduces or raises, with every risk factor), then the markdown
 * report. GitHub refuses a step summary over 1 MiB, so the text is cut at a line to fit, with a
 * note of how many table rows and other lines were left out.
 */

import { changedFindings, failingFindings } from '../../audit/gate.ts'
import type { AuditReport, BaselineSummary, Finding, RiskLevel } from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { escapeReport } from './escape-report.ts'
import { factorsByScore, TYPE_LABELS } from './finding-view.ts'
import { formatMarkdown, MAX_MARKDOWN_ROWS } from './markdown.ts'
import { markdownText, tableHead, tableRow } from './markdown-escape.ts'

/** GitHub's limit for one step's summary. */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024
/** Gone findings listed before the rest are only counted. */
const MAX_GONE = 50

export interface JobSummaryOptions {
  /** The gate's level; without it the summary has no verdict line. */
  failOn?: RiskLevel
  /** Budget in UTF-8 bytes (default JOB_SUMMARY_MAX_BYTES). */
  maxBytes?: number
}

/** The job summary for `report`, escaped and within `maxBytes`. */
export function formatJobSummary(unsafe: AuditReport, options: JobSummaryOptions = {}): string {
  // The markdown format's one escaping, applied once to the whole report (escape-report.ts).
  const report = escapeReport(unsafe, markdownText)
  const lines = ['## forwarding-audit', '']
  if (options.failOn) lines.push(verdict(report, options.failOn), '')
  const baseline = report.data.summary.baseline
  if (baseline) lines.push(...comparison(report.data.findings, baseline))
  const text = `${lines.join('\n')}\n${formatMarkdown(unsafe)}`
  return fitToBytes(text, options.maxBytes ?? JOB_SUMMARY_MAX_BYTES)
}

function verdict(report: AuditReport, failOn: RiskLevel): string {
  const failing = failingFindings(report, failOn).length
  const which = report.data.summary.baseline ? ' new or raised since the baseline' : ''
  const level = `\`fail-on: ${failOn}\``
  if (failing === 0) return `**Passed:** no finding${which} reaches ${level}.`
  return `**Failed:** ${failing} finding${failing === 1 ? '' : 's'}${which} reach${failing === 1 ? 'es' : ''} ${level}.`
}

function comparison(findings: readonly Finding[], baseline: BaselineSummary): string[] {
  const lines = [
    `### Compared with ${baseline.compared_with}`,
    '',
    tableHead(['Change', 'Findings'], ['Findings']),
    ...(['new', 'raised', 'unchanged', 'lowered', 'gone'] as const).map((status) =>
      tableRow([status, String(baseline[status])])
    ),
  ]
  if (baseline.warnings.length > 0) {
    lines.push('', ...baseline.warnings.map((warning) => `- ${warning}`))
  }
  const changed = sortFindings(changedFindings(findings))
  if (changed.length > 0) {
    lines.push('', '### New and raised findings', '', changedTable(changed))
  }
  if (baseline.gone_findings.length > 0) {
    lines.push('', `### No longer found (${baseline.gone})`, '')
    for (const f of baseline.gone_findings.slice(0, MAX_GONE)) {
      const rule = f.rule_name === null ? '' : `, rule ${f.rule_name}`
      lines.push(
        `- ${f.user} to ${f.destination}: ${typeLabel(f.type)}${rule}, was ${f.risk_level}`
      )
    }
    const more = baseline.gone_findings.length - MAX_GONE
    if (more > 0) lines.push(`- …and ${more} more`)
  }
  lines.push('')
  return lines
}

function changedTable(findings: readonly Finding[]): string {
  const head = ['Change', 'Level', 'Score', 'Type', 'Mailbox', 'Destination', 'Rule', 'Factors']
  const rows = [tableHead(head, ['Score'])]
  for (const f of findings.slice(0, MAX_MARKDOWN_ROWS)) {
    const change =
      f.baseline === 'raised' && f.baseline_risk_level
        ? `raised from ${f.baseline_risk_level}`
        : 'new'
    rows.push(
      tableRow([
        change,
        `**${f.risk_level}**`,
        String(f.risk_score),
        typeLabel(f.type),
        f.user,
        f.destination,
        f.rule_name ?? '—',
        factorsByScore(f)
          .map((r) => `${r.category} (${r.score > 0 ? '+' : ''}${r.score})`)
          .join(', '),
      ])
    )
  }
  const more = findings.length - MAX_MARKDOWN_ROWS
  if (more > 0) rows.push('', `…and ${more} more; the JSON report lists every finding.`)
  return rows.join('\n')
}

/** Our label for a finding type; an escaped unknown value as it is. */
function typeLabel(type: string): string {
  return Object.hasOwn(TYPE_LABELS, type) ? TYPE_LABELS[type as keyof typeof TYPE_LABELS] : type
}

const encoder = new TextEncoder()
const bytes = (text: string): number => encoder.encode(text).length

/**
 * `text` if it fits in `max` bytes; else its first lines, any open `<details>` closed, and a
 * note that counts the table rows and other lines left out.
 */
export function fitToBytes(text: string, max: number): string {
  if (bytes(text) <= max) return text
  const lines = text.split('\n')
  // Room for the note and closing tags; the note's numbers are at most a few digits each.
  let budget = max - 400
  let kept = 0
  for (const line of lines) {
    const size = bytes(line) + 1
    if (size > budget) break
    budget -= size
    kept++
  }
  const dropped = lines.slice(kept)
  const rows = dropped.filter((line) => /^\| /.test(line) && !/^\| -+:? \|/.test(line)).length
  const other = dropped.filter((line) => line.trim() !== '').length - rows
  const head = lines.slice(0, kept)
  const open = head.filter((l) => l === '<details>').length
  const closed = head.filter((l) => l === '</details>').length
  const note =
    `> **Cut to fit the ${Math.floor(max / 1024)} KiB job summary limit:** ${rows} table row${rows === 1 ? '' : 's'} ` +
    `and ${other} other line${other === 1 ? '' : 's'} were left out; the JSON report and the SARIF log list every finding.`
  return [...head, ...Array(Math.max(0, open - closed)).fill('</details>'), '', note, ''].join('\n')
}
