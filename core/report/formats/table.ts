/**
 * @module report/formats/table
 * The terminal view: one line per finding that never wraps at the given width, most severe
 * first, suppressed findings last and dimmed, then the summary block. The whole report is
 * neutralised first, so a rule name cannot move the cursor or recolour the screen.
 */
import type { AuditReport, Finding, RiskLevel } from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { escapeReport } from './escape-report.ts'
import { findingFlags } from './finding-view.ts'
import { displayWidth, neutralize, truncate } from './safe-text.ts'
import { summaryLines } from './table-summary.ts'
import { explained, triageLines } from './triage.ts'

/** Options for the terminal table. */
export interface TableOptions {
  /** Emit ANSI colours; off unless asked, so pipes and files stay clean. */
  color?: boolean
  /** Terminal columns to fit; default 100. */
  width?: number
  /** Factor lines under every finding, not only the high and critical ones. */
  explain?: boolean
}

interface Column {
  header: string
  /** Shrink order: stage 1 gives up width first, then 2, then 3; 0 never shrinks. */
  stage: 0 | 1 | 2 | 3
  right?: boolean
  cell: (f: Finding) => string
}

/** Short type names: the table has the least room of all formats. */
const SHORT_TYPE: Readonly<Record<Finding['type'], string>> = {
  smtp_forwarding: 'smtp',
  inbox_rule: 'inbox',
  transport_rule: 'transport',
  journal_rule: 'journal',
}

const COLUMNS: readonly Column[] = [
  { header: 'LEVEL', stage: 0, cell: (f) => f.risk_level },
  { header: 'SCORE', stage: 0, right: true, cell: (f) => String(f.risk_score) },
  {
    header: 'TYPE',
    stage: 1,
    cell: (f) => (Object.hasOwn(SHORT_TYPE, f.type) ? SHORT_TYPE[f.type] : f.type),
  },
  { header: 'MAILBOX', stage: 3, cell: (f) => f.user },
  { header: 'DESTINATION', stage: 3, cell: (f) => f.destination },
  { header: 'RULE', stage: 1, cell: (f) => (f.rule_name === null ? '-' : f.rule_name) },
  { header: 'NOTES', stage: 2, cell: (f) => findingFlags(f).join(', ') },
]
const GAP = 2
/** Rule names, then notes, then addresses shrink to this; below it, all shrink together. */
const COMFORT_WIDTH = 12
const MIN_WIDTH = 5

const ANSI: Readonly<Record<RiskLevel | 'dim' | 'bold', string>> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[2m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
}
const RESET = '\u001b[0m'

/** Shave the widest column allowed at this step, one column at a time, until the line fits. */
function shrink(widths: number[], width: number, floor: number, stages: number[]): void {
  let total = widths.reduce((a, b) => a + b, 0) + GAP * (COLUMNS.length - 1)
  while (total > width) {
    let widest = -1
    COLUMNS.forEach((c, i) => {
      const w = widths[i] ?? 0
      if (stages.includes(c.stage) && w > floor && (widest < 0 || w > (widths[widest] ?? 0))) {
        widest = i
      }
    })
    if (widest < 0) return
    widths[widest] = (widths[widest] ?? 0) - 1
    total -= 1
  }
}

/** Natural column widths, cut down in stages: who and where are the last to give way. */
function fitColumns(rows: readonly string[][], width: number): number[] {
  const widths = COLUMNS.map((c, i) =>
    Math.min(width, Math.max(c.header.length, ...rows.map((r) => displayWidth(r[i] ?? ''))))
  )
  shrink(widths, width, COMFORT_WIDTH, [1])
  shrink(widths, width, COMFORT_WIDTH, [2])
  shrink(widths, width, COMFORT_WIDTH, [3])
  shrink(widths, width, MIN_WIDTH, [1, 2, 3])
  return widths
}

function renderRow(cells: string[], widths: number[], width: number, style: string[]): string {
  const texts = cells.map((cell, i) => truncate(cell, widths[i] ?? 0))
  const pads = texts.map((text, i) =>
    ' '.repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(text)))
  )
  const plain = texts
    .map((text, i) => (COLUMNS[i]?.right ? pads[i] + text : text + pads[i]))
    .join(' '.repeat(GAP))
    .trimEnd()
  // A terminal too narrow for even the minimum columns: cut the whole line, colour it as one.
  if (displayWidth(plain) > width) return paint(truncate(plain, width), style[0] ?? '')
  // Colour only the text, never the padding, so trailing spaces can be trimmed.
  return texts
    .map((text, i) => {
      const painted = paint(text, style[i] ?? '')
      return COLUMNS[i]?.right ? pads[i] + painted : painted + pads[i]
    })
    .join(' '.repeat(GAP))
    .trimEnd()
}

function paint(text: string, code: string): string {
  return code === '' || text === '' ? text : `${code}${text}${RESET}`
}

/** Render the report as a terminal table plus a summary block, at most `width` columns wide. */
export function formatTable(unsafe: AuditReport, options: TableOptions = {}): string {
  // The one place tenant text is made safe for a terminal (escape-report.ts).
  const report = escapeReport(unsafe, neutralize)
  const width = Math.max(1, Math.floor(options.width ?? 100) || 100)
  const color = options.color === true
  const findings = sortFindings(report.data.findings)
  const active = findings.filter((f) => !f.suppressed)
  const lines: string[] = []

  if (findings.length === 0) {
    lines.push(truncate('No forwarding found.', width))
  } else {
    if (active.length === 0)
      lines.push(truncate('No forwarding found outside the allowlist.', width))
    const rows = findings.map((f) => COLUMNS.map((c) => c.cell(f)))
    const widths = fitColumns(rows, width)
    const headerStyle = COLUMNS.map(() => (color ? ANSI.bold : ''))
    lines.push(
      renderRow(
        COLUMNS.map((c) => c.header),
        widths,
        width,
        headerStyle
      )
    )
    findings.forEach((f, i) => {
      if (f.suppressed && (i === 0 || !findings[i - 1]?.suppressed)) {
        const divider = `-- suppressed by the allowlist: ${findings.length - i} --`
        lines.push(paint(truncate(divider, width), color ? ANSI.dim : ''))
      }
      const rowStyle = COLUMNS.map((_, c) => {
        if (!color) return ''
        if (f.suppressed) return ANSI.dim
        return c === 0 && Object.hasOwn(ANSI, f.risk_level) ? ANSI[f.risk_level] : ''
      })
      lines.push(renderRow(rows[i] ?? [], widths, width, rowStyle))
      if (explained(f, options.explain === true)) {
        lines.push(...factorLines(f, width, color))
      }
    })
  }
  lines.push('')
  for (const line of summaryLines(report.data.summary)) lines.push(truncate(line, width))
  return `${lines.join('\n')}\n`
}

/** One indented line per factor, cut to the width; the description is attacker text. */
function factorLines(f: Finding, width: number, color: boolean): string[] {
  return triageLines(f).map(([score, category, description]) => {
    const line = truncate(
      `      ${score.padStart(4)}  ${category}: ${neutralize(description)}`,
      width
    )
    return paint(line, color ? ANSI.dim : '')
  })
}
