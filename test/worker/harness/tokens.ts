/**
 * @module test/worker/harness/tokens
 * The suite's token issuer: an RSA and an EC signing key published as a JWKS over HTTPS (the
 * throwaway test CA's certificate, so each runtime has to trust a private CA to fetch it), and
 * the tokens an attacker would try: `alg: none`, HS256 signed with the public key, an unknown
 * `kid`, the wrong issuer or audience, expired, not yet valid, no `exp`, a forged payload.
 */
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { issueServerCert } from '../../simulator/ca.ts'

export const ISSUER = 'https://issuer.forwarding-audit.test'
export const AUDIENCE = 'api://forwarding-audit-test'
/** Entra's multi-tenant issuer form: the tenant is the token's own tid. */
export const MULTI_ISSUER = 'https://login.microsoftonline.com/{tenantid}/v2.0'

type Key = Awaited<ReturnType<typeof generateKeyPair>>

export interface TokenIssuer {
  /** The JWKS URL (https://localhost:PORT/keys). */
  jwksUrl: string
  /** The RSA key's public half as PEM, for JWT_PUBLIC_KEY. */
  rsaPem: string
  /** How often the key set was fetched, by anyone. */
  jwksFetches(): number
  /** A valid RS256 token: scope bec:read, 10 minutes, the claims given on top. */
  token(claims?: JWTPayload, options?: TokenOptions): Promise<string>
  /** The same, signed with the EC key (ES256). */
  esToken(claims?: JWTPayload): Promise<string>
  /** Signed by a key the issuer never published, under a kid nobody knows. */
  unknownKid(claims?: JWTPayload): Promise<string>
  close(): Promise<void>
}

export interface TokenOptions {
  issuer?: string
  audience?: string
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number
  notBefore?: number
  /** Leave `exp` out altogether. */
  noExpiry?: boolean
  alg?: 'RS256' | 'RS384'
}

const now = () => Math.floor(Date.now() / 1000)

export async function startTokenIssuer(ca: {
  certPem: string
  keyPem: string
}): Promise<TokenIssuer> {
  const rsa: Key = await generateKeyPair('RS256', { extractable: true })
  const ec: Key = await generateKeyPair('ES256', { extractable: true })
  const rogue: Key = await generateKeyPair('RS256', { extractable: true })
  // WebCrypto binds an RSA key to one hash: RS384 needs its own, presented under rsa-1's kid.
  const rs384: Key = await generateKeyPair('RS384', { extractable: true })
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ]
  let fetches = 0
  const tls = await issueServerCert(ca)
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    if (req.url !== '/keys') {
      res.writeHead(404).end()
      return
    }
    fetches++
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port

  const sign = (
    key: Key,
    kid: string,
    alg: string,
    claims: JWTPayload,
    options: TokenOptions = {}
  ) => {
    const jwt = new SignJWT({ scp: 'bec:read', sub: 'caller-1', ...claims })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
    if (!options.noExpiry) jwt.setExpirationTime(now() + (options.expiresIn ?? 600))
    if (options.notBefore !== undefined) jwt.setNotBefore(now() + options.notBefore)
    return jwt.sign(key.privateKey)
  }

  return {
    jwksUrl: `https://localhost:${port}/keys`,
    rsaPem: await exportSPKI(rsa.publicKey),
    jwksFetches: () => fetches,
    token: (claims = {}, options = {}) =>
      options.alg === 'RS384'
        ? sign(rs384, 'rsa-1', 'RS384', claims, options)
        : sign(rsa, 'rsa-1', 'RS256', claims, options),
    esToken: (claims = {}) => sign(ec, 'ec-1', 'ES256', claims),
    unknownKid: (claims = {}) => sign(rogue, 'rsa-2', 'RS256', claims),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const b64url = (value: string | Uint8Array) => Buffer.from(value).toString('base64url')

/** An unsecured JWT (`alg: none`) with valid-looking claims. */
export function noneToken(claims: JWTPayload = {}): string {
  const header = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))
  const payload = b64url(
    JSON.stringify({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'caller-1',
      scp: 'bec:read',
      exp: now() + 600,
      ...claims,
    })
  )
  return `${header}.${payload}.`
}

/**
 * The algorithm-confusion attack: HS256 with the issuer's public key (PEM text) as the HMAC
 * secret, which a verifier that trusts the header's `alg` would accept.
 */
export async function hs256WithPublicKey(publicPem: string, kid = 'rsa-1'): Promise<string> {
  return new SignJWT({ scp: 'bec:read', sub: 'caller-1' })
    .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(now() + 600)
    .sign(new TextEncoder().encode(publicPem))
}

/** A valid token whose payload was swapped for another after signing. */
export function forged(token: string, claims: JWTPayload): string {
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const changed = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...claims }
  return `${header}.${b64url(JSON.stringify(changed))}.${signature}`
}
