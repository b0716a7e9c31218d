/**
 * @module report/formats/escape-report
 * The one place where tenant text meets a format. Every string in a report came from tenant
 * data or was built from it (rule names, addresses, reasons, factor descriptions, the tenant's
 * name, skip reasons), so each format passes the whole report through its one escaping
 * function here, first, and renders the result without escaping anything again.
 *
 * Values of the report's closed sets (finding type, risk level, skip and undated codes, factor
 * category, sweep mode, actor type) pass unchanged when they are one of ours, so formats can look
 * them up; any other value in those fields is escaped like all other text.
 */

import type { AuditReport } from '../../model/findings.ts'
import { FINDING_TYPES, SKIP_CODES, UNDATED_CODES } from '../../model/findings.ts'
import { RISK_TABLE } from '../../risk/risk-table.ts'

const CLOSED_SETS: Readonly<Record<string, ReadonlySet<string>>> = {
  type: new Set<string>(FINDING_TYPES),
  finding_type: new Set<string>(FINDING_TYPES),
  risk_level: new Set(['low', 'medium', 'high', 'critical']),
  code: new Set<string>([...SKIP_CODES, ...UNDATED_CODES]),
  category: new Set(Object.keys(RISK_TABLE)),
  baseline: new Set(['new', 'raised', 'unchanged', 'lowered']),
  baseline_risk_level: new Set(['low', 'medium', 'high', 'critical']),
  kind: new Set(['report', 'snapshot']),
  mode: new Set(['all', 'changed', 'off']),
  requested: new Set(['all', 'changed', 'off']),
  actor_type: new Set(['user', 'admin', 'service', 'application']),
}

/** The report with every string value (not key) passed through `escapeText`. */
export function escapeReport(
  report: AuditReport,
  escapeText: (text: string) => string
): AuditReport {
  return escapeValue(report, escapeText, '') as AuditReport
}

function escapeValue(value: unknown, escapeText: (text: string) => string, key: string): unknown {
  if (typeof value === 'string') return CLOSED_SETS[key]?.has(value) ? value : escapeText(value)
  if (Array.isArray(value)) return value.map((item) => escapeValue(item, escapeText, key))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value)) out[name] = escapeValue(item, escapeText, name)
  return out
}
