/**
 * @module m365/batch-rounds
 * Per-item retries for `$batch` calls. Graph and Exchange answer a batch 200 whatever its items
 * say, throttle items one by one, and leave their retry to the client: "retry all the failed
 * requests in a new batch after the longest retry-after value" (docs/microsoft-apis.md §3). So a batch
 * runs in rounds: each round sends the items still open, and only those.
 */
import { AuditRunError, HttpStatusError, InvalidJsonError } from '../errors/errors.ts'
import { backoffMs } from './retry.ts'
import type { ItemResult, LiveContext } from './types.ts'

/** What one sub-response means for its item. */
export type ItemOutcome<T> =
  /** Finished: a value or an error the caller sees. */
  | { kind: 'done'; result: ItemResult<T> }
  /** Another page to fetch: send again in the next round, no wait, no retry spent. */
  | { kind: 'more' }
  /** Throttled or briefly unavailable: send again after the round's longest Retry-After. */
  | {
      kind: 'retry'
      status: number
      retryAfterMs: number | undefined
      code: string
      message: string
    }

const SERVICE = { graph: 'Microsoft Graph', exchange: 'Exchange Online' } as const

/**
 * Settle `count` items in rounds. `round(indexes)` sends those items in one batch (whole-call
 * retries are its business) and returns their outcomes in the same order. An item throttled
 * more than ctx.retry.maxRetries times ends as an item error, so one hot mailbox does not sink
 * the other nineteen.
 */
export async function batchRounds<T>(
  count: number,
  round: (indexes: number[]) => Promise<ItemOutcome<T>[]>,
  api: 'graph' | 'exchange',
  ctx: LiveContext
): Promise<ItemResult<T>[]> {
  const results: Array<ItemResult<T> | undefined> = new Array(count)
  const retries: number[] = new Array(count).fill(0)
  let pending = Array.from({ length: count }, (_, i) => i)
  for (let wave = 0; pending.length > 0; ) {
    const outcomes = await round(pending)
    const next: number[] = []
    let wait: number | undefined
    let status: number | undefined
    pending.forEach((index, k) => {
      const outcome = outcomes[k]
      if (!outcome) throw new Error(`batch round returned no outcome for item ${index}`)
      if (outcome.kind === 'done') results[index] = outcome.result
      else if (outcome.kind === 'more') next.push(index)
      else if ((retries[index] ?? 0) >= ctx.retry.maxRetries) {
        results[index] = {
          ok: false,
          status: outcome.status,
          code: outcome.code,
          message: `${outcome.message} (still failing after ${ctx.retry.maxRetries} retries)`,
        }
      } else {
        retries[index] = (retries[index] ?? 0) + 1
        next.push(index)
        if (status === undefined || outcome.status === 429) status = outcome.status
        if (outcome.retryAfterMs !== undefined) wait = Math.max(wait ?? 0, outcome.retryAfterMs)
      }
    })
    if (status !== undefined) {
      const delayMs = Math.min(ctx.retry.maxDelayMs, wait ?? backoffMs(wave, ctx.retry, ctx.random))
      ctx.onRetry?.({ api, status, delayMs })
      await pause(delayMs, api, ctx)
      wave++
    }
    pending = next.sort((a, b) => a - b)
  }
  return results as ItemResult<T>[]
}

/** An item that is done and failed: it goes back to the caller as an ItemResult error. */
export function itemFailed<T>(status: number, code: string, message: string): ItemOutcome<T> {
  return { kind: 'done', result: { ok: false, status, code, message } }
}

/** A sub-response header by name: item headers are a plain object, not case-normalised (3). */
export function itemHeader(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== null && value !== undefined) return String(value)
  }
  return undefined
}

async function pause(ms: number, api: 'graph' | 'exchange', ctx: LiveContext): Promise<void> {
  try {
    if (ctx.signal?.aborted) throw ctx.signal.reason
    await ctx.sleep(ms, ctx.signal)
  } catch (error) {
    if (!ctx.signal?.aborted) throw error
    // Worded like withRetries' own deadline error, which covers every other wait.
    throw new AuditRunError(
      'DEADLINE_EXCEEDED',
      `Stopped waiting for ${SERVICE[api]}: the audit was cancelled or reached its deadline`,
      { cause: ctx.signal.reason }
    )
  }
}

/** One sub-response of a `$batch`: `{ id, status, headers, body }` (3, 5.5). */
export interface BatchResponse {
  id: string
  status: number
  headers?: unknown
  body?: unknown
}

/**
 * A batch's responses by id: they come in any order (3). A missing item means a broken answer,
 * retried like truncated JSON; an item 401 is thrown as one, so the whole batch gets a new token.
 */
export function responsesById(
  json: unknown,
  ids: string[],
  host: string
): Map<string, BatchResponse> {
  const responses = (json as { responses?: unknown } | null)?.responses
  if (!Array.isArray(responses)) throw new InvalidJsonError(host)
  const byId = new Map<string, BatchResponse>()
  for (const item of responses as Array<BatchResponse | null>) {
    if (item && typeof item.id === 'string' && typeof item.status === 'number')
      byId.set(item.id, item)
  }
  if (ids.some((id) => !byId.has(id))) throw new InvalidJsonError(host)
  if ([...byId.values()].some((item) => item.status === 401)) {
    throw new HttpStatusError(host, 401, null, null)
  }
  return byId
}

/** An OData collection page: `value` rows and the `@odata.nextLink`, if any; undefined if not one. */
export function odataPage(
  json: unknown
): { value: Record<string, unknown>[]; nextLink: string | undefined } | undefined {
  const body = json as { value?: unknown; '@odata.nextLink'?: unknown } | null
  if (!body || typeof body !== 'object' || !Array.isArray(body.value)) return undefined
  const link = body['@odata.nextLink']
  const nextLink = typeof link === 'string' && link ? link : undefined
  return { value: body.value as Record<string, unknown>[], nextLink }
}
