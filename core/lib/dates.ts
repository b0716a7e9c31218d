/**
 * @module lib/dates
 * ISO 8601 dates as the user and Microsoft write them, read strictly: a day that does not exist
 * (`2026-02-30`, `2026-13-01`, `T24:00`) is no date, where `Date.parse` would quietly roll it
 * into the next month; and a date or date-time without a zone is UTC, everywhere, where
 * `Date.parse` reads a zone-less date-time in the machine's local time.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i

/** Milliseconds since the epoch for an ISO 8601 date or date-time, or undefined when it is none. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO.exec(text.trim())
  if (!m) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  const zone = (m[8] ?? 'Z').toUpperCase()
  let offsetMinutes = 0
  if (zone !== 'Z') {
    const digits = zone.replace(':', '')
    const hours = Number(digits.slice(1, 3))
    const minutes = Number(digits.slice(3, 5))
    if (hours > 23 || minutes > 59) return undefined
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
  }
  // .NET writes seven fraction digits; JavaScript keeps milliseconds.
  const millis = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000
}

/** True when `text` is an ISO 8601 date or date-time that exists. */
export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== undefined
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}
