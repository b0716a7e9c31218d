/**
 * @module test/live/fake-context
 * A LiveContext for tests: a clock that only moves when told (or when the fake sleep "waits"),
 * a sleep that returns at once but records what it was asked, and a log of onRetry calls.
 */
import type { LiveContext } from '../../core/m365/types.ts'

export type RetryInfo = Parameters<NonNullable<LiveContext['onRetry']>>[0]

export interface FakeContext {
  ctx: LiveContext
  /** Every delay passed to ctx.sleep, in order. */
  sleeps: number[]
  retries: RetryInfo[]
  /** Move the fake clock forward. */
  advance(ms: number): void
}

// A whole second, so HTTP dates (second precision) line up exactly.
export const START = Date.parse('2026-03-02T09:00:00Z')

export function fakeContext(overrides: Partial<LiveContext> = {}): FakeContext {
  let clock = START
  const sleeps: number[] = []
  const retries: RetryInfo[] = []
  const ctx: LiveContext = {
    fetch: (input, init) => fetch(input, init),
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      clock += ms
      signal?.throwIfAborted()
    },
    random: () => 0.5,
    now: () => clock,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 5_000 },
    onRetry: (info) => retries.push(info),
    ...overrides,
  }
  return {
    ctx,
    sleeps,
    retries,
    advance: (ms) => {
      clock += ms
    },
  }
}

/** A real sleep that ends early when `signal` aborts: the default context's own. */
export { abortableSleep } from '../../core/m365/context.ts'
