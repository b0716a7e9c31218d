/**
 * @module m365/graph
 * Inbox rules through Microsoft Graph with the official SDK (@microsoft/microsoft-graph-client),
 * twenty mailboxes per `$batch` (docs/microsoft-apis.md §3). The SDK's RetryHandler is left out of the
 * middleware chain: its defaults (3 retries, 3 s, up to 180 s; 4.2) would stack under ours, and
 * it never retries batch items anyway. Retries are withRetries' and batchRounds', once. Its
 * HTTPMessageHandler (which calls the global `fetch`) is replaced by `liveTransport`.
 */
import { AuditRunError, InvalidJsonError } from '../errors/errors.ts'
import {
  type BatchResponse,
  batchRounds,
  itemFailed as failed,
  type ItemOutcome,
  itemHeader,
  odataPage,
  responsesById,
} from './batch-rounds.ts'
import { graphCaller, graphErrorOf } from './graph-call.ts'
import { RETRY_STATUSES } from './http.ts'
import { FOLDER_MAILBOXES_PER_BATCH, GRAPH_BATCH_LIMIT, WELL_KNOWN_FOLDERS } from './limits.ts'
import { retryAfterMs } from './retry.ts'
import type { GraphApi, ItemResult, LiveContext, TokenProvider } from './types.ts'

export interface GraphApiOptions {
  /** Graph root, e.g. https://graph.microsoft.com (CloudEndpoints.graph); https only. */
  endpoint: string
  tokens: TokenProvider
  context: LiveContext
}

type Row = Record<string, unknown>

/** A GraphApi that reads `endpoint` with app-only tokens. */
export function graphApi(options: GraphApiOptions): GraphApi {
  const { context: ctx } = options
  const { client, call, host } = graphCaller({ ...options, forbidden: graphNotAllowed })

  const rulesPage = (body: unknown): { value: Row[]; nextLink: string | undefined } => {
    const page = odataPage(body)
    if (!page) throw new InvalidJsonError(host)
    return page
  }

  const settle = async (response: BatchResponse): Promise<ItemOutcome<Row[]>> => {
    const { status, body } = response
    if (status >= 200 && status < 300) {
      const page = odataPage(body)
      if (!page) return failed(status, 'InvalidResponse', 'The item body is not a collection')
      const rows = [...page.value]
      // An item's nextLink is absolute; the SDK takes host and version from an https:// path (4.3).
      for (let link = page.nextLink; link !== undefined; ) {
        const url = link
        const next = await call(
          (options) => client.api(url).middlewareOptions(options).get(),
          rulesPage
        )
        rows.push(...next.value)
        if (next.nextLink === url) {
          throw new AuditRunError('SOURCE_UNAVAILABLE', `${host} sent a page that links to itself`)
        }
        link = next.nextLink
      }
      return { kind: 'done', result: { ok: true, value: rows } }
    }
    const error = graphErrorOf(body, status)
    if (RETRY_STATUSES.has(status)) {
      // Item headers keep whatever case the service used: Retry-After or retry-after (3).
      const retryAfter = retryAfterMs(itemHeader(response.headers, 'retry-after'), ctx.now())
      return { kind: 'retry', status, retryAfterMs: retryAfter, ...error }
    }
    // ErrorAccessDenied on one mailbox: an application access policy may exclude it. A missing
    // permission denies every mailbox; the reader turns that into one PERMISSION_DENIED.
    if (status === 403) {
      return failed(
        status,
        error.code,
        `${error.message} (an application access policy may exclude this mailbox)`
      )
    }
    // 404 MailboxNotEnabledForRESTAPI / ResourceNotFound / ErrorInvalidUser: this mailbox only (1.7).
    return failed(status, error.code, error.message)
  }

  /** One well-known folder (an entity, not a collection), marked with the name it was asked by. */
  const settleFolder = (response: BatchResponse, wellKnownName: string): ItemOutcome<Row[]> => {
    const { status, body } = response
    if (status >= 200 && status < 300) {
      const folder = body as Row | null
      if (!folder || typeof folder !== 'object' || typeof folder.id !== 'string') {
        return failed(status, 'InvalidResponse', 'The item body is not a mail folder')
      }
      return { kind: 'done', result: { ok: true, value: [{ ...folder, wellKnownName }] } }
    }
    // Its predecessor in the mailbox's chain failed: ask again on its own in the next round.
    if (status === 424) return { kind: 'more' }
    if (RETRY_STATUSES.has(status)) {
      const retryAfter = retryAfterMs(itemHeader(response.headers, 'retry-after'), ctx.now())
      return { kind: 'retry', status, retryAfterMs: retryAfter, ...graphErrorOf(body, status) }
    }
    // A mailbox without that folder (404), or no Mail.ReadBasic.All (403): the list decides.
    const error = graphErrorOf(body, status)
    return failed(status, error.code, error.message)
  }

  /** Mail folders of up to FOLDER_MAILBOXES_PER_BATCH mailboxes: per mailbox a chain of five requests (§1.8). */
  const mailFolders = async (mailboxes: string[]): Promise<ItemResult<Row[]>[]> => {
    if (mailboxes.length > FOLDER_MAILBOXES_PER_BATCH) {
      throw new RangeError(
        `mailFolders takes at most ${FOLDER_MAILBOXES_PER_BATCH} mailboxes, got ${mailboxes.length}`
      )
    }
    const per = 1 + WELL_KNOWN_FOLDERS.length
    const select = '$select=id,displayName,parentFolderId,isHidden'
    const items = mailboxes.flatMap((upn, m) => {
      const base = `/users/${encodeURIComponent(upn)}/mailFolders`
      return [
        { m, name: '', url: `${base}?includeHiddenFolders=true&${select}&$top=100` },
        ...WELL_KNOWN_FOLDERS.map((name) => ({ m, name, url: `${base}/${name}?${select}` })),
      ]
    })
    const results = await batchRounds(
      items.length,
      async (indexes) => {
        const present = new Set(indexes)
        // One request at a time per mailbox (Outlook allows four, §4.1): each waits for the last.
        const requests = indexes.map((i) => ({
          id: String(i),
          method: 'GET',
          url: items[i]!.url,
          ...(i % per > 0 && present.has(i - 1) ? { dependsOn: [String(i - 1)] } : {}),
        }))
        const ids = requests.map((request) => request.id)
        const byId = await call(
          (options) => client.api('/$batch').middlewareOptions(options).post({ requests }),
          (json) => responsesById(json, ids, host)
        )
        return Promise.all(
          indexes.map((i) => {
            const response = byId.get(String(i))!
            const name = items[i]!.name
            return name === '' ? settle(response) : settleFolder(response, name)
          })
        )
      },
      'graph',
      ctx
    )
    return mailboxes.map((_, m) => {
      const [list, ...wellKnown] = results.slice(m * per, (m + 1) * per)
      if (!list?.ok) return list as ItemResult<Row[]>
      return {
        ok: true,
        value: [...list.value, ...wellKnown.flatMap((r) => (r.ok ? r.value : []))],
      }
    })
  }

  /** One collection per mailbox, `path` after `/users/{upn}`, twenty mailboxes per `$batch`. */
  const perMailbox = async (
    what: string,
    mailboxes: string[],
    path: string
  ): Promise<ItemResult<Row[]>[]> => {
    if (mailboxes.length > GRAPH_BATCH_LIMIT) {
      throw new RangeError(
        `${what} takes at most ${GRAPH_BATCH_LIMIT} mailboxes, got ${mailboxes.length}`
      )
    }
    return batchRounds(
      mailboxes.length,
      async (indexes) => {
        // Relative urls: "this url is /users" (3). Guest UPNs carry `#EXT#`, hence the encoding.
        const requests = indexes.map((i) => ({
          id: String(i),
          method: 'GET',
          url: `/users/${encodeURIComponent(mailboxes[i]!)}${path}`,
        }))
        const ids = requests.map((request) => request.id)
        const byId = await call(
          (options) => client.api('/$batch').middlewareOptions(options).post({ requests }),
          (json) => responsesById(json, ids, host)
        )
        return Promise.all(indexes.map((i) => settle(byId.get(String(i))!)))
      },
      'graph',
      ctx
    )
  }

  return {
    mailFolders,
    messageRules: (mailboxes) =>
      perMailbox('messageRules', mailboxes, '/mailFolders/inbox/messageRules'),
    // Up to 999 objects a page (2.4); the rare user in more groups follows the nextLink.
    transitiveMemberOf: (mailboxes) =>
      perMailbox('transitiveMemberOf', mailboxes, '/transitiveMemberOf?$top=999'),
  }
}

/** The app cannot read inbox rules at all: the one error a missing permission gives. */
export function graphNotAllowed(cause?: unknown): AuditRunError {
  return new AuditRunError(
    'PERMISSION_DENIED',
    'Graph refused to read inbox rules: grant the Microsoft Graph application permission MailboxSettings.Read and admin-consent it',
    { userFixable: true, cause }
  )
}
