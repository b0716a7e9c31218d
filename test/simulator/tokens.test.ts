import { createHash, randomUUID, X509Certificate } from 'node:crypto'
import { decodeJwt, exportJWK, generateKeyPair, importPKCS8, SignJWT } from 'jose'
import { generate } from 'selfsigned'
import { beforeAll, describe, expect, it } from 'vitest'
import { getToken, graphGet, invoke, postToken, tokenForm, useSimulator } from './test-helpers.ts'

interface TokenErrorBody {
  error: string
  error_description: string
  error_codes: number[]
  timestamp: string
  trace_id: string
  correlation_id: string
}

const ISSUER = 'https://token.actions.githubusercontent.com'
const SUBJECT = 'repo:contoso/forwarding-audit:ref:refs/heads/main'

describe('token endpoint', () => {
  let appCert: { certPem: string; keyPem: string }
  let federated: { privateKey: CryptoKey; jwks: { keys: object[] } }

  beforeAll(async () => {
    const cert = await generate([{ name: 'commonName', value: 'forwarding-audit app' }], {
      keySize: 2048,
      algorithm: 'sha256',
    })
    appCert = { certPem: cert.cert, keyPem: cert.private }
    const { privateKey, publicKey } = await generateKeyPair('RS256')
    federated = {
      privateKey,
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'gh1', alg: 'RS256', use: 'sig' }] },
    }
  })

  const sim = useSimulator({
    app: {
      get certificatePem() {
        return appCert.certPem
      },
      get federatedIssuer() {
        return { issuer: ISSUER, jwks: federated.jwks, subject: SUBJECT }
      },
    },
  })

  async function certificateAssertion(options: { thumbprintOf?: string; audience?: string } = {}) {
    const der = new X509Certificate(options.thumbprintOf ?? appCert.certPem).raw
    const thumbprint = createHash('sha256').update(der).digest('base64url')
    const key = await importPKCS8(appCert.keyPem, 'RS256')
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', 'x5t#S256': thumbprint })
      .setIssuer(sim().clientId)
      .setSubject(sim().clientId)
      .setAudience(options.audience ?? `${sim().authorityHost}/${sim().tenantId}/oauth2/v2.0/token`)
      .setJti(randomUUID())
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('10m')
      .sign(key)
  }

  function federatedAssertion(claims: { issuer?: string; subject?: string } = {}) {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'gh1', typ: 'JWT' })
      .setIssuer(claims.issuer ?? ISSUER)
      .setSubject(claims.subject ?? SUBJECT)
      .setAudience('api://AzureADTokenExchange')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(federated.privateKey)
  }

  const assertionForm = (assertion: string) => {
    const form = tokenForm(sim(), 'graph', {
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    })
    form.delete('client_secret')
    return form
  }

  it('issues a Graph token for a client secret, with roles, tenant and audience', async () => {
    const response = await postToken(sim(), tokenForm(sim(), 'graph'))
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      token_type: string
      expires_in: number
      access_token: string
    }
    expect(body.token_type).toBe('Bearer')
    expect(body.expires_in).toBe(3600)
    const claims = decodeJwt(body.access_token)
    expect(claims.aud).toBe(sim().graphEndpoint)
    expect(claims.tid).toBe(sim().tenantId)
    expect(claims.appid).toBe(sim().clientId)
    expect(claims.roles).toEqual([
      'User.Read.All',
      'MailboxSettings.Read',
      'Domain.Read.All',
      'AuditLogsQuery.Read.All',
    ])
  })

  it('issues an Exchange token carrying Exchange.ManageAsApp', async () => {
    const claims = decodeJwt(await getToken(sim(), 'exchange'))
    expect(claims.aud).toBe(sim().exchangeEndpoint)
    expect(claims.roles).toEqual(['Exchange.ManageAsApp'])
  })

  it('rejects a wrong secret with 401 invalid_client AADSTS7000215', async () => {
    const response = await postToken(sim(), tokenForm(sim(), 'graph', { client_secret: 'nope' }))
    expect(response.status).toBe(401)
    const body = (await response.json()) as TokenErrorBody
    expect(body.error).toBe('invalid_client')
    expect(body.error_codes).toEqual([7000215])
    expect(body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/)
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['timestamp', 'trace_id', 'correlation_id'])
    )
  })

  it('rejects an unknown tenant with 400 AADSTS90002', async () => {
    const response = await postToken(sim(), tokenForm(sim(), 'graph'), 'fabrikam.onmicrosoft.com')
    expect(response.status).toBe(400)
    const body = (await response.json()) as TokenErrorBody
    expect([body.error, body.error_codes[0]]).toEqual(['invalid_request', 90002])
  })

  it('rejects an unknown client id with 400 unauthorized_client AADSTS700016', async () => {
    const response = await postToken(sim(), tokenForm(sim(), 'graph', { client_id: randomUUID() }))
    expect(response.status).toBe(400)
    const body = (await response.json()) as TokenErrorBody
    expect([body.error, body.error_codes[0]]).toEqual(['unauthorized_client', 700016])
  })

  it('accepts the tenant by its initial domain too', async () => {
    const response = await postToken(sim(), tokenForm(sim(), 'graph'), 'contoso.onmicrosoft.com')
    expect(response.status).toBe(200)
  })

  it('issues a token for a certificate assertion signed with the registered certificate', async () => {
    const response = await postToken(sim(), assertionForm(await certificateAssertion()))
    expect(response.status).toBe(200)
    const { access_token } = (await response.json()) as { access_token: string }
    expect(decodeJwt(access_token).appidacr).toBe('2')
  })

  it('rejects a certificate assertion whose thumbprint is not registered (AADSTS700027)', async () => {
    const other = await generate([{ name: 'commonName', value: 'other' }], {
      keySize: 2048,
      algorithm: 'sha256',
    })
    const response = await postToken(
      sim(),
      assertionForm(await certificateAssertion({ thumbprintOf: other.cert }))
    )
    expect(response.status).toBe(401)
    const body = (await response.json()) as TokenErrorBody
    expect([body.error, body.error_codes[0]]).toEqual(['invalid_client', 700027])
  })

  it('rejects a certificate assertion for another audience (AADSTS700027)', async () => {
    const assertion = await certificateAssertion({
      audience: 'https://login.microsoftonline.com/x/oauth2/v2.0/token',
    })
    const response = await postToken(sim(), assertionForm(assertion))
    expect(response.status).toBe(401)
    expect(((await response.json()) as TokenErrorBody).error_codes).toEqual([700027])
  })

  it('issues a token for a federated assertion from the configured issuer and subject', async () => {
    const response = await postToken(sim(), assertionForm(await federatedAssertion()))
    expect(response.status).toBe(200)
  })

  it('rejects a federated assertion from another issuer (AADSTS700211)', async () => {
    const response = await postToken(
      sim(),
      assertionForm(await federatedAssertion({ issuer: 'https://evil.example' }))
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as TokenErrorBody
    expect([body.error, body.error_codes[0]]).toEqual(['invalid_request', 700211])
  })

  it('rejects a federated assertion with another subject (AADSTS70021)', async () => {
    const response = await postToken(
      sim(),
      assertionForm(await federatedAssertion({ subject: 'repo:evil/x:ref:refs/heads/main' }))
    )
    expect(response.status).toBe(400)
    expect(((await response.json()) as TokenErrorBody).error_codes).toEqual([70021])
  })

  it('rejects a scope without /.default (AADSTS1002012)', async () => {
    const response = await postToken(
      sim(),
      tokenForm(sim(), 'graph', { scope: `${sim().graphEndpoint}/User.Read.All` })
    )
    expect(response.status).toBe(400)
    expect(((await response.json()) as TokenErrorBody).error).toBe('invalid_scope')
  })
})

describe('token checks on Graph and Exchange', () => {
  let offsetMs = 0
  const sim = useSimulator({ now: () => Date.now() + offsetMs, tokenLifetimeSeconds: 60 })

  it('refuses a Graph token at Exchange and an Exchange token at Graph', async () => {
    const graphToken = await getToken(sim(), 'graph')
    const exchangeToken = await getToken(sim(), 'exchange')
    expect((await invoke(sim(), graphToken, 'Get-AcceptedDomain')).status).toBe(401)
    const response = await graphGet(sim(), exchangeToken, '/users')
    expect(response.status).toBe(401)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'InvalidAuthenticationToken'
    )
  })

  it('refuses a call without a token', async () => {
    expect((await fetch(`${sim().graphEndpoint}/v1.0/users`)).status).toBe(401)
    const response = await fetch(
      `${sim().exchangeEndpoint}/adminapi/beta/${sim().tenantId}/InvokeCommand`,
      {
        method: 'POST',
        body: '{}',
      }
    )
    expect(response.status).toBe(401)
  })

  it('refuses an expired token with 401 and WWW-Authenticate', async () => {
    const token = await getToken(sim(), 'graph')
    offsetMs = 61_000
    try {
      const response = await graphGet(sim(), token, '/users')
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /)
      const body = (await response.json()) as { error: { message: string } }
      expect(body.error.message).toMatch(/expired/)
    } finally {
      offsetMs = 0
    }
  })
})

describe('an app without Exchange.ManageAsApp', () => {
  const sim = useSimulator({ app: { exchangeManageAsApp: false, graphRoles: ['User.Read.All'] } })

  it('gets 401 from Exchange and 403 ErrorAccessDenied for messageRules', async () => {
    const exchangeToken = await getToken(sim(), 'exchange')
    expect(decodeJwt(exchangeToken).roles).toBeUndefined()
    expect((await invoke(sim(), exchangeToken, 'Get-Mailbox')).status).toBe(401)
    const graphToken = await getToken(sim(), 'graph')
    const response = await graphGet(
      sim(),
      graphToken,
      '/users/adele@contoso.com/mailFolders/inbox/messageRules'
    )
    expect(response.status).toBe(403)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'ErrorAccessDenied'
    )
  })
})
