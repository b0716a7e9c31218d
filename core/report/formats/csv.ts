/**
 * @module report/formats/csv
 * RFC 4180 CSV, one row per finding, for spreadsheets and SIEM imports. Rule names and addresses
 * are attacker-controlled, so cells that a spreadsheet would run as a formula are defused, and
 * terminal controls are neutralised in case someone `cat`s the file.
 */
import type { Finding } from '../../model/findings.ts'
import { sortFindings } from '../order.ts'
import { factorList } from './finding-view.ts'
import { neutralize } from './safe-text.ts'

/** Column order of the CSV export. */
export const CSV_COLUMNS = [
  'id',
  'type',
  'user',
  'destination',
  'external',
  'risk_score',
  'risk_level',
  'risk_factors',
  'is_enabled',
  'hidden',
  'rule_name',
  'action',
  'created_at',
  'modified_at',
  'changed_by',
  'suppressed',
  'suppression_reason',
  'conditions',
  'exceptions',
] as const

type Cell = string | number | boolean | null | undefined

// OWASP CSV injection: Excel, LibreOffice and Sheets evaluate cells starting with these.
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * The CSV format's one escaping function, applied to every cell by `formatCsv`: formula-guarded,
 * neutralised (CR, LF and tab too: a cell never holds a raw line break, whatever a reader
 * makes of quoting), and quoted when it holds `"` or `,`.
 */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  const text = neutralize(FORMULA_START.test(value) ? `'${value}` : value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function row(f: Finding): Cell[] {
  return [
    f.id,
    f.type,
    f.user,
    f.destination,
    f.external,
    f.risk_score,
    f.risk_level,
    factorList(f),
    f.is_enabled,
    f.hidden,
    f.rule_name,
    f.action,
    f.created_at,
    f.modified_at,
    [...new Set((f.provenance ?? []).map((p) => p.actor).filter(Boolean))].join(';'),
    f.suppressed !== undefined,
    f.suppressed?.reason,
    f.conditions.join(' | '),
    (f.exceptions ?? []).join(' | '),
  ]
}

/** Header plus one CRLF-terminated row per finding, in the table's order. */
export function formatCsv(findings: readonly Finding[]): string {
  const lines = [
    CSV_COLUMNS.join(','),
    ...sortFindings(findings).map((f) => row(f).map(csvCell).join(',')),
  ]
  return `${lines.join('\r\n')}\r\n`
}
