/**
 * @module m365/context
 * The runtime-neutral default LiveContext: the platform's `fetch`, timers that stop on abort,
 * Math.random for backoff jitter and Date.now. Node, Deno and workerd all have these, so an
 * adapter takes it as is and overrides only what it must (its deadline signal, a logger).
 */
import type { LiveContext, RetryPolicy } from './types.ts'

/** Retry settings for real tenants: Graph asks for waits of seconds, Exchange of tens of seconds. */
export const DEFAULT_RETRY: Readonly<RetryPolicy> = {
  maxRetries: 8,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
}

/**
 * A LiveContext with the runtime's defaults; `overrides` replace any part.
 * @example
 * const context = liveContext({ signal: AbortSignal.timeout(120_000) })
 */
export function liveContext(overrides: Partial<LiveContext> = {}): LiveContext {
  return {
    // Looked up at call time, so a runtime (or a test) that replaces fetch later is honoured.
    fetch: (input, init) => globalThis.fetch(input, init),
    sleep: abortableSleep,
    random: Math.random,
    now: Date.now,
    retry: DEFAULT_RETRY,
    ...overrides,
  }
}

/** Wait `ms`, or reject with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
