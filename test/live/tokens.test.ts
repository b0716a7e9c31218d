import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  X509Certificate,
} from 'node:crypto'
import { inspect } from 'node:util'
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { generate } from 'selfsigned'
import { beforeAll, describe, expect, it } from 'vitest'
import { AuditRunError, InvalidInputError } from '../../core/errors/errors.ts'
import { tokenProvider } from '../../core/m365/tokens.ts'
import type { Credential, LiveContext } from '../../core/m365/types.ts'
import type { Simulator } from '../simulator/index.ts'
import { graphGet, useSimulator } from '../simulator/test-helpers.ts'
import { fakeContext } from './fake-context.ts'

const ISSUER = 'https://token.actions.githubusercontent.com'
const SUBJECT = 'repo:contoso/forwarding-audit:environment:audit'
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

let appCert: { certPem: string; keyPem: string }
let otherCert: { certPem: string; keyPem: string }
let github: { privateKey: CryptoKey; jwks: { keys: object[] } }

beforeAll(async () => {
  const make = async (name: string) => {
    const cert = await generate([{ name: 'commonName', value: name }], {
      keySize: 2048,
      algorithm: 'sha256',
    })
    return { certPem: cert.cert, keyPem: cert.private }
  }
  ;[appCert, otherCert] = await Promise.all([make('forwarding-audit'), make('someone else')])
  const { privateKey, publicKey } = await generateKeyPair('RS256')
  github = {
    privateKey,
    jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'gh1', alg: 'RS256', use: 'sig' }] },
  }
})

/** A fetch that records each token request's form and headers before sending it. */
function recordingFetch() {
  const forms: URLSearchParams[] = []
  const headers: Headers[] = []
  const record: typeof fetch = (input, init) => {
    if (typeof init?.body === 'string') forms.push(new URLSearchParams(init.body))
    headers.push(new Headers(init?.headers))
    return fetch(input, init)
  }
  /** Every credential value that went over the wire: what no error may show. */
  const sent = () =>
    forms.flatMap((form) =>
      ['client_secret', 'client_assertion'].flatMap((name) => form.getAll(name))
    )
  return { fetch: record, forms, headers, sent }
}

function setup(sim: Simulator, credential: Credential, overrides: Partial<LiveContext> = {}) {
  const recorder = recordingFetch()
  const fake = fakeContext({ fetch: recorder.fetch, now: Date.now, ...overrides })
  const tokens = tokenProvider(credential, { authority: sim.authorityHost, context: fake.ctx })
  return { tokens, ...recorder, ...fake }
}

const secret = (sim: Simulator, over: Partial<Credential> = {}): Credential =>
  ({
    kind: 'secret',
    tenantId: sim.tenantId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    ...over,
  }) as Credential

const certificate = (sim: Simulator, keys = appCert): Credential => ({
  kind: 'certificate',
  tenantId: sim.tenantId,
  clientId: sim.clientId,
  privateKeyPem: keys.keyPem,
  certificatePem: keys.certPem,
})

function githubToken(claims: { issuer?: string; subject?: string; expired?: boolean } = {}) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'gh1', typ: 'JWT' })
    .setIssuer(claims.issuer ?? ISSUER)
    .setSubject(claims.subject ?? SUBJECT)
    .setAudience('api://AzureADTokenExchange')
    .setIssuedAt(claims.expired ? now - 900 : now)
    .setExpirationTime(claims.expired ? now - 600 : now + 300)
    .sign(github.privateKey)
}

const federated = (sim: Simulator, assertion: () => Promise<string>): Credential => ({
  kind: 'federated',
  tenantId: sim.tenantId,
  clientId: sim.clientId,
  assertion,
})

async function failure(promise: Promise<unknown>): Promise<AuditRunError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the token request to fail')
    },
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(AuditRunError)
  return error as AuditRunError
}

/** No credential value in the message, the string form, the JSON form or anywhere in the cause chain. */
function expectNothingSecret(error: unknown, secrets: string[]) {
  const views = [
    (error as Error).message,
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 20, showHidden: true }),
  ]
  for (let cause = (error as Error).cause; cause !== undefined; ) {
    views.push(String(cause), JSON.stringify(cause) ?? '', inspect(cause, { depth: 20 }))
    cause = (cause as Error | null)?.cause
  }
  const needles = secrets.filter((s) => s.length >= 8)
  expect(needles.length).toBeGreaterThan(0)
  for (const view of views) {
    for (const needle of needles) expect(view).not.toContain(needle)
  }
}

describe('tokenProvider against the simulator', () => {
  const sim = useSimulator({
    app: {
      get certificatePem() {
        return appCert.certPem
      },
      get federatedIssuer() {
        return { issuer: ISSUER, jwks: github.jwks, subject: SUBJECT }
      },
    },
  })

  describe('client secret', () => {
    it('posts the client-credentials form and gets a Graph token the simulator accepts', async () => {
      const { tokens, forms, headers } = setup(sim(), secret(sim()))
      const token = await tokens.token(sim().graphEndpoint)
      expect(Object.fromEntries(forms[0] ?? [])).toEqual({
        grant_type: 'client_credentials',
        client_id: sim().clientId,
        scope: `${sim().graphEndpoint}/.default`,
        client_secret: sim().clientSecret,
      })
      expect(headers[0]?.get('content-type')).toBe('application/x-www-form-urlencoded')
      const claims = decodeJwt(token)
      expect([claims.aud, claims.appidacr]).toEqual([sim().graphEndpoint, '1'])
      expect((await graphGet(sim(), token, '/users?$top=1')).status).toBe(200)
    })

    it('caches one token per resource: two calls, one request', async () => {
      const { tokens } = setup(sim(), secret(sim()))
      sim().resetRequests()
      const first = await tokens.token(sim().graphEndpoint)
      const second = await tokens.token(`${sim().graphEndpoint}/`)
      expect(second).toBe(first)
      expect(sim().requests.byRoute.token).toBe(1)
      const exchange = await tokens.token(sim().exchangeEndpoint)
      expect(decodeJwt(exchange).aud).toBe(sim().exchangeEndpoint)
      expect(sim().requests.byRoute.token).toBe(2)
    })

    it('concurrent callers for one resource share one request', async () => {
      const { tokens } = setup(sim(), secret(sim()))
      sim().resetRequests()
      const all = await Promise.all(
        Array.from({ length: 8 }, () => tokens.token(sim().graphEndpoint))
      )
      expect(new Set(all).size).toBe(1)
      expect(sim().requests.byRoute.token).toBe(1)
    })

    it('invalidate drops the cached token, so the next call fetches a new one', async () => {
      const { tokens } = setup(sim(), secret(sim()))
      sim().resetRequests()
      const first = await tokens.token(sim().graphEndpoint)
      tokens.invalidate(`${sim().graphEndpoint}/`)
      const second = await tokens.token(sim().graphEndpoint)
      expect(second).not.toBe(first)
      expect(sim().requests.byRoute.token).toBe(2)
    })

    it('a caller that stops waiting does not cancel the request the others share', async () => {
      const { tokens } = setup(sim(), secret(sim()))
      sim().resetRequests()
      const controller = new AbortController()
      const leaving = tokens.token(sim().graphEndpoint, controller.signal)
      const staying = tokens.token(sim().graphEndpoint)
      controller.abort()
      expect((await failure(leaving)).code).toBe('DEADLINE_EXCEEDED')
      expect(decodeJwt(await staying).aud).toBe(sim().graphEndpoint)
      expect(sim().requests.byRoute.token).toBe(1)
    })

    it('an aborted signal stops before any request', async () => {
      const controller = new AbortController()
      controller.abort()
      const { tokens, forms } = setup(sim(), secret(sim()))
      expect((await failure(tokens.token(sim().graphEndpoint, controller.signal))).code).toBe(
        'DEADLINE_EXCEEDED'
      )
      const run = setup(sim(), secret(sim()), { signal: controller.signal })
      expect((await failure(run.tokens.token(sim().graphEndpoint))).code).toBe('DEADLINE_EXCEEDED')
      expect([forms.length, run.forms.length]).toEqual([0, 0])
    })
  })

  describe('certificate', () => {
    it('signs an RS256 assertion naming the certificate by x5t#S256, and gets a token', async () => {
      const { tokens, forms, ctx } = setup(sim(), certificate(sim()))
      const token = await tokens.token(sim().graphEndpoint)
      expect(decodeJwt(token).appidacr).toBe('2')
      const form = forms[0]!
      expect(form.get('client_assertion_type')).toBe(JWT_BEARER)
      expect(form.has('client_secret')).toBe(false)
      const assertion = form.get('client_assertion')!
      const der = new X509Certificate(appCert.certPem).raw
      expect(decodeProtectedHeader(assertion)).toEqual({
        alg: 'RS256',
        typ: 'JWT',
        'x5t#S256': createHash('sha256').update(der).digest('base64url'),
      })
      const claims = decodeJwt(assertion)
      const now = Math.floor(ctx.now() / 1000)
      expect(claims).toEqual({
        aud: `${sim().authorityHost}/${sim().tenantId}/oauth2/v2.0/token`,
        iss: sim().clientId,
        sub: sim().clientId,
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iat: expect.any(Number),
        nbf: claims.iat,
        exp: (claims.iat as number) + 600,
      })
      expect(Math.abs((claims.iat as number) - now)).toBeLessThanOrEqual(1)
    })

    it('signs a fresh assertion (new jti) for every request', async () => {
      const { tokens, forms } = setup(sim(), certificate(sim()))
      await tokens.token(sim().graphEndpoint)
      await tokens.token(sim().exchangeEndpoint)
      const jtis = forms.map((form) => decodeJwt(form.get('client_assertion')!).jti)
      expect(jtis).toHaveLength(2)
      expect(jtis[0]).not.toBe(jtis[1])
    })

    it('takes the key and certificate from one combined PEM file', async () => {
      const bundle = `${appCert.keyPem}\n${appCert.certPem}`
      const credential = { ...certificate(sim()), privateKeyPem: bundle, certificatePem: bundle }
      const { tokens } = setup(sim(), credential as Credential)
      expect(decodeJwt(await tokens.token(sim().graphEndpoint)).appidacr).toBe('2')
    })
  })

  describe('federated', () => {
    it("sends the other issuer's token as the client assertion", async () => {
      let calls = 0
      const assertion = await githubToken()
      const credential = federated(sim(), async () => {
        calls++
        return assertion
      })
      const { tokens, forms } = setup(sim(), credential)
      const token = await tokens.token(sim().exchangeEndpoint)
      expect(decodeJwt(token).roles).toEqual(['Exchange.ManageAsApp'])
      expect(forms[0]?.get('client_assertion')).toBe(assertion)
      expect(forms[0]?.get('client_assertion_type')).toBe(JWT_BEARER)
      expect(calls).toBe(1)
    })

    it('reports a failing assertion source as AUTH_FAILED', async () => {
      const credential = federated(sim(), async () => {
        throw new Error(
          'ACTIONS_ID_TOKEN_REQUEST_URL is not set: add `permissions: id-token: write`'
        )
      })
      const error = await failure(setup(sim(), credential).tokens.token(sim().graphEndpoint))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.message).toBe(
        'could not get the federated token: ACTIONS_ID_TOKEN_REQUEST_URL is not set: add `permissions: id-token: write`'
      )
    })
  })

  describe('Entra refusals: AUTH_FAILED with the fix, never a secret', () => {
    const cases: {
      name: string
      credential: () => Credential | Promise<Credential>
      resource?: () => string
      message: () => string
    }[] = [
      {
        name: 'a wrong client secret (AADSTS7000215)',
        credential: () => secret(sim(), { clientSecret: 'wrong~Zm9yd2FyZGluZy1hdWRpdA' }),
        message: () =>
          "Microsoft Entra ID refused the app's sign-in (AADSTS7000215): the client secret is wrong or expired: create a new one and set AZURE_CLIENT_SECRET",
      },
      {
        name: 'an unknown client id (AADSTS700016)',
        credential: () => secret(sim(), { clientId: '11111111-2222-3333-4444-555555555555' }),
        message: () =>
          `Microsoft Entra ID refused the app's sign-in (AADSTS700016): no app with client id 11111111-2222-3333-4444-555555555555 in tenant ${sim().tenantId}: check AZURE_CLIENT_ID and AZURE_TENANT_ID`,
      },
      {
        name: 'an unknown tenant (AADSTS90002)',
        credential: () => secret(sim(), { tenantId: 'fabrikam.onmicrosoft.com' }),
        message: () =>
          "Microsoft Entra ID refused the app's sign-in (AADSTS90002): tenant fabrikam.onmicrosoft.com not found: check AZURE_TENANT_ID (and the cloud, for GCC High, DoD or China tenants)",
      },
      {
        name: 'a certificate not registered on the app (AADSTS700027)',
        credential: () => certificate(sim(), otherCert),
        message: () =>
          "Microsoft Entra ID refused the app's sign-in (AADSTS700027): the certificate is not registered on the app or does not match the private key: upload it to the app registration and check AZURE_CLIENT_CERTIFICATE_PATH",
      },
      {
        name: 'a private key that does not match the registered certificate (AADSTS700027)',
        credential: () =>
          certificate(sim(), { certPem: appCert.certPem, keyPem: otherCert.keyPem }),
        message: () => expect.stringContaining('(AADSTS700027): the certificate is not registered'),
      },
      ...(
        [
          ['from another issuer (AADSTS700211)', { issuer: 'https://evil.example' }],
          ['for another subject (AADSTS70021)', { subject: 'repo:evil/fork:ref:refs/heads/main' }],
          ['that has expired (AADSTS700024)', { expired: true }],
        ] as const
      ).map(([name, claims]) => ({
        name: `a federated token ${name}`,
        credential: async () => {
          const token = await githubToken(claims)
          return federated(sim(), async () => token)
        },
        message: () =>
          expect.stringMatching(
            /^Microsoft Entra ID refused the app's sign-in \(AADSTS(700211|70021|700024)\): the federated token was rejected or has expired: check the federated credential's issuer, subject and audience/
          ),
      })),
      {
        name: 'anything else: the code and the first sentence (AADSTS500011)',
        credential: () => secret(sim()),
        resource: () => 'https://unknown.example',
        message: () =>
          `Microsoft Entra ID refused the app's sign-in (AADSTS500011): The resource principal named https://unknown.example was not found in the tenant named ${sim().tenantId}.`,
      },
    ]

    it.each(cases)('$name', async (test) => {
      const credential = await test.credential()
      const run = setup(sim(), credential)
      sim().resetRequests()
      const error = await failure(run.tokens.token(test.resource?.() ?? sim().graphEndpoint))
      expect(error.code).toBe('AUTH_FAILED')
      expect(error.userFixable).toBe(true)
      expect(error.message).toEqual(test.message())
      expect(error.message).not.toMatch(/\n|Trace ID|Correlation ID/)
      // A refusal is final: not retried.
      expect(sim().requests.byRoute.token).toBe(1)
      const keyBody = (credential.kind === 'certificate' ? credential.privateKeyPem : '')
        .replace(/-----[A-Z ]+-----/g, '')
        .replace(/\s+/g, '')
      expectNothingSecret(error, [...run.sent(), sim().clientSecret, keyBody.slice(40, 120)])
    })
  })

  describe('credentials rejected before any request', () => {
    it('a tenant id that is not a GUID or domain is an input error', () => {
      expect(() =>
        tokenProvider(secret(sim(), { tenantId: '../common' }), {
          authority: sim().authorityHost,
          context: fakeContext().ctx,
        })
      ).toThrow(InvalidInputError)
    })

    it.each([
      ['not a certificate', () => ({ certificatePem: 'hello' }), /not a PEM certificate/],
      [
        'a PKCS#1 key',
        () => ({
          privateKeyPem: createPrivateKey(appCert.keyPem)
            .export({ type: 'pkcs1', format: 'pem' })
            .toString(),
        }),
        /PKCS#1: convert it to PKCS#8/,
      ],
      [
        'an EC key',
        () => ({
          privateKeyPem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
            .privateKey.export({ type: 'pkcs8', format: 'pem' })
            .toString(),
        }),
        /not an RSA key usable for RS256/,
      ],
    ])(
      '%s fails with AUTH_FAILED naming AZURE_CLIENT_CERTIFICATE_PATH',
      async (_name, override, message) => {
        const credential = { ...certificate(sim()), ...override() } as Credential
        const run = setup(sim(), credential)
        const error = await failure(run.tokens.token(sim().graphEndpoint))
        expect(error.code).toBe('AUTH_FAILED')
        expect(error.message).toMatch(message)
        expect(error.message).toMatch(/: check AZURE_CLIENT_CERTIFICATE_PATH$/)
        expect(run.forms).toHaveLength(0)
        expect(error.message).not.toContain('MII')
      }
    )
  })
})

describe('token expiry', () => {
  let clock = Date.now()
  const now = () => clock
  const sim = useSimulator({ now, tokenLifetimeSeconds: 3600 })

  it('reuses a token until 5 minutes before it expires, then fetches a new one', async () => {
    const { tokens } = setup(sim(), secret(sim()), { now })
    sim().resetRequests()
    const first = await tokens.token(sim().graphEndpoint)
    clock += 3300_000 - 1
    expect(await tokens.token(sim().graphEndpoint)).toBe(first)
    expect(sim().requests.byRoute.token).toBe(1)
    clock += 1
    const refreshed = await Promise.all([1, 2, 3].map(() => tokens.token(sim().graphEndpoint)))
    expect(new Set(refreshed).size).toBe(1)
    expect(refreshed[0]).not.toBe(first)
    expect(sim().requests.byRoute.token).toBe(2)
    expect((decodeJwt(refreshed[0]!).exp as number) * 1000).toBeGreaterThan(clock)
  })
})

describe('token responses, without the simulator', () => {
  const answer = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    })

  function withAnswers(answers: Response[], overrides: Partial<LiveContext> = {}) {
    let calls = 0
    const fake = fakeContext({
      fetch: async () => answers[calls++] ?? answer({ error: 'none left' }, 500),
      ...overrides,
    })
    const credential: Credential = {
      kind: 'secret',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: randomUUID(),
      clientSecret: 'not-a-real-secret-value',
    }
    const tokens = tokenProvider(credential, {
      authority: 'https://login.microsoftonline.com/',
      context: fake.ctx,
    })
    return { tokens, calls: () => calls, ...fake }
  }

  it('refreshes a short-lived token at half its lifetime, and accepts expires_in as a string', async () => {
    const { tokens, calls, advance } = withAnswers([
      answer({ token_type: 'Bearer', expires_in: '120', access_token: 'token-one' }),
      answer({ token_type: 'Bearer', expires_in: 3599, access_token: 'token-two' }),
    ])
    expect(await tokens.token('https://graph.microsoft.com')).toBe('token-one')
    advance(59_999)
    expect(await tokens.token('https://graph.microsoft.com')).toBe('token-one')
    advance(1)
    expect(await tokens.token('https://graph.microsoft.com')).toBe('token-two')
    expect(calls()).toBe(2)
  })

  it('does not cache a failure: the next call tries again', async () => {
    const { tokens, calls } = withAnswers(
      [
        answer({ error: 'temporarily_unavailable' }, 503),
        answer({ expires_in: 3599, access_token: 'token-after-outage' }),
      ],
      { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } }
    )
    const error = await failure(tokens.token('https://graph.microsoft.com'))
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(await tokens.token('https://graph.microsoft.com')).toBe('token-after-outage')
    expect(calls()).toBe(2)
  })

  it('retries a 500 from the token endpoint, unlike Graph', async () => {
    const { tokens, retries } = withAnswers([
      answer({ error: 'server_error' }, 500),
      answer({ expires_in: 3599, access_token: 'token-after-500' }),
    ])
    expect(await tokens.token('https://graph.microsoft.com')).toBe('token-after-500')
    expect(retries).toMatchObject([{ api: 'token', status: 500, delayMs: 50 }])
  })

  it('a 200 without an access token is SOURCE_UNAVAILABLE and quotes nothing', async () => {
    const { tokens } = withAnswers([answer({ access_token: 'eyJ.partial.token', expires_in: -1 })])
    const error = await failure(tokens.token('https://graph.microsoft.com'))
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(error.message).toBe(
      'Microsoft Entra ID at login.microsoftonline.com answered the token request without a usable access token'
    )
    expectNothingSecret(error, ['eyJ.partial.token', 'not-a-real-secret-value'])
  })

  it('an error page that is not Entra JSON names the status and the settings to check', async () => {
    const { tokens } = withAnswers([new Response('<html>Not Found</html>', { status: 404 })])
    const error = await failure(tokens.token('https://graph.microsoft.com'))
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toBe(
      'Microsoft Entra ID at login.microsoftonline.com answered HTTP 404 to the token request: check AZURE_AUTHORITY_HOST and AZURE_TENANT_ID'
    )
  })
})

describe('token endpoint faults', () => {
  const throttling = useSimulator({ faults: { rate: 1, kinds: ['429'], includeToken: true } })
  const dropping = useSimulator({ faults: { rate: 1, kinds: ['drop'], includeToken: true } })
  const truncating = useSimulator({ faults: { rate: 1, kinds: ['truncate'], includeToken: true } })
  // Seed 14 draws 503, 429, drop, truncate, then lets the fifth request through.
  const flaky = useSimulator({ faults: { rate: 0.6, includeToken: true, seed: 14 } })

  it('a 429 is retried after its Retry-After, then THROTTLED', async () => {
    const run = setup(throttling(), secret(throttling()))
    throttling().resetRequests()
    const error = await failure(run.tokens.token(throttling().graphEndpoint))
    expect(error.code).toBe('THROTTLED')
    expect(error.message).toBe(
      `Microsoft 365 kept throttling the Microsoft Entra token endpoint at ${new URL(throttling().authorityHost).host} after 3 retries; lower --concurrency or try later`
    )
    expect(run.sleeps).toEqual([50, 50, 50])
    expect(throttling().requests.faults['429']).toBe(4)
    expectNothingSecret(error, [...run.sent(), throttling().clientSecret])
  })

  it('a dropped connection is retried, then SOURCE_UNAVAILABLE naming the host', async () => {
    const run = setup(dropping(), secret(dropping()))
    const error = await failure(run.tokens.token(dropping().graphEndpoint))
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(error.message).toContain(
      `could not reach the Microsoft Entra token endpoint at ${new URL(dropping().authorityHost).host} after 3 retries`
    )
    expect(run.retries.map((r) => r.status)).toEqual(['network', 'network', 'network'])
    expectNothingSecret(error, [...run.sent(), dropping().clientSecret])
  })

  it('a truncated token response is retried as invalid JSON', async () => {
    const run = setup(truncating(), certificate(truncating()))
    const error = await failure(run.tokens.token(truncating().graphEndpoint))
    expect(error.message).toContain('kept returning incomplete JSON after 3 retries')
    expect(run.retries.map((r) => r.status)).toEqual([
      'invalid_json',
      'invalid_json',
      'invalid_json',
    ])
    expectNothingSecret(error, run.sent())
  })

  it('gets a token through 429s, 503s, drops and truncation within the retry budget', async () => {
    const run = setup(flaky(), secret(flaky()), {
      retry: { maxRetries: 10, baseDelayMs: 1, maxDelayMs: 10 },
    })
    const token = await run.tokens.token(flaky().graphEndpoint)
    expect(decodeJwt(token).aud).toBe(flaky().graphEndpoint)
    expect(run.retries.map((r) => r.status)).toEqual([503, 429, 'network', 'invalid_json'])
    expect(flaky().requests.faults).toEqual({ '503': 1, '429': 1, drop: 1, truncate: 1 })
  })
})
