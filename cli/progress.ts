/**
 * @module cli/progress
 * Progress on stderr for long runs: a rewriting line on a terminal, a line every 10% otherwise.
 * Short runs (under 200 mailboxes) print nothing. Retries are said as they happen.
 */
import type { AuditProgress, LiveContext } from '../core/index.ts'

const MIN_TOTAL = 200

/** A progress callback that writes to `stream`. */
export function progressReporter(stream: NodeJS.WriteStream): (progress: AuditProgress) => void {
  let lastDecile = -1
  return ({ done, total }) => {
    if (total === undefined || total < MIN_TOTAL) return
    if (stream.isTTY) {
      stream.write(`\rscanning mailboxes: ${done}/${total}${done === total ? '\n' : ''}`)
      return
    }
    const decile = Math.floor((done / total) * 10)
    if (decile !== lastDecile) {
      lastDecile = decile
      stream.write(`scanning mailboxes: ${done}/${total}\n`)
    }
  }
}

const API_NAMES = {
  graph: 'Microsoft Graph',
  exchange: 'Exchange Online',
  token: 'Microsoft Entra',
}

/**
 * A LiveContext `onRetry` that says on `stream` what is being retried, so a run that cannot
 * reach Microsoft 365 does not wait in silence. Every network retry is shown; throttling,
 * which a large tenant meets all the time, once per service and then every 20th time.
 */
export function retryReporter(stream: NodeJS.WriteStream): NonNullable<LiveContext['onRetry']> {
  const throttled = new Map<string, number>()
  return ({ api, status, delayMs, attempt, reason }) => {
    if (typeof status === 'number') {
      const seen = (throttled.get(api) ?? 0) + 1
      throttled.set(api, seen)
      if (seen !== 1 && seen % 20 !== 0) return
    }
    const what = reason ?? (typeof status === 'number' ? `HTTP ${status}` : status)
    const count =
      typeof status === 'number' && (throttled.get(api) ?? 0) > 1
        ? ` (${throttled.get(api)} so far)`
        : ''
    stream.write(
      `retrying ${API_NAMES[api]} in ${(delayMs / 1000).toFixed(1)} s${attempt ? ` (retry ${attempt})` : ''}: ${what}${count}\n`
    )
  }
}
