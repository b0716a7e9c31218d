/**
 * @module sources/audit-log/export-file
 * The bytes of a unified-audit-log export to raw records, in every wrapper real exports come
 * in (docs/microsoft-apis.md, 6.2 and 6.3): Search-UnifiedAuditLog or Purview CSV (`AuditData` a
 * JSON string with doubled quotes), PowerShell ConvertTo-Json (one object or an array, CRLF,
 * UTF-8 or UTF-16 with a BOM), JSON lines, and Graph auditLogRecord pages (`{ value: [...] }`).
 * Records are returned as found; normalizeAuditRecord reads each of them.
 */
import Papa from 'papaparse'
import { InvalidInputError } from '../../errors/errors.ts'
import { decodeText } from '../../lib/bytes.ts'
import type { RawAuditRecord } from '../../normalize/raw.ts'

/** The wrapper an export came in, for the summary. */
export type AuditExportFormat = 'csv' | 'json' | 'json-lines'

export interface AuditExport {
  format: AuditExportFormat
  records: RawAuditRecord[]
}

const FIX =
  'export it with Search-UnifiedAuditLog | Export-Csv, ConvertTo-Json -Depth 10, as JSON lines, or from the Graph audit log query API (docs/cli.md#events)'

/**
 * Read an audit-log export; throws INVALID_AUDIT_LOG naming the line or record and the fix.
 * `name` is how the user knows the file (`events audit.csv`).
 * @example
 * const { records } = parseAuditExport(await Deno.readFile('audit.csv'), 'audit.csv')
 */
export function parseAuditExport(input: Uint8Array | string, name = 'audit log'): AuditExport {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeText(input)
  const start = text.trimStart()[0]
  if (start === undefined) throw invalid(`${name} is empty; ${FIX}`)
  if (start === '[' || start === '{') return parseJsonExport(text, name)
  return { format: 'csv', records: parseCsvExport(text, name) }
}

function parseJsonExport(text: string, name: string): AuditExport {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '')
    // One record per line: JSON.parse of the whole fails at the second line.
    if (lines.length > 1 && lines[0]?.trim().startsWith('{')) {
      return { format: 'json-lines', records: parseJsonLines(text, name) }
    }
    throw invalid(`${name} is not valid JSON (${messageOf(error)}); ${FIX}`)
  }
  const page = document as { value?: unknown }
  // A Graph list response: `{ "@odata.context": ..., "value": [auditLogRecord, ...] }`.
  const items = Array.isArray(document)
    ? document
    : Array.isArray(page.value) && !('Operation' in page || 'operation' in page)
      ? page.value
      : [document]
  return {
    format: 'json',
    records: items.map((item, index) => recordAt(item, `${name} [${index}]`)),
  }
}

function parseJsonLines(text: string, name: string): RawAuditRecord[] {
  const records: RawAuditRecord[] = []
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return
    const where = `${name} line ${index + 1}`
    try {
      records.push(recordAt(JSON.parse(line), where))
    } catch (error) {
      if (error instanceof InvalidInputError) throw error
      throw invalid(`${where} is not valid JSON (${messageOf(error)}); ${FIX}`, where)
    }
  })
  return records
}

function recordAt(item: unknown, where: string): RawAuditRecord {
  if (item && typeof item === 'object' && !Array.isArray(item)) return item as RawAuditRecord
  throw invalid(`${where} is not an audit record (an object); ${FIX}`, where)
}

/** Search-UnifiedAuditLog and the Purview portal both export an `AuditData` column. */
function parseCsvExport(text: string, name: string): RawAuditRecord[] {
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    delimiter: ',',
    skipEmptyLines: 'greedy',
  })
  const columns = parsed.meta.fields ?? []
  if (!columns.includes('AuditData')) {
    throw invalid(
      `${name} is not an audit-log export: it is neither JSON nor a CSV with an AuditData column; ${FIX}`
    )
  }
  const error = parsed.errors[0]
  if (error) {
    // A quote error has a character offset; a short row only its record number.
    const index = (error as { index?: number }).index
    const where =
      index !== undefined
        ? `${name} line ${text.slice(0, index).split('\n').length}`
        : error.row === undefined
          ? name
          : `${name} record ${error.row + 1}`
    throw invalid(`${where}: ${error.message.replace(/\.$/, '')}; ${FIX}`, where)
  }
  return parsed.data
}

function invalid(message: string, field?: string): InvalidInputError {
  return new InvalidInputError('INVALID_AUDIT_LOG', message, field)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
