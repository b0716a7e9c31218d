/**
 * @module cli/node-context
 * What the live clients need from Node: its fetch (which honours NODE_EXTRA_CA_CERTS), timers
 * that stop on abort, randomness for backoff jitter, the clock.
 */
import { DEFAULT_RETRY } from '../core/live/connect.ts'
import type { LiveContext } from '../core/live/types.ts'

/** A LiveContext for the command line; `signal` is the --deadline, if any. */
export function nodeContext(signal?: AbortSignal): LiveContext {
  return {
    fetch: globalThis.fetch,
    sleep: (ms, abort) =>
      new Promise((resolve, reject) => {
        if (abort?.aborted) return reject(abort.reason)
        const timer = setTimeout(resolve, ms)
        abort?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            reject(abort.reason)
          },
          { once: true }
        )
      }),
    random: Math.random,
    now: Date.now,
    retry: DEFAULT_RETRY,
    ...(signal ? { signal } : {}),
  }
}
