/**
 * @module test/worker/suite/auth
 * Bearer JWTs: what is accepted, every attack that must be a 401, scopes from scp, scope and
 * roles, and the issuer's key set fetched once per isolate with jose's cooldown.
 */
import { describe, expect, it } from 'vitest'
import type { Reply, SuiteContext } from '../harness/client.ts'
import { forged, hs256WithPublicKey, noneToken } from '../harness/tokens.ts'

const DEMO_AUDIT = { all_users: true }

/** A 401 in the API's shape with the RFC 6750 challenge, and nothing about the request in it. */
function expectUnauthorized(reply: Reply, withError = true) {
  expect(reply.status, reply.text).toBe(401)
  expect(reply.json.error.code).toBe('UNAUTHENTICATED')
  const challenge = reply.headers.get('www-authenticate') ?? ''
  expect(challenge).toMatch(/^Bearer realm="forwarding-audit"/)
  if (withError) expect(challenge).toContain('error="invalid_token"')
  else expect(challenge).not.toContain('error=')
  expect(challenge).not.toMatch(/https?:|\/api\//)
}

export function authCases(ctx: SuiteContext) {
  const issuer = () => ctx.fixtures().issuer
  const caller = (name: string) => `${ctx.runtime}-auth-${name}`

  describe('bearer tokens', () => {
    it('a valid RS256 token from the JWKS is accepted', async () => {
      const reply = await ctx.audit('demo', DEMO_AUDIT, await issuer().token({ sub: caller('rs') }))
      expect(reply.status, reply.text).toBe(200)
    })

    it('a valid ES256 token from the same JWKS is accepted', async () => {
      const reply = await ctx.audit(
        'demo',
        DEMO_AUDIT,
        await issuer().esToken({ sub: caller('es') })
      )
      expect(reply.status, reply.text).toBe(200)
    })

    it('a token checked against one static PEM public key is accepted', async () => {
      const reply = await ctx.audit('pem', DEMO_AUDIT, await issuer().token({ sub: caller('pem') }))
      expect(reply.status, reply.text).toBe(200)
    })

    it('no Authorization header is a 401 whose challenge carries no error code', async () => {
      const reply = await ctx.call('demo', '/api/v1/bec/forwarding-audit', { json: DEMO_AUDIT })
      expectUnauthorized(reply, false)
    })

    it('another auth scheme than Bearer is a 401', async () => {
      const reply = await ctx.call('demo', '/api/v1/bec/forwarding-audit', {
        json: DEMO_AUDIT,
        headers: { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      })
      expectUnauthorized(reply, false)
      expect(reply.json.error.message).toMatch(/only Bearer tokens/)
    })

    const attacks: [string, () => Promise<string>, string[]][] = [
      ['alg none', async () => noneToken(), ['demo', 'pem']],
      [
        'HS256 signed with the public key as the secret',
        () => hs256WithPublicKey(issuer().rsaPem),
        ['demo', 'pem'],
      ],
      ['an unknown kid', () => issuer().unknownKid(), ['demo']],
      [
        'a wrong issuer',
        () => issuer().token({}, { issuer: 'https://evil.example' }),
        ['demo', 'pem'],
      ],
      [
        'a wrong audience',
        () => issuer().token({}, { audience: 'api://other-api' }),
        ['demo', 'pem'],
      ],
      ['an expired token', () => issuer().token({}, { expiresIn: -300 }), ['demo', 'pem']],
      ['a token not valid yet', () => issuer().token({}, { notBefore: 600 }), ['demo', 'pem']],
      ['a token without exp', () => issuer().token({}, { noExpiry: true }), ['demo', 'pem']],
      [
        'a payload changed after signing',
        async () => forged(await issuer().token({ scp: 'openid' }), { scp: 'bec:read' }),
        ['demo', 'pem'],
      ],
      [
        'an algorithm outside the allowlist (RS384)',
        () => issuer().token({}, { alg: 'RS384' }),
        ['demo', 'pem'],
      ],
      ['something that is not a JWT', async () => 'not.a.jwt', ['demo']],
    ]
    for (const [attack, make, configs] of attacks) {
      for (const config of configs) {
        it(`${attack} is a 401 (${config === 'pem' ? 'static PEM key' : 'JWKS'})`, async () => {
          const reply = await ctx.audit(config, DEMO_AUDIT, await make())
          expectUnauthorized(reply)
        })
      }
    }

    it('a development token (npm run dev-token) is refused where a real issuer is configured', async () => {
      // @ts-expect-error: a plain ESM script without types (scripts/dev-key.mjs)
      const { devToken } = await import('../../../scripts/dev-key.mjs')
      for (const config of ['demo', 'pem']) {
        expectUnauthorized(await ctx.audit(config, DEMO_AUDIT, await devToken()))
      }
    })

    it('an expired token is told to get a new one; why others failed stays in the log', async () => {
      const expired = await ctx.audit(
        'demo',
        DEMO_AUDIT,
        await issuer().token({}, { expiresIn: -300 })
      )
      expect(expired.json.error.message).toMatch(/expired/)
      const forgedReply = await ctx.audit('demo', DEMO_AUDIT, noneToken())
      expect(forgedReply.json.error.message).toBe('the token is not valid')
      const id = forgedReply.headers.get('x-request-id')
      const logged = ctx
        .fixtures()
        .runtimes[ctx.runtime].lines.find(
          (line) => line.includes(`"request_id":"${id}"`) && line.includes('"reason"')
        )
      expect(logged).toMatch(/ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID|ERR_JWT_INVALID/)
    })
  })

  describe('scopes', () => {
    it.each([
      ['scp, space-separated (Entra delegated tokens)', { scp: 'openid bec:read profile' }],
      ['scope (OAuth 2)', { scp: undefined, scope: 'bec:read' }],
      ['roles, an array (Entra app tokens)', { scp: undefined, roles: ['Other.Role', 'bec:read'] }],
    ])('bec:read in %s is enough', async (_where, claims) => {
      const token = await issuer().token({ ...claims, sub: caller('scope') })
      const reply = await ctx.audit('demo', DEMO_AUDIT, token)
      expect(reply.status, reply.text).toBe(200)
    })

    it.each([
      ['no scope at all', { scp: undefined }],
      ['scopes that only look alike', { scp: 'bec:readwrite bec:read.all BEC:READ' }],
      ['roles as a string instead of a list', { scp: 'openid', roles: 'bec:read' }],
    ])('%s is a 403 naming bec:read', async (_what, claims) => {
      const reply = await ctx.audit('demo', DEMO_AUDIT, await issuer().token(claims))
      expect(reply.status, reply.text).toBe(403)
      expect(reply.json.error.code).toBe('FORBIDDEN')
      expect(reply.json.error.message).toMatch(/lacks the scope bec:read/)
      expect(reply.headers.get('www-authenticate')).toBe(
        'Bearer realm="forwarding-audit", error="insufficient_scope", scope="bec:read"'
      )
    })
  })

  describe('the key set', () => {
    it('that cannot be fetched is a 502 for the operator, not a 401 for the caller', async () => {
      const reply = await ctx.audit(
        'nokeys',
        DEMO_AUDIT,
        await issuer().token({ sub: caller('nokeys') })
      )
      expect(reply.status, reply.text).toBe(502)
      expect(reply.json.error).toEqual({
        code: 'SOURCE_UNAVAILABLE',
        message: "the token issuer's signing keys could not be fetched: try again later",
      })
    })

    it('is fetched at most once for a burst of tokens, unknown kids included (jose cooldown)', async () => {
      const before = issuer().jwksFetches()
      const tokens = await Promise.all([
        issuer().token({ sub: caller('burst') }),
        issuer().esToken({ sub: caller('burst') }),
        issuer().unknownKid(),
        issuer().unknownKid(),
        issuer().unknownKid(),
      ])
      for (const token of tokens) await ctx.call('demo', '/api/v1/bec/status', { token })
      expect(issuer().jwksFetches() - before).toBeLessThanOrEqual(1)
    })
  })
}
