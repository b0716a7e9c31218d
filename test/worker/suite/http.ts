/**
 * @module test/worker/suite/http
 * The HTTP contract around the audit: the body (JSON only, 64 KiB counted on the bytes read,
 * chunked too), one error shape, secure headers, CORS only for listed origins, request ids
 * in headers and logs, the per-caller rate limit, the unauthenticated endpoints.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../harness/client.ts'
import { CORS_ORIGIN } from '../harness/fixtures.ts'

const LIMIT = 64 * 1024
const AUDIT = '/api/v1/bec/forwarding-audit'

/** `{"all_users":true}` padded with spaces to exactly `size` bytes: valid JSON of that size. */
const paddedBody = (size: number) => {
  const json = '{"all_users":true}'
  return json + ' '.repeat(size - json.length)
}

/** A body sent as a stream: no Content-Length, Transfer-Encoding: chunked. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + 8192))
      offset += 8192
    },
  })
}

export function httpCases(ctx: SuiteContext) {
  const token = (sub: string, claims = {}) =>
    ctx.fixtures().issuer.token({ sub: `${ctx.runtime}-http-${sub}`, ...claims })

  describe('the request body', () => {
    it.each([
      [
        'a field of the wrong type',
        { all_users: 'yes' },
        'all_users',
        /`all_users` must be true or false/,
      ],
      [
        'an unknown field (no request names a tenant)',
        { all_users: true, tenant: 'x' },
        'tenant',
        /unknown field `tenant`/,
      ],
      [
        'user and all_users together',
        { all_users: true, user: 'a@contoso.com' },
        'user',
        /exclude each other/,
      ],
      [
        'more parallel scans than the edge allows',
        { all_users: true, concurrency: 40 },
        'concurrency',
        /at most 10 here/,
      ],
    ])('%s is a 400 naming the field', async (_what, body, field, message) => {
      const reply = await ctx.audit('demo', body, await token('invalid'))
      expect(reply.status, reply.text).toBe(400)
      expect(reply.json.error).toMatchObject({ code: 'INVALID_REQUEST', details: { field } })
      expect(reply.json.error.message).toMatch(message)
    })

    it.each([
      ['malformed JSON', '{"all_users": tru', /not valid JSON/],
      ['an empty body', '', /empty/],
      ['JSON that is not an object', '[1,2]', /must be a JSON object/],
    ])('%s is a 400 that does not echo the body', async (_what, body, message) => {
      const reply = await ctx.call('demo', AUDIT, {
        body: body || ' ',
        token: await token('malformed'),
        headers: { 'Content-Type': 'application/json' },
      })
      expect(reply.status, reply.text).toBe(400)
      expect(reply.json.error.code).toBe('INVALID_REQUEST')
      expect(reply.json.error.message).toMatch(message)
      if (body) expect(reply.text).not.toContain(body)
    })

    it.each([
      ['text/plain', { 'Content-Type': 'text/plain' }],
      ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
      ['JSON in another charset', { 'Content-Type': 'application/json; charset=latin1' }],
      ['no Content-Type', {}],
    ])('%s is a 415', async (_what, headers) => {
      const reply = await ctx.call('demo', AUDIT, {
        body: '{"all_users":true}',
        token: await token('media'),
        headers,
      })
      expect(reply.status, reply.text).toBe(415)
      expect(reply.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    })

    it('a body of exactly 64 KiB is read; one byte more is a 413', async () => {
      const headers = { 'Content-Type': 'application/json' }
      const fits = await ctx.call('demo', AUDIT, {
        body: paddedBody(LIMIT),
        token: await token('size'),
        headers,
      })
      expect(fits.status, fits.text).toBe(200)
      const over = await ctx.call('demo', AUDIT, {
        body: paddedBody(LIMIT + 1),
        token: await token('size'),
        headers,
      })
      expect(over.status, over.text).toBe(413)
      expect(over.json.error).toMatchObject({
        code: 'BODY_TOO_LARGE',
        details: { limit_bytes: LIMIT },
      })
    })

    it('a chunked body without Content-Length is held to the same 64 KiB, counted as read', async () => {
      const headers = { 'Content-Type': 'application/json' }
      const fits = await ctx.call('demo', AUDIT, {
        body: chunked(paddedBody(LIMIT)),
        duplex: 'half',
        token: await token('chunked'),
        headers,
      })
      expect(fits.status, fits.text).toBe(200)
      // One byte over: the worker answers 413 once it has read past the limit, and with
      // nothing left to send the client reads that answer instead of a reset connection.
      const over = await ctx.call('demo', AUDIT, {
        body: chunked(paddedBody(LIMIT + 1)),
        duplex: 'half',
        token: await token('chunked'),
        headers,
      })
      expect(over.status, over.text).toBe(413)
    })
  })

  describe('every response', () => {
    it('unknown paths and methods are a 404 in the same error shape', async () => {
      for (const [path, method] of [
        ['/api/v1/bec/other', 'GET'],
        [AUDIT, 'GET'],
        [`${AUDIT}/`, 'POST'],
      ] as const) {
        const reply = await ctx.call('demo', path, { method, token: await token('404') })
        expect(reply.status, `${method} ${path}`).toBe(404)
        expect(reply.json.error.code).toBe('NOT_FOUND')
      }
    })

    it('carries the secure headers, on success and on error alike', async () => {
      const ok = await ctx.audit('demo', { all_users: true }, await token('headers'))
      const denied = await ctx.audit('demo', { all_users: true }, 'nope')
      for (const reply of [ok, denied]) {
        expect(reply.headers.get('content-security-policy')).toBe(
          "default-src 'none'; frame-ancestors 'none'"
        )
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff')
        expect(reply.headers.get('x-frame-options')).toBe('DENY')
        expect(reply.headers.get('strict-transport-security')).toMatch(/max-age=\d+/)
        expect(reply.headers.get('referrer-policy')).toBe('no-referrer')
        expect(reply.headers.get('cache-control')).toBe('no-store')
        expect(reply.headers.get('content-type')).toMatch(/^application\/json/)
        expect(reply.headers.get('x-powered-by')).toBeNull()
      }
    })

    it('has a request id, which the log line of that request carries', async () => {
      const reply = await ctx.audit('demo', { all_users: true }, await token('request-id'))
      const id = reply.headers.get('x-request-id') ?? ''
      expect(id).toMatch(/^[\w-]{8,}$/)
      await expect
        .poll(() =>
          ctx
            .fixtures()
            .runtimes[ctx.runtime].lines.filter((line) => line.includes(`"request_id":"${id}"`))
        )
        .toEqual([expect.stringMatching(/"msg":"request".*"status":200/)])
      const line = ctx
        .fixtures()
        .runtimes[ctx.runtime].lines.find((l) => l.includes(`"request_id":"${id}"`)) as string
      expect(JSON.parse(line)).toMatchObject({ level: 'info', method: 'POST', path: AUDIT })
    })

    it('keeps a caller-supplied request id only when it is safe to log', async () => {
      const kept = await ctx.call('demo', '/healthz', {
        headers: { 'X-Request-Id': 'soar-run-42' },
      })
      expect(kept.headers.get('x-request-id')).toBe('soar-run-42')
      const replaced = await ctx.call('demo', '/healthz', {
        headers: { 'X-Request-Id': 'x","level":"error' },
      })
      expect(replaced.headers.get('x-request-id')).not.toContain('"')
    })
  })

  describe('CORS', () => {
    it('answers a preflight from a listed origin, and only that origin', async () => {
      const preflight = (origin: string, config = 'demo') =>
        ctx.call(config, AUDIT, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'authorization,content-type',
          },
        })
      const allowed = await preflight(CORS_ORIGIN)
      expect(allowed.status).toBe(204)
      expect(allowed.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN)
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/Authorization/i)
      const foreign = await preflight('https://evil.example')
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
      // Without CORS_ORIGINS there is no CORS at all: not even for that portal.
      const off = await preflight(CORS_ORIGIN, 'pem')
      expect(off.headers.get('access-control-allow-origin')).toBeNull()
    })

    it('never reflects an unlisted Origin on a real request', async () => {
      const reply = await ctx.call('demo', AUDIT, {
        json: { all_users: true },
        token: await token('cors'),
        headers: { Origin: 'https://evil.example' },
      })
      expect(reply.status).toBe(200)
      expect(reply.headers.get('access-control-allow-origin')).toBeNull()
    })
  })

  describe('unauthenticated endpoints', () => {
    it('GET /healthz answers without a token and without a Microsoft 365 call', async () => {
      const before = ctx.fixtures().sims.main.requests.total
      const reply = await ctx.call('live', '/healthz')
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual({ status: 'ok' })
      expect(ctx.fixtures().sims.main.requests.total).toBe(before)
    })

    it('GET /api/v1/openapi.json is the generated document', async () => {
      const reply = await ctx.call('demo', '/api/v1/openapi.json')
      expect(reply.status).toBe(200)
      expect(reply.json).toEqual(JSON.parse(readFileSync('docs/openapi.json', 'utf8')))
    })
  })

  describe('the rate limit', () => {
    it('past the limit a caller gets 429 with Retry-After; other callers go on', async () => {
      const mine = await token('rate')
      const replies = []
      // Two a minute: the third is refused, unless a new minute began in between; then the
      // fifth is, as a window cannot roll over twice in these few milliseconds.
      for (let i = 0; i < 5; i++) {
        replies.push(await ctx.call('limited', '/api/v1/bec/status', { token: mine }))
      }
      const statuses = replies.map((reply) => reply.status)
      expect(statuses.slice(0, 2)).toEqual([200, 200])
      expect(statuses.slice(2, 5)).toContain(429)
      const limited = replies.find((reply) => reply.status === 429)!
      expect(limited.json.error.code).toBe('RATE_LIMITED')
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60)
      const other = await ctx.call('limited', '/api/v1/bec/status', {
        token: await token('rate-other'),
      })
      expect(other.status).toBe(200)
    })
  })
}
