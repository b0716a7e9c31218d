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
