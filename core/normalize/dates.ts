/**
 * @module normalize/dates
 * Microsoft timestamps in the forms they arrive: ISO with offset, zone-less ISO (audit
 * `CreationTime`, which is UTC), seven-digit fractions, and PowerShell 5's `/Date(ms)/`. A date
 * that does not exist (`2026-02-30`) is not a date.
 */

import { parseIsoDate } from '../lib/dates.ts'

const MS_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/

/** Normalize to an ISO 8601 UTC string, or undefined when the value is not a date. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString()
  if (typeof value !== 'string' || value.trim() === '') return undefined
  const text = value.trim()
  const ms = MS_DATE.exec(text)
  if (ms) return new Date(Number(ms[1])).toISOString()
  // Strict: no zone means UTC, and a day that does not exist is no date (lib/dates.ts).
  const parsed = parseIsoDate(text)
  return parsed === undefined ? undefined : new Date(parsed).toISOString()
}
