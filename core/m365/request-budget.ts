/**
 * @module m365/request-budget
 * A cap on the Microsoft 365 requests one connection may send. Edge runtimes cap the outgoing
 * requests (subrequests) of one incoming request (Cloudflare Workers: 50 on the free plan,
 * 10,000 on paid) and fail the whole request once it is passed. Counting here, in the one
 * transport every token, Graph and Exchange call goes through, lets an audit stop at the cap
 * with what it read, and lets a scan be planned against it before it starts.
 */
import { AuditRunError } from '../errors/errors.ts'

/** A connection's cap on requests, and how many it has sent. */
export interface RequestBudget {
  /** The most requests this connection may send. */
  readonly limit: number
  /** Requests sent so far, retries and pages included. */
  used(): number
}

/**
 * Wrap `fetch` so that it sends at most `limit` requests; the next one throws
 * SUBREQUEST_BUDGET_EXCEEDED without leaving the runtime.
 */
export function budgetedFetch(
  fetch: typeof globalThis.fetch,
  limit: number
): { fetch: typeof globalThis.fetch; budget: RequestBudget } {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`a request budget must be a whole number of at least 1, not ${limit}`)
  }
  let used = 0
  const counted: typeof globalThis.fetch = (input, init) => {
    if (used >= limit) return Promise.reject(budgetSpent(limit))
    used++
    return fetch(input, init)
  }
  return { fetch: counted, budget: { limit, used: () => used } }
}

/** The error for a budget spent mid-run: the scan stops there and reports what it read. */
export function budgetSpent(limit: number): AuditRunError {
  return new AuditRunError(
    'SUBREQUEST_BUDGET_EXCEEDED',
    `the budget of ${limit} Microsoft 365 requests per audit was spent`,
    { userFixable: true }
  )
}
