/**
 * @module normalize/dates
 * Microsoft timestamps in the forms they arrive: ISO with offset, zone-less ISO (audit
 * `CreationTime`, which is UTC), seven-digit fractions, and PowerShell 5's `/Date(ms)/`.
 */

const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/
const ZONED = /(?:Z|[+-]\d{2}:?\d{2})$/

/** Normalize to an ISO 8601 UTC string, or undefined when the value is not a date. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString()
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const text = value.trim()
  const ms = MS_DATE.exec(text)
  if (ms) return new Date(Number(ms[1])).toISOString()
  // JavaScript keeps at most millisecond precision; .NET writes seven fraction digits.
  const trimmed = text.replace(/(\.\d{3})\d+/, '$1')
  const parsed = Date.parse(ZONED.test(trimmed) ? trimmed : `${trimmed}Z`)
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString()
}
