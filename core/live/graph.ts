/**
 * @module live/graph
 * Inbox rules through Microsoft Graph with the official SDK (@microsoft/microsoft-graph-client),
 * twenty mailboxes per `$batch` (microsoft-apis.md 3). The SDK's RetryHandler is left out of the
 * middleware chain: its defaults (3 retries, 3 s, up to 180 s; 4.2) would stack under ours, and
 * it never retries batch items anyway. Retries are withRetries' and batchRounds', once.
 *
 * The SDK calls the global `fetch` (HTTPMessageHandler, 4.2), not LiveContext.fetch.
 */
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  HTTPMessageHandler,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client'
import { AuditRunError } from '../errors.ts'
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
import {
  classifyFailure,
  HttpStatusError,
  hostOf,
  InvalidJsonError,
  NetworkError,
  RETRY_STATUSES,
} from './http-failures.ts'
import { retryAfterMs, withRetries } from './retry.ts'
import type { GraphApi, ItemResult, LiveContext, TokenProvider } from './types.ts'

export interface GraphApiOptions {
  /** Graph root, e.g. https://graph.microsoft.com (CloudEndpoints.graph); https only. */
  endpoint: string
  tokens: TokenProvider
  context: LiveContext
}

type Row = Record<string, unknown>

/** "JSON batch requests are currently limited to 20 individual requests" (3). */
const MAX_BATCH = 20

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
      new HTTPMessageHandler(),
    ],
  })

  /**
   * One SDK request with the checked 2xx body; transient faults retried, a 401 re-authenticated
   * once. The token is fetched before the SDK runs and handed to it per request: inside its
   * middleware a token failure would come out as a GraphError with the AuditRunError lost.
   */
  const call = <T>(
    request: (auth: AuthenticationHandlerOptions) => Promise<unknown>,
    check: (body: unknown) => T
  ): Promise<T> =>
    withFreshToken(tokens, root, graphTokenRejected, () =>
      withRetries(
        'graph',
        async () => {
          const token = await tokens.token(root, ctx.signal)
          const auth = new AuthenticationHandlerOptions({ getAccessToken: async () => token })
          let body: unknown
          try {
            body = await request(auth)
          } catch (error) {
            throw fromSdkError(error, host)
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
      if (!page) return failed(status, 'InvalidResponse', 'The item body is not a rule collection')
      const rows = [...page.value]
      // An item's nextLink is absolute; the SDK takes host and version from an https:// path (4.3).
      for (let link = page.nextLink; link !== undefined; ) {
        const url = link
        const next = await call(
          (auth) => client.api(url).middlewareOptions([auth]).get(),
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

  return {
    async messageRules(mailboxes): Promise<ItemResult<Row[]>[]> {
      if (mailboxes.length > MAX_BATCH) {
        throw new RangeError(
          `messageRules takes at most ${MAX_BATCH} mailboxes, got ${mailboxes.length}`
        )
      }
      return batchRounds(
        mailboxes.length,
        async (indexes) => {
          // Relative urls: "this url is /users" (3). Guest UPNs carry `#EXT#`, hence the encoding.
          const requests = indexes.map((i) => ({
            id: String(i),
            method: 'GET',
            url: `/users/${encodeURIComponent(mailboxes[i]!)}/mailFolders/inbox/messageRules`,
          }))
          const ids = requests.map((request) => request.id)
          const byId = await call(
            (auth) => client.api('/$batch').middlewareOptions([auth]).post({ requests }),
            (json) => responsesById(json, ids, host)
          )
          return Promise.all(indexes.map((i) => settle(byId.get(String(i))!)))
        },
        'graph',
        ctx
      )
    },
  }
}

/**
 * The SDK turns every failure into a GraphError (4.3): `statusCode` -1 with the cause's name as
 * `code` when fetch itself failed, the HTTP status otherwise, `code: 'SyntaxError'` when a 2xx
 * body did not parse. Map them onto http-failures' classes so withRetries treats them like ours.
 */
function fromSdkError(error: unknown, host: string): unknown {
  const sdk = error as {
    statusCode?: unknown
    code?: unknown
    message?: unknown
    headers?: unknown
  }
  if (typeof sdk?.statusCode !== 'number') return error
  if (sdk.code === 'TypeError') {
    const reason = typeof sdk.message === 'string' && sdk.message ? sdk.message : 'fetch failed'
    return new NetworkError(host, reason.slice(0, 80))
  }
  if (sdk.code === 'SyntaxError') return new InvalidJsonError(host)
  // -1 with AbortError: withRetries sees the aborted signal and reports the deadline.
  if (sdk.statusCode < 100) return error
  const headers = sdk.headers instanceof Headers ? sdk.headers : undefined
  const body = { error: { code: sdk.code, message: sdk.message } }
  const failure = new HttpStatusError(
    host,
    sdk.statusCode,
    headers?.get('retry-after') ?? null,
    body
  )
  if (sdk.statusCode === 401 || RETRY_STATUSES.has(sdk.statusCode)) return failure
  if (sdk.statusCode === 403) return graphNotAllowed(body)
  const { code, message } = graphErrorOf(body, sdk.statusCode)
  const text = `Microsoft Graph answered HTTP ${sdk.statusCode} (${code}): ${message}`
  return new AuditRunError('SOURCE_UNAVAILABLE', text, { cause: failure })
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
