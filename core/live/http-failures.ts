/**
 * @module live/http-failures
 * The transient failures of a Microsoft 365 call, as values withRetries can classify: a status
 * worth retrying, a dropped connection, a body cut short. `send` and `readJson` turn fetch's
 * generic TypeError / SyntaxError into these, so the error also names the host (never a URL
 * with a query, never a header) and a bug in the caller is not mistaken for a network fault.
 */
import { retryAfterMs } from './retry.ts'
import type { LiveContext } from './types.ts'

/** What withRetries needs to know about one failed attempt. */
export interface RetryVerdict {
  retry: boolean
  /** Wait this long (from Retry-After) instead of the computed backoff. */
  delayMs?: number
  /** HTTP status, or 0 when the failure is not an HTTP answer at all. */
  status: number | 'network' | 'invalid_json'
}

/** An HTTP answer the caller did not want, thrown inside an attempt so it can be retried. */
export class HttpStatusError extends Error {
  constructor(
    readonly host: string,
    readonly status: number,
    /** The raw Retry-After header, if any. */
    readonly retryAfter: string | null,
    /** The parsed JSON body (or text) for the caller's error mapping; never a request. */
    readonly body: unknown
  ) {
    super(`${host} answered HTTP ${status}`)
    this.name = 'HttpStatusError'
  }
}

/** The connection failed or dropped before a whole response arrived. */
export class NetworkError extends Error {
  constructor(
    readonly host: string,
    /** A short reason such as ECONNRESET, for the message; the raw error is not kept. */
    readonly reason: string
  ) {
    super(`could not reach ${host} (${reason})`)
    this.name = 'NetworkError'
  }
}

/** A 2xx response whose body was not valid JSON: a stream cut short by a proxy or the service. */
export class InvalidJsonError extends Error {
  constructor(readonly host: string) {
    super(`${host} returned incomplete JSON`)
    this.name = 'InvalidJsonError'
  }
}

/** Statuses Graph and Exchange document as "try again later" (microsoft-apis.md 4.1, 4.2). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503, 504])

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
  // Raw TypeError / SyntaxError too: clients built on other fetch wrappers (the Graph SDK)
  // surface a dropped connection and a truncated body only this way.
  if (error instanceof NetworkError || error instanceof TypeError) {
    return { retry: true, status: 'network' }
  }
  if (error instanceof InvalidJsonError || error instanceof SyntaxError) {
    return { retry: true, status: 'invalid_json' }
  }
  return { retry: false, status: 0 }
}

/** fetch through the context, with the run's abort signal, turning a dropped connection into NetworkError. */
export async function send(ctx: LiveContext, url: string, init: RequestInit): Promise<Response> {
  const signal = init.signal ?? ctx.signal
  try {
    return await ctx.fetch(url, signal ? { ...init, signal } : init)
  } catch (error) {
    if (error instanceof TypeError) throw new NetworkError(hostOf(url), networkReason(error))
    throw error
  }
}

/** Read a body as text; a connection cut mid-body is a NetworkError. */
export async function readText(response: Response, host: string): Promise<string> {
  try {
    return await response.text()
  } catch (error) {
    if (error instanceof TypeError) throw new NetworkError(host, networkReason(error))
    throw error
  }
}

/** Read a JSON body; a cut connection is NetworkError, broken JSON InvalidJsonError. */
export async function readJson(response: Response, host: string): Promise<unknown> {
  const text = await readText(response, host)
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidJsonError(host)
  }
}

/** `host[:port]` of a URL: safe to show, unlike a full URL that may carry a query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the configured endpoint'
  }
}

/**
 * A short reason for a network TypeError: Node's undici hides the useful part (ECONNRESET,
 * ENOTFOUND, UND_ERR_SOCKET) in `cause.code`; other runtimes only have the message.
 */
export function networkReason(error: TypeError): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
  const detail = typeof cause?.code === 'string' ? cause.code : error.message
  return detail.replace(/\s+/g, ' ').slice(0, 80) || 'connection failed'
}
