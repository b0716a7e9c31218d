/**
 * @module sources/live/graph-access
 * Tells a mailbox an application access policy keeps from the app (403 on that one mailbox:
 * skip it, name it) from an app without MailboxSettings.Read (403 on every mailbox: stop once,
 * instead of naming thousands of skipped mailboxes).
 */
import { graphNotAllowed } from '../../m365/graph.ts'
import type { ItemResult } from '../../m365/types.ts'

/** Mailboxes read without one Graph success, some refused, that mean a missing permission. */
const DENIALS_BEFORE_STOP = 50

/** A checker for one scan of `mailboxes` mailboxes; throws PERMISSION_DENIED when access is missing. */
export function graphAccessCheck(mailboxes: number): (results: ItemResult<unknown>[]) => void {
  const needed = Math.min(DENIALS_BEFORE_STOP, mailboxes)
  let seen = 0
  let granted = 0
  let denied = 0
  return (results) => {
    for (const result of results) {
      seen++
      if (result.ok) granted++
      else if (result.status === 403) denied++
    }
    if (granted === 0 && denied > 0 && seen >= needed) throw graphNotAllowed()
  }
}
