import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AuditRunError,
  HttpStatusError,
  InvalidJsonError,
  NetworkError,
} from '../../core/errors/errors.ts'
import { readJson, send } from '../../core/m365/http.ts'
import { backoffMs, classifyFailure, retryAfterMs, withRetries } from '../../core/m365/retry.ts'
import { getToken, useSimulator } from '../simulator/test-helpers.ts'
import { abortableSleep, fakeContext, START } from './fake-context.ts'

const HOST = 'graph.microsoft.com'
const throttled = (retryAfter: string | null = null) =>
  new HttpStatusError(HOST, 429, retryAfter, { error: { code: 'TooManyRequests' } })

/** An attempt that throws the given failures in turn, then returns 'ok'. */
function failing(...failures: unknown[]) {
  let calls = 0
  const attempt = async () => {
    const failure = failures[calls++]
    if (failure !== undefined) throw failure
    return 'ok'
  }
  return { attempt, calls: () => calls }
}

async function rejection(promise: Promise<unknown>): Promise<AuditRunError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(AuditRunError)
  return error as AuditRunError
}

const classify = (now: () => number) => (error: unknown) => classifyFailure(error, now())

describe('retryAfterMs', () => {
  it('reads decimal seconds the way Graph sends them', () => {
    expect(retryAfterMs('2.128', START)).toBe(2128)
    expect(retryAfterMs('0.05', START)).toBe(50)
    expect(retryAfterMs('3', START)).toBe(3000)
    expect(retryAfterMs(' 1 ', START)).toBe(1000)
    expect(retryAfterMs('0', START)).toBe(0)
  })

  it('reads an HTTP date as the time left until it', () => {
    expect(retryAfterMs(new Date(START + 4000).toUTCString(), START)).toBe(4000)
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:07 GMT', START)).toBe(7000)
  })

  it('reads a date in the past as "now"', () => {
    expect(retryAfterMs(new Date(START - 60_000).toUTCString(), START)).toBe(0)
  })

  it('is undefined when absent or garbage', () => {
    for (const value of [
      undefined,
      null,
      '',
      '  ',
      'soon',
      '-1',
      '1e3',
      'NaN',
      'May',
      '2.',
      '.5',
    ]) {
      expect(retryAfterMs(value, START), String(value)).toBeUndefined()
    }
  })
})

describe('backoffMs', () => {
  const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 5_000 }

  it('doubles the ceiling each retry, with full jitter', () => {
    expect(backoffMs(0, policy, () => 0)).toBe(0)
    expect(backoffMs(0, policy, () => 0.5)).toBe(50)
    expect(backoffMs(1, policy, () => 0.5)).toBe(100)
    expect(backoffMs(3, policy, () => 0.5)).toBe(400)
  })

  it('never exceeds maxDelayMs, however many retries', () => {
    expect(backoffMs(10, policy, () => 0.999_999)).toBeLessThan(5_000)
    expect(backoffMs(1_000, policy, () => 0.5)).toBe(2_500)
  })

  it('stays within [0, min(max, base * 2^attempt)) for any draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        (attempt, draw, base, max) => {
          const delay = backoffMs(
            attempt,
            { maxRetries: 1, baseDelayMs: base, maxDelayMs: max },
            () => draw
          )
          expect(Number.isInteger(delay)).toBe(true)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThan(Math.max(1, Math.min(max, base * 2 ** attempt)))
        }
      )
    )
  })
})

describe('withRetries', () => {
  it('returns the first success without waiting', async () => {
    const { ctx, sleeps } = fakeContext()
    await expect(withRetries('graph', async () => 42, classify(ctx.now), ctx)).resolves.toBe(42)
    expect(sleeps).toEqual([])
  })

  it('waits the decimal Retry-After of a 429, then retries', async () => {
    const { ctx, sleeps, retries } = fakeContext()
    const { attempt, calls } = failing(throttled('2.128'), throttled('0.05'))
    await expect(withRetries('graph', attempt, classify(ctx.now), ctx)).resolves.toBe('ok')
    expect(calls()).toBe(3)
    expect(sleeps).toEqual([2128, 50])
    expect(retries).toMatchObject([
      { api: 'graph', status: 429, delayMs: 2128 },
      { api: 'graph', status: 429, delayMs: 50 },
    ])
  })

  it('waits until an HTTP-date Retry-After', async () => {
    const { ctx, sleeps } = fakeContext()
    const { attempt } = failing(throttled(new Date(START + 3000).toUTCString()))
    await withRetries('exchange', attempt, classify(ctx.now), ctx)
    expect(sleeps).toEqual([3000])
  })

  it('caps a long Retry-After at maxDelayMs', async () => {
    const { ctx, sleeps } = fakeContext()
    await withRetries('graph', failing(throttled('120')).attempt, classify(ctx.now), ctx)
    expect(sleeps).toEqual([5_000])
  })

  it('backs off exponentially when there is no Retry-After', async () => {
    const { ctx, sleeps } = fakeContext()
    const { attempt } = failing(throttled(), throttled(), throttled())
    await withRetries('graph', attempt, classify(ctx.now), ctx)
    expect(sleeps).toEqual([50, 100, 200])
  })

  it('gives up on throttling after maxRetries with THROTTLED and the fix', async () => {
    const { ctx, sleeps } = fakeContext()
    const { attempt, calls } = failing(...Array.from({ length: 10 }, () => throttled('1')))
    const error = await rejection(withRetries('graph', attempt, classify(ctx.now), ctx))
    expect(calls()).toBe(4)
    expect(sleeps).toHaveLength(3)
    expect(error.code).toBe('THROTTLED')
    expect(error.message).toBe(
      'Microsoft 365 kept throttling Microsoft Graph at graph.microsoft.com after 3 retries; lower --concurrency or try later'
    )
    expect(error.cause).toBeInstanceOf(HttpStatusError)
  })

  it('gives up on 503/504 with SOURCE_UNAVAILABLE', async () => {
    const { ctx } = fakeContext({ retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 } })
    const unavailable = () => new HttpStatusError('outlook.office365.com', 503, null, undefined)
    const { attempt, calls } = failing(unavailable(), unavailable())
    const error = await rejection(withRetries('exchange', attempt, classify(ctx.now), ctx))
    expect(calls()).toBe(2)
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(error.message).toBe(
      'Microsoft 365 unavailable: Exchange Online at outlook.office365.com kept answering HTTP 503 after 1 retry; check the network or try later'
    )
  })

  it('retries dropped connections, then names the host in SOURCE_UNAVAILABLE', async () => {
    const { ctx, retries } = fakeContext({
      retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 },
    })
    const drop = () => new NetworkError('login.microsoftonline.com', 'ECONNRESET')
    const error = await rejection(
      withRetries('token', failing(drop(), drop(), drop()).attempt, classify(ctx.now), ctx)
    )
    expect(retries.map((r) => r.status)).toEqual(['network', 'network'])
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(error.message).toBe(
      'Microsoft 365 unavailable: could not reach the Microsoft Entra token endpoint at login.microsoftonline.com after 2 retries (ECONNRESET); check the network or try later'
    )
  })

  it('throws a failure that is not worth retrying as is, at once', async () => {
    const { ctx, sleeps } = fakeContext()
    const forbidden = new HttpStatusError(HOST, 403, null, { error: { code: 'ErrorAccessDenied' } })
    const bug = new RangeError('a bug')
    for (const failure of [forbidden, bug]) {
      const { attempt, calls } = failing(failure)
      await expect(withRetries('graph', attempt, classify(ctx.now), ctx)).rejects.toBe(failure)
      expect(calls()).toBe(1)
    }
    expect(sleeps).toEqual([])
  })

  it('makes a single attempt when maxRetries is 0', async () => {
    const { ctx } = fakeContext({ retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } })
    const error = await rejection(
      withRetries('graph', failing(throttled()).attempt, classify(ctx.now), ctx)
    )
    expect(error.message).toContain('after 0 retries')
  })

  describe('abort', () => {
    it('does not start when the signal is already aborted', async () => {
      const controller = new AbortController()
      controller.abort()
      const { ctx } = fakeContext({ signal: controller.signal })
      const { attempt, calls } = failing()
      const error = await rejection(withRetries('graph', attempt, classify(ctx.now), ctx))
      expect(error.code).toBe('DEADLINE_EXCEEDED')
      expect(calls()).toBe(0)
    })

    it('stops when the signal aborts during an attempt, without retrying', async () => {
      const controller = new AbortController()
      const { ctx, sleeps } = fakeContext({ signal: controller.signal })
      let calls = 0
      const attempt = async () => {
        calls++
        controller.abort()
        throw new DOMException('This operation was aborted', 'AbortError')
      }
      const error = await rejection(withRetries('graph', attempt, classify(ctx.now), ctx))
      expect(error.code).toBe('DEADLINE_EXCEEDED')
      expect([calls, sleeps.length]).toEqual([1, 0])
    })

    it('stops at once when the signal aborts while waiting out a Retry-After', async () => {
      const controller = new AbortController()
      const { ctx } = fakeContext({ signal: controller.signal, sleep: abortableSleep })
      const { attempt, calls } = failing(throttled('60'), throttled('60'))
      setTimeout(() => controller.abort(new Error('deadline')), 20)
      const started = performance.now()
      const error = await rejection(withRetries('graph', attempt, classify(ctx.now), ctx))
      // Far short of the 60 s asked for, whatever else the machine is doing.
      expect(performance.now() - started).toBeLessThan(10_000)
      expect(error.code).toBe('DEADLINE_EXCEEDED')
      expect(error.message).toBe(
        'Stopped waiting for Microsoft Graph: the audit was cancelled or reached its deadline'
      )
      expect(calls()).toBe(1)
    })
  })
})

describe('classifyFailure', () => {
  it('retries 429, 503 and 504 with their Retry-After, not other statuses', () => {
    const at = (status: number, retryAfter: string | null = null) =>
      classifyFailure(new HttpStatusError(HOST, status, retryAfter, undefined), START)
    expect(at(429, '1.5')).toEqual({ retry: true, status: 429, delayMs: 1500 })
    expect(at(503)).toEqual({ retry: true, status: 503 })
    expect(at(504, 'garbage')).toEqual({ retry: true, status: 504 })
    for (const status of [400, 401, 403, 404, 500, 502, 509]) {
      expect(at(status)).toEqual({ retry: false, status })
    }
  })

  it('takes a caller rule for which statuses are transient', () => {
    const error = new HttpStatusError('login.microsoftonline.com', 500, null, undefined)
    expect(classifyFailure(error, START, (status) => status >= 500).retry).toBe(true)
  })

  it('retries network and JSON failures, not other errors', () => {
    expect(classifyFailure(new NetworkError(HOST, 'ECONNRESET'), START)).toEqual({
      retry: true,
      status: 'network',
    })
    expect(classifyFailure(new InvalidJsonError(HOST), START).status).toBe('invalid_json')
    // The transport wraps fetch's TypeError; a raw one is a bug in our code, not a network fault.
    expect(classifyFailure(new TypeError('x is not a function'), START).retry).toBe(false)
    expect(classifyFailure(new Error('x'), START)).toEqual({ retry: false, status: 0 })
    expect(classifyFailure(new AuditRunError('AUTH_FAILED', 'x'), START).retry).toBe(false)
  })
})

describe('send and readJson against the simulator', () => {
  const dropping = useSimulator({ faults: { rate: 1, kinds: ['drop'] } })
  const truncating = useSimulator({ faults: { rate: 1, kinds: ['truncate'] } })
  const flaky = useSimulator({ faults: { rate: 0.5, kinds: ['drop', 'truncate', '429'], seed: 7 } })

  async function getUsers(sim: ReturnType<typeof dropping>, token: string, maxRetries = 2) {
    const { ctx, retries } = fakeContext({ retry: { maxRetries, baseDelayMs: 1, maxDelayMs: 5 } })
    const url = `${sim.graphEndpoint}/v1.0/users?$select=id`
    const host = new URL(url).host
    const run = withRetries(
      'graph',
      async () => {
        const response = await send(ctx, url, { headers: { Authorization: `Bearer ${token}` } })
        if (!response.ok) {
          throw new HttpStatusError(
            host,
            response.status,
            response.headers.get('retry-after'),
            null
          )
        }
        return readJson(response, host)
      },
      classify(ctx.now),
      ctx
    )
    return { run, retries, host }
  }

  it('a dropped connection is retried, then reported by host without the token', async () => {
    const token = await getToken(dropping(), 'graph')
    const { run, host } = await getUsers(dropping(), token)
    const error = await rejection(run)
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(error.message).toMatch(
      new RegExp(
        `^Microsoft 365 unavailable: could not reach Microsoft Graph at ${host} after 2 retries \\(`
      )
    )
    expect(dropping().requests.faults.drop).toBe(3)
    for (const text of [error.message, String(error), JSON.stringify(error), String(error.cause)]) {
      expect(text).not.toContain(token)
      expect(text).not.toContain('$select')
    }
  })

  it('a truncated body is retried, then reported as incomplete JSON', async () => {
    const token = await getToken(truncating(), 'graph')
    const { run, host } = await getUsers(truncating(), token, 1)
    const error = await rejection(run)
    expect(error.message).toBe(
      `Microsoft 365 unavailable: Microsoft Graph at ${host} kept returning incomplete JSON after 1 retry; check the network or try later`
    )
    expect(error.cause).toBeInstanceOf(InvalidJsonError)
  })

  it('a flaky connection gets through within the retry budget', async () => {
    const token = await getToken(flaky(), 'graph')
    const { run, retries } = await getUsers(flaky(), token, 8)
    const body = (await run) as { value: unknown[] }
    expect(body.value.length).toBeGreaterThan(0)
    expect(retries.length).toBeGreaterThan(0)
  })
})
