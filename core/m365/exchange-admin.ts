/**
 * @module m365/exchange-admin
 * The Exchange Online admin REST API that ExchangeOnlineManagement v3 uses (docs/microsoft-apis.md §5):
 * `InvokeCommand` runs one cmdlet, `$batch` up to ten. Rows come back raw, annotation keys
 * (`X@odata.type`) included; the normalizers skip keys containing `@` (5.3).
 */
import { AuditRunError, HttpStatusError, InvalidJsonError } from '../errors/errors.ts'
import {
  type BatchResponse,
  batchRounds,
  itemFailed as failed,
  type ItemOutcome,
  itemHeader,
  odataPage,
  responsesById,
} from './batch-rounds.ts'
import {
  cmdletNotAllowed,
  ExchangeCommandError,
  exchangeFailure,
  exchangeTokenRejected,
  isConcurrencyThrottle,
} from './exchange-errors.ts'
import { withFreshToken } from './fresh-token.ts'
import { hostOf, RETRY_STATUSES, readJson, readText, send } from './http.ts'
import { EXCHANGE_BATCH_LIMIT, EXCHANGE_PAGE_SIZE } from './limits.ts'
import { classifyFailure, type RetryVerdict, retryAfterMs, withRetries } from './retry.ts'
import type { ExchangeAdmin, ItemResult, LiveContext, TokenProvider } from './types.ts'

export interface ExchangeAdminOptions {
  /** Exchange Online root, e.g. https://outlook.office365.com (CloudEndpoints.exchange). */
  endpoint: string
  /** Tenant GUID or initial `*.onmicrosoft.com` domain: the `{tenant}` path segment (5.1). */
  tenantId: string
  tokens: TokenProvider
  context: LiveContext
  /** Rows per page, sent as `Prefer: odata.maxpagesize`; default EXCHANGE_PAGE_SIZE (5.1). */
  pageSize?: number
}

type Row = Record<string, unknown>
type Call = Parameters<ExchangeAdmin['invokeBatch']>[0][number]

/** App-only calls are routed by this system mailbox (CIPP, ExoHelper; 5.1). */
const ANCHOR_MAILBOX = 'APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@'

/** An ExchangeAdmin that calls `endpoint` for `tenantId` with app-only tokens. */
export function exchangeAdmin(options: ExchangeAdminOptions): ExchangeAdmin {
  const { tokens, context: ctx } = options
  const root = options.endpoint.replace(/\/+$/, '')
  const origin = new URL(root).origin
  const host = hostOf(root)
  const base = `${root}/adminapi/beta/${encodeURIComponent(options.tenantId)}`
  const headers = (cmdlet?: string): Record<string, string> => ({
    'Content-Type': 'application/json',
    Accept: 'application/json',
    'X-AnchorMailbox': ANCHOR_MAILBOX + options.tenantId,
    Prefer: `odata.maxpagesize=${options.pageSize ?? EXCHANGE_PAGE_SIZE}`,
    ...(cmdlet ? { 'X-CmdletName': cmdlet } : {}),
  })
  const invokeUrl = (select?: string[]) =>
    select?.length
      ? `${base}/InvokeCommand?$select=${select.map(encodeURIComponent).join(',')}`
      : `${base}/InvokeCommand`

  // The concurrency throttle is plain text and not always a 429 (ExoHelper retries on the text).
  const classify = (error: unknown): RetryVerdict => {
    if (error instanceof HttpStatusError && isConcurrencyThrottle(error.body)) {
      const delayMs = retryAfterMs(error.retryAfter, ctx.now())
      return delayMs === undefined
        ? { retry: true, status: 429 }
        : { retry: true, status: 429, delayMs }
    }
    return classifyFailure(error, ctx.now())
  }

  /** POST JSON and return the checked 2xx body; transient faults retried, a 401 re-authenticated once. */
  const post = <T>(
    url: string,
    body: unknown,
    cmdlets: string[],
    check: (body: unknown) => T,
    cmdletHeader?: string
  ) =>
    withFreshToken(tokens, root, exchangeTokenRejected, () =>
      withRetries(
        'exchange',
        async () => {
          const token = await tokens.token(root, ctx.signal)
          const response = await send(ctx, url, {
            method: 'POST',
            headers: { ...headers(cmdletHeader), Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          })
          if (response.ok) return check(await readJson(response, host))
          const failure = new HttpStatusError(
            host,
            response.status,
            response.headers.get('retry-after'),
            await readErrorBody(response, host)
          )
          if (failure.status === 401 || classify(failure).retry) throw failure
          // A 403 body is NUL bytes: nothing to read, the role is missing (5.4).
          if (failure.status === 403) throw cmdletNotAllowed(cmdlets)
          throw new ExchangeCommandError(
            cmdlets.join(', '),
            failure.status,
            exchangeFailure(failure.body, failure.status)
          )
        },
        classify,
        ctx
      )
    )

  /** A nextLink on our own endpoint: the token never goes to a host the user did not configure. */
  const nextUrl = (link: string, current: string): string => {
    const url = new URL(link, root)
    const next = `${origin}${url.pathname}${url.search}`
    // A page linking to itself would loop forever.
    if (next === current)
      throw new AuditRunError('SOURCE_UNAVAILABLE', `${host} sent a page that links to itself`)
    return next
  }

  const settle = (
    state: { call: Call; url: string; rows: Row[] },
    response: BatchResponse
  ): ItemOutcome<Row[]> => {
    const { status, body } = response
    if (status >= 200 && status < 300) {
      const page = odataPage(body)
      if (!page) return failed(status, 'InvalidResponse', 'The item body is not an OData envelope')
      state.rows.push(...page.value)
      if (page.nextLink === undefined)
        return { kind: 'done', result: { ok: true, value: state.rows } }
      state.url = nextUrl(page.nextLink, state.url)
      return { kind: 'more' }
    }
    const throttled = status === 429 || isConcurrencyThrottle(body)
    if (throttled || RETRY_STATUSES.has(status)) {
      return {
        kind: 'retry',
        status: throttled ? 429 : status,
        retryAfterMs: retryAfterMs(itemHeader(response.headers, 'retry-after'), ctx.now()),
        code: throttled ? 'TooManyRequests' : 'ServiceUnavailable',
        message: typeof body === 'string' && body.trim() ? body.trim() : `HTTP ${status}`,
      }
    }
    // A missing role is not a per-mailbox problem: stop the run with the fix.
    if (status === 403) throw cmdletNotAllowed([state.call.cmdlet])
    const failure = exchangeFailure(body, status)
    return failed(status, failure.code, failure.message)
  }

  return {
    async invoke(cmdlet, parameters, select) {
      const body = cmdletInput(cmdlet, parameters)
      const rows: Row[] = []
      let url = invokeUrl(select)
      // Paging re-POSTs the same body to the nextLink (CIPP New-ExoRequest, 5.3).
      for (;;) {
        const page = await post(
          url,
          body,
          [cmdlet],
          (json) => {
            const page = odataPage(json)
            if (!page) throw new InvalidJsonError(host)
            return page
          },
          cmdlet
        )
        rows.push(...page.value)
        if (page.nextLink === undefined) return rows
        url = nextUrl(page.nextLink, url)
      }
    },

    async invokeBatch(calls): Promise<ItemResult<Row[]>[]> {
      if (calls.length > EXCHANGE_BATCH_LIMIT) {
        throw new RangeError(
          `invokeBatch takes at most ${EXCHANGE_BATCH_LIMIT} cmdlets, got ${calls.length}`
        )
      }
      const states = calls.map((call) => ({ call, url: invokeUrl(call.select), rows: [] as Row[] }))
      return batchRounds(
        calls.length,
        async (indexes) => {
          const requests = indexes.map((i) => {
            const { call, url } = states[i]!
            // Absolute url and per-item headers, as New-ExoBulkRequest sends them (5.5).
            return {
              id: String(i),
              method: 'POST',
              url,
              body: cmdletInput(call.cmdlet, call.parameters),
              headers: headers(call.cmdlet),
            }
          })
          const cmdlets = [...new Set(indexes.map((i) => states[i]!.call.cmdlet))]
          const ids = requests.map((request) => request.id)
          const byId = await post(`${base}/$batch`, { requests }, cmdlets, (json) =>
            responsesById(json, ids, host)
          )
          return indexes.map((i) => settle(states[i]!, byId.get(String(i))!))
        },
        'exchange',
        ctx
      )
    },
  }
}

/** `{"CmdletInput":{"CmdletName","Parameters"}}`; Parameters always an object, never null (5.1). */
function cmdletInput(cmdlet: string, parameters: Record<string, unknown>) {
  return { CmdletInput: { CmdletName: cmdlet, Parameters: parameters ?? {} } }
}

/** An error body: JSON when it parses, else the text (plain-text throttle, NUL-filled 403). */
async function readErrorBody(response: Response, host: string): Promise<unknown> {
  const text = await readText(response, host)
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
