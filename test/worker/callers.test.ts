/**
 * Who a caller is and what it may do, below HTTP: the caller a token names (the user for a
 * delegated token, the application for an app token), the tenant it may audit, its rate
 * limit, its credits, and what the log may say about it.
 */
import { describe, expect, it } from 'vitest'
import { principalOf } from '../../worker/auth/bearer.ts'
import { tenantFor } from '../../worker/auth/tenant.ts'
import { memoryLedger } from '../../worker/credits/ledger.ts'
import { jsonLogger, scrub } from '../../worker/http/log.ts'
import { rateLimiter } from '../../worker/limits/rate-limit.ts'

const TENANT = '7c1f0000-0000-4000-8000-000000000001'
const OTHER = '7c1f0000-0000-4000-8000-000000000002'

describe('the caller a token names', () => {
  it('a delegated token is its user (sub), kept per tenant', () => {
    const principal = principalOf({
      sub: 'user-1',
      azp: 'portal-app',
      scp: 'bec:read',
      tid: TENANT,
    })
    expect(principal).toMatchObject({ id: 'user-1', caller: `${TENANT}/user-1`, tenant: TENANT })
    expect([...principal.scopes]).toEqual(['bec:read'])
  })

  it('an app token is the calling application (azp, or appid in v1 tokens)', () => {
    expect(
      principalOf({ sub: 'sp-object-id', azp: 'soar-app', roles: ['bec:read'], idtyp: 'app' }).id
    ).toBe('soar-app')
    expect(principalOf({ sub: 'sp-object-id', appid: 'old-app', roles: ['bec:read'] }).id).toBe(
      'old-app'
    )
  })

  it('a token that names no caller is refused', () => {
    expect(() => principalOf({ scp: 'bec:read' })).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' })
    )
  })
})

describe('the tenant a caller may audit', () => {
  const caller = (tid?: string) => principalOf({ sub: 'u', ...(tid ? { tid } : {}) })

  it('single-tenant: the configured tenant; a token of another tenant is refused', () => {
    const single = { mode: 'single', tenantId: TENANT } as const
    expect(tenantFor(caller(TENANT), single)).toBeUndefined()
    expect(tenantFor(caller(), single)).toBeUndefined()
    expect(() => tenantFor(caller(OTHER), single)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' })
    )
  })

  it('multi-tenant: exactly the tenant in tid, if it is allowed', () => {
    expect(tenantFor(caller(OTHER), { mode: 'multi', allowed: undefined })).toBe(OTHER)
    expect(() => tenantFor(caller(OTHER), { mode: 'multi', allowed: [TENANT] })).toThrow(
      /not served by this API/
    )
    expect(() => tenantFor(caller(), { mode: 'multi', allowed: undefined })).toThrow(
      /names no tenant/
    )
  })
})

describe('the rate limit', () => {
  it('counts each caller per minute and says when to come back', () => {
    let now = 120_000 + 45_000
    const limiter = rateLimiter(2, () => now)
    limiter.take('a')
    limiter.take('a')
    limiter.take('b')
    const refused = (() => {
      try {
        limiter.take('a')
      } catch (error) {
        return error as { code: string; extra: { headers: Record<string, string> } }
      }
    })()
    expect(refused?.code).toBe('RATE_LIMITED')
    expect(refused?.extra.headers['Retry-After']).toBe('15')
    now += 15_000
    expect(() => limiter.take('a')).not.toThrow()
  })

  it('0 turns it off', () => {
    const limiter = rateLimiter(0)
    for (let i = 0; i < 1000; i++) limiter.take('a')
  })
})

describe('credits in memory', () => {
  it('50 parallel charges against 100 take exactly 20, and a refund gives 5 back', async () => {
    const ledger = memoryLedger(100)
    const charges = await Promise.all(Array.from({ length: 50 }, () => ledger.charge('a', 5)))
    expect(charges.filter((c) => c.ok)).toHaveLength(20)
    expect(charges.at(-1)).toEqual({ ok: false, remaining: 0 })
    expect(await ledger.refund('a', 5)).toBe(5)
    expect(await ledger.charge('b', 5)).toEqual({ ok: true, remaining: 95 })
  })
})

describe('the log', () => {
  it('writes one JSON object per line, with tokens and credentials scrubbed from every string', () => {
    const lines: string[] = []
    const logger = jsonLogger(
      (line) => lines.push(line),
      () => new Date('2026-01-01T00:00:00Z')
    )
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    logger.log('error', `rejected Bearer ${jwt}`, {
      request_id: 'r1',
      detail: `Basic dXNlcjpwYXNz and ${jwt}`,
    })
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'error',
      msg: 'rejected Bearer [token removed]',
      request_id: 'r1',
      detail: 'Basic [credential removed] and [token removed]',
    })
    expect(scrub('no secrets here')).toBe('no secrets here')
  })
})
