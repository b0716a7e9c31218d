/**
 * @module report/formats
 * One entry point that turns an audit report into text for people (table, markdown), for tools
 * (json, csv) and for GitHub code scanning (sarif). Adapters pick the format; none re-renders.
 */
import { InvalidInputError } from '../../errors/errors.ts'
import type { AuditReport, Finding } from '../../model/findings.ts'
import { formatCsv } from './csv.ts'
import { formatJson } from './json.ts'
import { formatMarkdown } from './markdown.ts'
import { neutralize } from './safe-text.ts'
import { formatSarif, type SarifLocation } from './sarif.ts'
import { formatTable } from './table.ts'

/** Every output format the CLI, worker and action can produce. */
export type OutputFormat = 'table' | 'json' | 'csv' | 'markdown' | 'sarif'

/** The formats in the order help text lists them. */
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'csv', 'markdown', 'sarif']

/** Knobs for the formats that use them; every other format ignores them. */
export interface FormatOptions {
  /** table: ANSI colours. */
  color?: boolean
  /** table: terminal columns to fit (default 100). */
  width?: number
  /** table, markdown: factor lines under every finding, not only the high and critical ones. */
  explain?: boolean
  /** sarif: `tool.driver.semanticVersion`. */
  toolVersion?: string
  /** sarif: repo-relative path of a committed file every result points at. */
  artifactUri?: string
  /** sarif: where a finding sits in the repository (its snapshot line); else `artifactUri`. */
  locate?: (finding: Finding) => SarifLocation | undefined
}

/** True when `value` names an output format (for flags and request fields). */
export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && (OUTPUT_FORMATS as readonly string[]).includes(value)
}

/**
 * Render the report in the given format; throws INVALID_REQUEST for an unknown format.
 * @example
 * await Deno.writeTextFile('report.sarif', formatReport(report, 'sarif', { toolVersion: '1.0.0' }))
 */
export function formatReport(
  report: AuditReport,
  format: OutputFormat,
  options: FormatOptions = {}
): string {
  switch (format) {
    case 'table':
      return formatTable(report, options)
    case 'json':
      return formatJson(report)
    case 'csv':
      return formatCsv(report.data.findings)
    case 'markdown':
      return formatMarkdown(report, options)
    case 'sarif':
      return formatSarif(report, options)
    default:
      // Reached only from untyped callers (a CLI flag, a JSON body) that skipped isOutputFormat.
      throw new InvalidInputError(
        'INVALID_REQUEST',
        `Unknown output format '${neutralize(String(format))}'; use one of: ${OUTPUT_FORMATS.join(', ')}.`,
        'format'
      )
  }
}

export { formatCsv, formatJson, formatMarkdown, formatSarif, formatTable }
