/**
 * @module m365/limits
 * Microsoft's own batch limits, named once (docs/microsoft-apis.md §3, 5.5).
 */

/** "JSON batch requests are currently limited to 20 individual requests" (Graph `$batch`, 3). */
export const GRAPH_BATCH_LIMIT = 20

/** Requests per Exchange admin `$batch`, as CIPP's New-ExoBulkRequest chunks them (5.5). */
export const EXCHANGE_BATCH_LIMIT = 10

/** Rows per Exchange admin page we ask for (`Prefer: odata.maxpagesize`), as CIPP sends (5.1). */
export const EXCHANGE_PAGE_SIZE = 1000

/**
 * Mailboxes one unit of a live scan reads: `--batch` rounded up to whole Graph batches. 20 is
 * also two whole Exchange batches, so no unit sends a batch shorter than Microsoft allows, and a
 * small `--batch` cannot multiply the requests (a unit of 7 would send batches of 7).
 */
export function scanUnitSize(batch: number): number {
  return Math.ceil(Math.max(1, batch) / GRAPH_BATCH_LIMIT) * GRAPH_BATCH_LIMIT
}

/**
 * Well-known folders a mailbox's folder lookup asks for by name, whatever its language (§1.8):
 * the ones the folder factors judge. RSS Feeds has no well-known name in v1.0; its display name
 * comes with the top-level list.
 */
export const WELL_KNOWN_FOLDERS = ['deleteditems', 'junkemail', 'conversationhistory', 'archive']

/** A folder lookup is the list plus one request per well-known folder, chained per mailbox. */
export const FOLDER_MAILBOXES_PER_BATCH = Math.floor(
  GRAPH_BATCH_LIMIT / (1 + WELL_KNOWN_FOLDERS.length)
)
