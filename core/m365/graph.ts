/**
 * @module m365/graph
 * Inbox rules through Microsoft Graph with the official SDK (@microsoft/microsoft-graph-client),
 * twenty mailboxes per `$batch` (docs/microsoft-apis.md §3). The SDK's RetryHandler is left out of the
 * middleware chain: its defaults (3 retries, 3 s, up to 180 s; 4.2) would stack under ours, and
 * it never retries batch items anyway. Retries are withRetries' and batchRounds', once. Its
 * HTTPMessageHandler (which calls the global `fetch`) is replaced by `liveTransport`.
 */
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client'
import {
  AuditError,
  AuditRunError,
  HttpStatusError,
  InternalError,
  InvalidJsonError,
} from '../errors/errors.ts'
import {
  type BatchResponse,
  batchRounds,
  itemFailed as failed,
  type ItemOutcome,
  itemHeader,
  odataPage,
  responsesById,
} from './batch-rounds.ts'
import { withFreshToken } from './fresh-token.ts'
import { liveTransport, TransportSlot } from './graph-transport.ts'
import { hostOf, RETRY_STATUSES } from './http.ts'
import { FOLDER_MAILBOXES_PER_BATCH, GRAPH_BATCH_LIMIT, WELL_KNOWN_FOLDERS } from './limits.ts'
import { classifyFailure, retryAfterMs, withRetries } from './retry.ts'
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
  const { tokens, context: ctx } = options
  const root = options.endpoint.replace(/\/+$/, '')
  const host = hostOf(root)
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: 'v1.0',
    // The SDK attaches Authorization only for Graph hosts or customHosts, matched by hostname
    // without port (4.3); naming ours is a no-op for graph.microsoft.com and needed elsewhere.
    customHosts: new Set([new URL(root).hostname]),
    fetchOptions: {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      // Node's fetch sends `accept-language: *`, which some Graph workloads reject (4.4).
      headers: { 'Accept-Language': 'en-US' },
    },
    middleware: [
      new AuthenticationHandler({ getAccessToken: () => tokens.token(root, ctx.signal) }),
      new TelemetryHandler(),
      liveTransport(ctx),
    ],
  })

  /**
   * One SDK request with the checked 2xx body; transient faults retried, a 401 re-authenticated
   * once. The token is fetched before the SDK runs and handed to it per request: inside its
   * middleware a token failure would come out as a GraphError with the AuditRunError lost.
   */
  const call = <T>(
    request: (options: [AuthenticationHandlerOptions, TransportSlot]) => Promise<unknown>,
    check: (body: unknown) => T
  ): Promise<T> =>
    withFreshToken(tokens, root, graphTokenRejected, () =>
      withRetries(
        'graph',
        async () => {
          const token = await tokens.token(root, ctx.signal)
          const auth = new AuthenticationHandlerOptions({ getAccessToken: async () => token })
          const slot = new TransportSlot()
          let body: unknown
          try {
            body = await request([auth, slot])
          } catch (error) {
            throw graphFailure(slot.failure ?? error, host)
          }
          return check(body)
        },
        (error) => classifyFailure(error, ctx.now()),
        ctx
      )
    )

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

/**
 * What a failed Graph request means, from the failure the transport left (an HttpStatusError,
 * NetworkError, InvalidJsonError or the abort) or, failing that, from the SDK's own GraphError
 * by its status: 401 and transient statuses go back to the retry loops, 403 is a missing
 * permission, any other status is Graph refusing the request.
 */
function graphFailure(error: unknown, host: string): unknown {
  if (error instanceof AuditError) {
    if (!(error instanceof HttpStatusError)) return error
    if (error.status === 401 || RETRY_STATUSES.has(error.status)) return error
    if (error.status === 403) return graphNotAllowed(error.body)
    const { code, message } = graphErrorOf(error.body, error.status)
    const text = `Microsoft Graph answered HTTP ${error.status} (${code}): ${message}`
    return new AuditRunError('SOURCE_UNAVAILABLE', text, { cause: error })
  }
  // Not from our transport: an abort (withRetries reports the deadline) or the SDK failing on
  // an answer the transport accepted, which is Graph sending something we cannot read.
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  if (typeof status === 'number' && status >= 100) {
    return graphFailure(new HttpStatusError(host, status, null, undefined), host)
  }
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return error
  return new InternalError(error)
}

/** `{"error":{"code","message"}}` (1.7), with fallbacks for an empty or foreign body. */
function graphErrorOf(body: unknown, status: number): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error
  return {
    code: typeof error?.code === 'string' && error.code ? error.code : `HTTP${status}`,
    message:
      typeof error?.message === 'string' && error.message
        ? error.message
        : `Microsoft Graph answered HTTP ${status}`,
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

function graphTokenRejected(cause: unknown): AuditRunError {
  return new AuditRunError(
    'AUTH_FAILED',
    "Microsoft Graph rejected the app's token: check the tenant ID, client ID and credential, and that the Graph endpoint is in the same cloud as the token authority",
    { userFixable: true, cause }
  )
}
