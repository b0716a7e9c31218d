/**
 * The worker's settings fail loud at start: every missing or bad setting is named, one line
 * each, with the fix; set-but-empty is an error; no setting can turn on `none`, HS*, a private
 * key as the verification key, a wildcard CORS origin or a tenant the mode does not allow.
 */
import { describe, expect, it } from 'vitest'
import { WorkerSettingsError, workerConfig } from '../../worker/config.ts'

const JWT = {
  JWT_ISSUER: 'https://login.microsoftonline.com/7c1f0000-0000-4000-8000-000000000001/v2.0',
  JWT_AUDIENCE: 'api://forwarding-audit',
  JWT_JWKS_URL:
    'https://login.microsoftonline.com/7c1f0000-0000-4000-8000-000000000001/discovery/v2.0/keys',
}
const LIVE = {
  AZURE_TENANT_ID: '7c1f0000-0000-4000-8000-000000000001',
  AZURE_CLIENT_ID: '00000000-0000-4000-8000-00000000000a',
  AZURE_CLIENT_SECRET: 'a-secret-value',
}

function problems(env: Record<string, unknown>, runtime: 'deno' | 'cloudflare' = 'deno'): string[] {
  try {
    workerConfig(env, runtime)
  } catch (error) {
    if (error instanceof WorkerSettingsError) return error.problems
    throw error
  }
  return []
}

describe('the worker settings', () => {
  it("a JWT issuer, audience and key set are enough: the demo tenant, and each runtime's defaults", () => {
    const deno = workerConfig(JWT, 'deno')
    expect(deno.live).toBeUndefined()
    expect(deno.auth).toMatchObject({
      algorithms: ['RS256', 'ES256'],
      scope: 'bec:read',
      clockToleranceSeconds: 30,
      audience: ['api://forwarding-audit'],
    })
    expect(deno).toMatchObject({
      tenancy: { mode: 'single' },
      credits: { start: 1000, store: 'kv' },
      subrequestBudget: undefined,
      deadlineMs: 110_000,
      corsOrigins: [],
      rateLimitPerMinute: 60,
    })
    // Cloudflare: credits in a Durable Object, and the free plan's 50 subrequests.
    expect(workerConfig(JWT, 'cloudflare')).toMatchObject({
      credits: { store: 'durable-object' },
      subrequestBudget: 50,
    })
  })

  it('with AZURE_* set, audits the live tenant; Cloudflare vars may be numbers', () => {
    const config = workerConfig(
      { ...JWT, ...LIVE, CREDITS_START: 250, SUBREQUEST_BUDGET: 10000 },
      'cloudflare'
    )
    expect(config.live).toMatchObject({ tenantId: LIVE.AZURE_TENANT_ID })
    expect(config.tenancy).toEqual({ mode: 'single', tenantId: LIVE.AZURE_TENANT_ID })
    expect(config).toMatchObject({ credits: { start: 250 }, subrequestBudget: 10000 })
  })

  it('an empty environment names each missing setting, one line each, with what to give', () => {
    expect(problems({})).toEqual([
      "JWT_ISSUER is not set: give the issuer (iss) of the API's access tokens",
      "JWT_AUDIENCE is not set: give the API's audience (aud), e.g. api://forwarding-audit",
      'JWT_JWKS_URL or JWT_PUBLIC_KEY must be set: the key set URL of the token issuer, or its public key (PEM or JWK)',
    ])
  })

  it('a setting that is set but empty is an error, not "unset"', () => {
    expect(problems({ ...JWT, JWT_AUDIENCE: ' ' })).toEqual([
      'JWT_AUDIENCE is set but empty: give a value or unset it',
    ])
    expect(problems({ ...JWT, ...LIVE, AZURE_CLIENT_SECRET: '' })).toEqual([
      expect.stringMatching(/^AZURE_CLIENT_SECRET is set but empty/),
    ])
  })

  it.each(['none', 'HS256', 'hs512'])('JWT_ALGORITHMS may never allow %s', (alg) => {
    expect(problems({ ...JWT, JWT_ALGORITHMS: `RS256,${alg}` })).toEqual([
      `JWT_ALGORITHMS must not contain ${alg}: only public-key algorithms (RS256, ES256 ...) are accepted`,
    ])
  })

  it.each([
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----'],
    ['a private JWK', JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' })],
    ['a shared secret JWK', JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })],
  ])('JWT_PUBLIC_KEY refuses %s', (_what, key) => {
    const { JWT_JWKS_URL: _url, ...rest } = JWT
    expect(problems({ ...rest, JWT_PUBLIC_KEY: key })).toEqual([
      expect.stringMatching(
        /^JWT_PUBLIC_KEY holds a (secret or )?private key: give only the public key$/
      ),
    ])
  })

  it('the key set must come over https, and from one place', () => {
    expect(problems({ ...JWT, JWT_JWKS_URL: 'http://issuer.example/keys' })).toEqual([
      'JWT_JWKS_URL must be an https:// URL of a JSON Web Key Set',
    ])
    expect(problems({ ...JWT, JWT_PUBLIC_KEY: '{"kty":"RSA","n":"x","e":"AQAB"}' })).toEqual([
      'JWT_JWKS_URL and JWT_PUBLIC_KEY are both set: give one of them',
    ])
  })

  it("single-tenant mode needs the tenant's id, so a token from another tenant can be refused", () => {
    // A domain name signs in, but it can never equal a token's tid: the check would be skipped.
    expect(problems({ ...JWT, ...LIVE, AZURE_TENANT_ID: 'contoso.onmicrosoft.com' })).toEqual([
      "AZURE_TENANT_ID must be the tenant's id (a GUID, Entra admin center > Overview > Tenant ID), not contoso.onmicrosoft.com: tokens' tid is checked against it",
    ])
  })

  it('multi-tenant mode takes the tenant from each caller, never from AZURE_TENANT_ID', () => {
    const multi = {
      ...JWT,
      TENANT_MODE: 'multi',
      JWT_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0',
    }
    expect(problems({ ...multi, ...LIVE })).toEqual([
      "AZURE_TENANT_ID must not be set with TENANT_MODE=multi: each caller's tid names the tenant",
    ])
    const { AZURE_TENANT_ID: _tenant, ...app } = LIVE
    const config = workerConfig(
      { ...multi, ...app, ALLOWED_TENANTS: '7C1F0000-0000-4000-8000-000000000001' },
      'deno'
    )
    expect(config.tenancy).toEqual({
      mode: 'multi',
      allowed: ['7c1f0000-0000-4000-8000-000000000001'],
    })
    expect(problems({ ...multi, ...app, ALLOWED_TENANTS: 'contoso.com' })).toEqual([
      'ALLOWED_TENANTS: contoso.com is not a tenant id (GUID)',
    ])
    expect(problems({ ...multi })).toEqual([
      'TENANT_MODE=multi audits live tenants: set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE',
    ])
  })

  it('an issuer with {tenantid} needs multi-tenant mode, which fills it in', () => {
    expect(
      problems({ ...JWT, JWT_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0' })
    ).toEqual(['JWT_ISSUER contains {tenantid}, which only TENANT_MODE=multi fills in'])
  })

  it.each([
    ['*'],
    ['https://portal.example.com/app'],
    ['http://portal.example.com'],
    ['portal.example.com'],
  ])('CORS_ORIGINS refuses %s: exact https origins only', (origin) => {
    expect(problems({ ...JWT, CORS_ORIGINS: origin })).toEqual([
      `CORS_ORIGINS: ${origin} is not an origin such as https://portal.example.com (no path, no wildcard)`,
    ])
  })

  it('numbers must be in range, and stores must exist on the runtime', () => {
    expect(
      problems(
        { ...JWT, AUDIT_DEADLINE_SECONDS: '121', SUBREQUEST_BUDGET: '5', CREDITS_START: '-1' },
        'cloudflare'
      )
    ).toEqual([
      'CREDITS_START must be a whole number from 0 to 1000000000000, not "-1"',
      'AUDIT_DEADLINE_SECONDS must be a number from 0.1 to 120, not "121"',
      'SUBREQUEST_BUDGET must be a whole number from 10 to 1000000, not "5"',
    ])
    expect(problems({ ...JWT, CREDITS_STORE: 'kv' }, 'cloudflare')).toEqual([
      'CREDITS_STORE=kv is Deno KV: on Cloudflare use durable-object (or memory)',
    ])
    expect(problems({ ...JWT, CREDITS_STORE: 'durable-object' }, 'deno')).toEqual([
      "CREDITS_STORE=durable-object is Cloudflare's: on Deno use kv (or memory)",
    ])
  })

  it('its message lists every problem, and names no value', () => {
    const error = (() => {
      try {
        return workerConfig(
          { ...LIVE, AZURE_CLIENT_SECRET: 'a-secret-value', JWT_ALGORITHMS: 'none' },
          'deno'
        )
      } catch (e) {
        return e as WorkerSettingsError
      }
    })() as WorkerSettingsError
    expect(error.code).toBe('INVALID_SETTING')
    expect(error.message.split('\n').slice(1)).toEqual(error.problems.map((p) => `- ${p}`))
    expect(error.message).not.toContain('a-secret-value')
  })
})
