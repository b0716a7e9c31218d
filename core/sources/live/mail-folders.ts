/**
 * @module sources/live/mail-folders
 * Graph names the folder a rule moves mail to only by id, so a rule read from Graph alone
 * cannot say it hides mail in RSS Feeds or Deleted Items. This asks Graph for the folders of the
 * few mailboxes that need it: a forwarding rule from Graph alone moves mail to a folder id
 * nobody has named (docs/microsoft-apis.md §1.8). It needs Mail.ReadBasic.All, which an audit
 * need not have: without it the folders stay ids and the summary says so.
 */

import { optionalList } from '../../lib/lists.ts'
import { FOLDER_MAILBOXES_PER_BATCH } from '../../m365/limits.ts'
import type { GraphApi } from '../../m365/types.ts'
import { folderIndex } from '../../normalize/mail-folders.ts'
import { unnamedMoveTargets } from '../../normalize/mailbox-rules.ts'
import type { RawGraphMessageRule, RawMailFolder } from '../../normalize/raw.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import { chunks } from './pool.ts'

const NOT_ALLOWED =
  'rule folders not named: Microsoft Graph refused to list mail folders; grant the application permission Mail.ReadBasic.All so rules read from Graph alone name the folder they move mail to'

/** True when `entry`'s rules come from Graph alone and move mail to a folder id not yet named. */
export function needsFolderNames(entry: SnapshotMailboxEntry): boolean {
  if (entry.unreadable || optionalList(entry.exchangeInboxRules)) return false
  const graph = optionalList(entry.graphInboxRules) as RawGraphMessageRule[] | undefined
  return unnamedMoveTargets(graph, folderIndex(entry.mailFolders)).length > 0
}

/**
 * Read the folders of the entries that need them into their `mailFolders`; returns, per entry,
 * what could not be read (the same text for every mailbox one cause leaves unnamed).
 */
export async function nameRuleFolders(
  graph: GraphApi,
  entries: SnapshotMailboxEntry[]
): Promise<string[][]> {
  const warnings = entries.map((): string[] => [])
  const needed = entries.flatMap((entry, i) => (needsFolderNames(entry) ? [i] : []))
  await Promise.all(
    chunks(needed, FOLDER_MAILBOXES_PER_BATCH).map(async (batch) => {
      const results = await graph.mailFolders(
        batch.map((i) => (entries[i] as SnapshotMailboxEntry).mailbox.UserPrincipalName)
      )
      results.forEach((result, k) => {
        const i = batch[k] as number
        const entry = entries[i] as SnapshotMailboxEntry
        if (result.ok) entry.mailFolders = result.value as RawMailFolder[]
        else if (result.status === 403) warnings[i]?.push(NOT_ALLOWED)
        else
          warnings[i]?.push(
            `rule folders not named: Microsoft Graph ${result.code}: ${result.message}`
          )
      })
    })
  )
  return warnings
}
