/**
 * @module report/formats/status
 * The connection check as text for a terminal: one line per check, and the fix under each
 * that is missing. Mailbox names and service messages pass through `neutralize`.
 */
import type { ConnectionStatus } from '../../sources/live/check.ts'
import { neutralize } from './safe-text.ts'

const MARK = { granted: 'ok     ', missing: 'MISSING', unknown: 'unknown' } as const

/** The connection status as lines of text. */
export function formatStatus(status: ConnectionStatus): string {
  const lines = [`tenant ${neutralize(status.tenant)}`]
  for (const check of status.checks) {
    const optional = check.required ? '' : ' (optional)'
    lines.push(`${MARK[check.status]}  ${check.name}${optional}: ${neutralize(check.detail)}`)
    if (check.status !== 'granted' && check.fix)
      lines.push(`         fix: ${neutralize(check.fix)}`)
  }
  lines.push(
    status.ok
      ? 'ready: the app can run a live audit'
      : 'not ready: grant what is missing, then run this again'
  )
  return `${lines.join('\n')}\n`
}
