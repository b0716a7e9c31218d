/**
 * @module worker/limits/rate-limit
 * Requests per caller per minute, counted in this isolate's memory (a fixed window). It stops
 * one caller from flooding one isolate; a platform-wide limit is the platform's job (Cloudflare
 * rate limiting rules, Deno Deploy's own limits), which this does not replace.
 */
import { ApiError } from '../http/errors.ts'

export interface RateLimiter {
  /** Count one request for `caller`; throws RATE_LIMITED (429, Retry-After) past the limit. */
  take(caller: string): void
}

const WINDOW_MS = 60_000

/** A limiter of `perMinute` requests per caller; 0 turns it off. */
export function rateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  let window = -1
  let counts = new Map<string, number>()
  return {
    take(caller) {
      if (perMinute <= 0) return
      const current = Math.floor(now() / WINDOW_MS)
      // A new window forgets the old one's callers: memory stays bounded by one minute's.
      if (current !== window) {
        window = current
        counts = new Map()
      }
      const count = (counts.get(caller) ?? 0) + 1
      counts.set(caller, count)
      if (count > perMinute) {
        const retryAfter = Math.max(1, Math.ceil(((current + 1) * WINDOW_MS - now()) / 1000))
        throw new ApiError(
          'RATE_LIMITED',
          `more than ${perMinute} requests a minute from this caller: try again in ${retryAfter} s`,
          {
            headers: { 'Retry-After': String(retryAfter) },
            details: { retry_after_seconds: retryAfter },
          }
        )
      }
    },
  }
}
