/**
 * @module m365/retry
 * Bounded retries for Microsoft 365 calls. Graph, Exchange and Entra all say "wait Retry-After,
 * else back off" (docs/microsoft-apis.md §4.1); every wait is capped, goes through the injected sleep
 * so tests run in no time, and stops at once when the run's signal aborts.
 */
import { AuditRunError, HttpStatusError, InvalidJsonError, NetworkError } from '../errors/errors.ts'
import { RETRY_STATUSES } from './http.ts'
import type { LiveContext, RetryPolicy } from './types.ts'

type Api = 'graph' | 'exchange' | 'token'

const API_NAMES: Record<Api, string> = {
  graph: 'Microsoft Graph',
  exchange: 'Exchange Online',
  token: 'the Microsoft Entra token endpoint',
}

// Graph sends decimal seconds ("2.128", "0.05"); RFC 9110 allows only integers, so accept both.
const SECONDS = /^\d+(?:\.\d+)?$/
// An HTTP date always has a time of day; Date.parse alone accepts too much ("1", "May").
const HTTP_DATE = /^[A-Za-z]{3,9},? .*\d{1,2}:\d{2}:\d{2}/

/** Milliseconds a Retry-After header asks for: decimal seconds or an HTTP date; undefined if absent or garbage. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  if (SECONDS.test(value)) return Math.round(Number(value) * 1000)
  if (!HTTP_DATE.test(value)) return undefined
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined
}

/** What withRetries needs to know about one failed attempt. */
export interface RetryVerdict {
  retry: boolean
  /** Wait this long (from Retry-After) instead of the computed backoff. */
  delayMs?: number
  /** HTTP status, or what else went wrong; 0 when the failure is not worth retrying. */
  status: number | 'network' | 'invalid_json'
}

/** Classify a failed attempt: throttling and transient faults retry, everything else does not. */
export function classifyFailure(
  error: unknown,
  now: number,
  retryStatus: (status: number) => boolean = (status) => RETRY_STATUSES.has(status)
): RetryVerdict {
  if (error instanceof HttpStatusError) {
    if (!retryStatus(error.status)) return { retry: false, status: error.status }
    const delayMs = retryAfterMs(error.retryAfter, now)
    return delayMs === undefined
      ? { retry: true, status: error.status }
      : { retry: true, status: error.status, delayMs }
  }
  if (error instanceof NetworkError) {
    return { retry: permanentNetworkFault(error.reason) === undefined, status: 'network' }
  }
  if (error instanceof InvalidJsonError) return { retry: true, status: 'invalid_json' }
  return { retry: false, status: 0 }
}

/** Full-jitter exponential backoff for retry number `attempt` (0 = first retry), capped at maxDelayMs. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt))
  return Math.floor(random() * ceiling)
}

/**
 * Run `attempt` until it succeeds, `classify` says the failure is not worth retrying (then that
 * error is thrown as is), or ctx.retry.maxRetries retries are spent (then an AuditRunError).
 */
export async function withRetries<T>(
  api: Api,
  attempt: () => Promise<T>,
  classify: (error: unknown) => RetryVerdict,
  ctx: LiveContext
): Promise<T> {
  for (let retry = 0; ; retry++) {
    if (ctx.signal?.aborted) throw deadline(api, ctx.signal.reason)
    let failure: unknown
    try {
      return await attempt()
    } catch (error) {
      failure = error
    }
    // An aborted fetch rejects with an AbortError; report the deadline, not a network fault.
    if (ctx.signal?.aborted) throw deadline(api, ctx.signal.reason)
    const verdict = classify(failure)
    if (!verdict.retry) throw giveUp(api, failure)
    if (retry >= ctx.retry.maxRetries) throw exhausted(api, verdict, failure, ctx.retry.maxRetries)
    const delayMs = Math.min(
      ctx.retry.maxDelayMs,
      verdict.delayMs ?? backoffMs(retry, ctx.retry, ctx.random)
    )
    ctx.onRetry?.({
      api,
      status: verdict.status,
      delayMs,
      attempt: retry + 1,
      reason: failureReason(verdict, failure),
    })
    try {
      await ctx.sleep(delayMs, ctx.signal)
    } catch (error) {
      if (ctx.signal?.aborted) throw deadline(api, ctx.signal.reason)
      throw error
    }
  }
}

/**
 * Network faults that retrying cannot fix, and what to do instead; undefined for the others.
 * A name that does not resolve and a certificate that does not verify stay so for a minute.
 * A refused connection too: Microsoft 365's endpoints are global front doors that accept
 * connections, so a refusal means a wrong endpoint override, a proxy or a firewall, and eight
 * retries with backoff would only hide that for a minute. A reset or a timeout is retried.
 */
export function permanentNetworkFault(reason: string): string | undefined {
  if (/ENOTFOUND|EAI_NONAME|EAI_FAIL|dns error|failed to lookup|name resolution/i.test(reason)) {
    return 'the name does not resolve: check the endpoint, the DNS or the network'
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|certificate|UnknownIssuer/i.test(reason)) {
    return 'its TLS certificate was not accepted: check the endpoint, or a proxy that intercepts TLS (NODE_EXTRA_CA_CERTS)'
  }
  if (/ECONNREFUSED|Connection refused/i.test(reason)) {
    return 'the connection was refused: check the endpoint override, a proxy or a firewall'
  }
  return undefined
}

function giveUp(api: Api, failure: unknown): unknown {
  if (!(failure instanceof NetworkError)) return failure
  const advice = permanentNetworkFault(failure.reason)
  if (!advice) return failure
  return new AuditRunError(
    'NETWORK_ERROR',
    `could not reach ${API_NAMES[api]} at ${failure.host} (${failure.reason}): ${advice}; not retried, as retrying cannot fix this`,
    { cause: failure }
  )
}

function failureReason(verdict: RetryVerdict, failure: unknown): string {
  if (verdict.status === 'network') {
    const host = hostFrom(failure)
    return `could not reach ${host ?? 'the service'}${reasonFrom(failure)}`
  }
  if (verdict.status === 'invalid_json') return 'incomplete JSON answer'
  return `HTTP ${verdict.status}`
}

function deadline(api: Api, reason: unknown): AuditRunError {
  // The abort reason is the caller's own value (a TimeoutError, a string): safe to keep as cause.
  return new AuditRunError(
    'DEADLINE_EXCEEDED',
    `Stopped waiting for ${API_NAMES[api]}: the audit was cancelled or reached its deadline`,
    { cause: reason }
  )
}

function exhausted(
  api: Api,
  verdict: RetryVerdict,
  error: unknown,
  retries: number
): AuditRunError {
  const host = hostFrom(error)
  const where = host ? `${API_NAMES[api]} at ${host}` : API_NAMES[api]
  const after = `after ${retries} ${retries === 1 ? 'retry' : 'retries'}`
  if (verdict.status === 429) {
    return new AuditRunError(
      'THROTTLED',
      `Microsoft 365 kept throttling ${where} ${after}; lower --concurrency or try later`,
      { cause: error }
    )
  }
  const what =
    verdict.status === 'network'
      ? `could not reach ${where} ${after}${reasonFrom(error)}`
      : verdict.status === 'invalid_json'
        ? `${where} kept returning incomplete JSON ${after}`
        : `${where} kept answering HTTP ${verdict.status} ${after}`
  return new AuditRunError(
    'SOURCE_UNAVAILABLE',
    `Microsoft 365 unavailable: ${what}; check the network or try later`,
    { cause: error }
  )
}

// Read off the error rather than imported classes, so errors from other fetch wrappers that
// carry a `host` are named too.
function hostFrom(error: unknown): string | undefined {
  const host = (error as { host?: unknown } | null)?.host
  return typeof host === 'string' ? host : undefined
}

function reasonFrom(error: unknown): string {
  const reason = (error as { reason?: unknown } | null)?.reason
  if (typeof reason === 'string') return ` (${reason})`
  return error instanceof TypeError ? ` (${error.message.slice(0, 80)})` : ''
}
