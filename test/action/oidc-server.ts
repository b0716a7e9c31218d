/**
 * @module test/action/oidc-server
 * The runner's OIDC token service, as a step sees it: ACTIONS_ID_TOKEN_REQUEST_URL answers a
 * GET with `{ "value": "<jwt>" }` when the request carries ACTIONS_ID_TOKEN_REQUEST_TOKEN as a
 * bearer token, for the `audience` the step asks for. Tokens are RS256 JWTs with GitHub's issuer
 * and claim names; the simulator's token endpoint trusts their key as a federated issuer.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { FederatedIssuer } from '../simulator/index.ts'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export interface OidcServer {
  /** For the simulator's `app.federatedIssuer` (subject as given, if any). */
  issuer(subject?: string): FederatedIssuer
  /** ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN for the step. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  /** Every token handed out, and every audience asked for. */
  issued: string[]
  audiences: string[]
  close(): Promise<void>
}

export interface OidcOptions {
  /** The token's `sub` (default a push to main). */
  subject?: string
  /** Hand out tokens for this audience whatever the step asked (a misconfigured runner). */
  audienceOverride?: string
}

export async function startOidcServer(options: OidcOptions = {}): Promise<OidcServer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(publicKey)), kid: 'gh-test', alg: 'RS256', use: 'sig' }
  const requestToken = randomBytes(24).toString('base64url')
  const issued: string[] = []
  const audiences: string[] = []
  const subject = options.subject ?? 'repo:contoso/tenant-config:ref:refs/heads/main'
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.headers.authorization !== `Bearer ${requestToken}` || url.pathname !== '/idtoken') {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"Unauthorized"}')
      return
    }
    const audience = url.searchParams.get('audience') ?? 'https://github.com/contoso'
    audiences.push(audience)
    const token = await new SignJWT({
      repository: 'contoso/tenant-config',
      repository_owner: 'contoso',
      ref: 'refs/heads/main',
      event_name: 'schedule',
      job_workflow_ref:
        'contoso/tenant-config/.github/workflows/forwarding-audit.yml@refs/heads/main',
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'gh-test', typ: 'JWT' })
      .setIssuer(GITHUB_ISSUER)
      .setSubject(subject)
      .setAudience(options.audienceOverride ?? audience)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('5m')
      .setJti(randomBytes(8).toString('hex'))
      .sign(privateKey)
    issued.push(token)
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ value: token }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    issuer: (expected) => ({
      issuer: GITHUB_ISSUER,
      jwks: { keys: [jwk] },
      ...(expected ? { subject: expected } : {}),
    }),
    env: {
      // The runner's URL already has a query; @actions/core appends `&audience=...`.
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    issued,
    audiences,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
