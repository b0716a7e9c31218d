/**
 * @module cli/progress
 * Progress on stderr for long runs: a rewriting line on a terminal, a line every 10% otherwise.
 * Short runs (under 200 mailboxes) print nothing.
 */
import type { AuditProgress } from '../core/index.ts'

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
