/**
 * @module m365/http
 * The one transport every Microsoft 365 call goes through: the live context's `fetch`, the
 * run's abort signal, and fetch's lost connections / SyntaxError turned into NetworkError and
 * InvalidJsonError, which name the host (never a URL with a query, never a header), so a bug in
 * the caller is not mistaken for a network fault. Tokens, Exchange and the Graph SDK all use it.
 */
import { AuditError, InvalidJsonError, NetworkError } from '../errors/errors.ts'
import type { LiveContext } from './types.ts'

/** Statuses Graph and Exchange document as "try again later" (docs/microsoft-apis.md §4.1, 4.2). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 503, 504])

/** fetch through the context, with the run's abort signal, turning a dropped connection into NetworkError. */
export async function send(
  ctx: Pick<LiveContext, 'fetch' | 'signal'>,
  url: string,
  init: RequestInit
): Promise<Response> {
  const signal = init.signal ?? ctx.signal
  try {
    return await ctx.fetch(url, signal ? { ...init, signal } : init)
  } catch (error) {
    if (isLostConnection(error, signal)) throw new NetworkError(hostOf(url), networkReason(error))
    throw error
  }
}

/**
 * Whether fetch failed because the connection did: a TypeError on Node and Deno, but a plain
 * Error ("Network connection lost.") on workerd. Our own errors (a spent request budget) and
 * an abort (the deadline) are not.
 */
function isLostConnection(error: unknown, signal: AbortSignal | undefined | null): error is Error {
  if (error instanceof TypeError) return true
  if (!(error instanceof Error) || error instanceof AuditError || signal?.aborted) return false
  return (
    error.name === 'Error' &&
    /network connection lost|connection (reset|closed)/i.test(error.message)
  )
}

/** Read a body as text; a connection cut mid-body is a NetworkError. */
export async function readText(response: Response, host: string): Promise<string> {
  try {
    return await response.text()
  } catch (error) {
    if (isLostConnection(error, undefined)) throw new NetworkError(host, networkReason(error))
    throw error
  }
}

/** Read a JSON body; a cut connection is NetworkError, broken JSON InvalidJsonError. */
export async function readJson(response: Response, host: string): Promise<unknown> {
  return parseJsonBody(await readText(response, host), host)
}

/** Parse a body already read; broken JSON is InvalidJsonError. */
export function parseJsonBody(text: string, host: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidJsonError(host)
  }
}

/** An error body: JSON when it parses, else the text (plain-text throttle, NUL-filled 403). */
export async function readErrorBody(response: Response, host: string): Promise<unknown> {
  const text = await readText(response, host)
  try {
    return JSON.parse(text)
  } catch {
    return text
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
export function networkReason(error: Error): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause
  const detail = typeof cause?.code === 'string' ? cause.code : error.message
  return detail.replace(/\s+/g, ' ').slice(0, 80) || 'connection failed'
}
