/**
 * @module test/simulator/tokens
 * Access tokens the simulator signs itself (RS256) and checks on every Graph and Exchange call.
 * Audiences are checked per API so a Graph token sent to Exchange fails the way the real service
 * does ("A Graph token presented here is rejected", docs/microsoft-apis.md §5.1).
 */
import { randomUUID } from 'node:crypto'
import {
  type CryptoKey,
  decodeProtectedHeader,
  errors,
  type GenerateKeyPairResult,
  generateKeyPair,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'

// RSA key generation costs ~200 ms; one pair per process keeps simulator start-up cheap.
let keys: Promise<GenerateKeyPairResult> | undefined
const signingKeys = () => {
  keys ??= generateKeyPair('RS256')
  return keys
}

export interface AccessClaims extends JWTPayload {
  tid: string
  appid: string
  roles?: string[]
}

export interface IssueInput {
  audience: string
  roles: string[]
  appId: string
  /** `1` client secret, `2` certificate or federated assertion (Entra's appidacr). */
  appIdAcr: '1' | '2'
}

export type TokenCheck =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'audience' | 'tenant' }

export class TokenService {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly kid: string,
    private readonly tenantGuid: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number
  ) {}

  static async create(tenantGuid: string, lifetimeSeconds: number, now: () => number) {
    const { privateKey, publicKey } = await signingKeys()
    return new TokenService(privateKey, publicKey, randomUUID(), tenantGuid, lifetimeSeconds, now)
  }

  /** v1-style app token as Entra issues for client credentials (stack-notes 2.6). */
  async issue(input: IssueInput): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(this.now() / 1000)
    const claims: Record<string, unknown> = {
      appid: input.appId,
      appidacr: input.appIdAcr,
      idtyp: 'app',
      oid: input.appId,
      tid: this.tenantGuid,
      ver: '1.0',
    }
    if (input.roles.length) claims.roles = input.roles
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(`https://sts.windows.net/${this.tenantGuid}/`)
      .setAudience(input.audience)
      .setSubject(input.appId)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey)
    return { token, expiresIn: this.lifetimeSeconds }
  }

  /** Checks an `Authorization` header against the audiences one API accepts. */
  async check(authorization: string | undefined, audiences: string[]): Promise<TokenCheck> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
    if (!match?.[1]) return { ok: false, reason: 'missing' }
    try {
      // Simulators in one process share a key pair; the kid keeps their tokens apart.
      if (decodeProtectedHeader(match[1]).kid !== this.kid)
        return { ok: false, reason: 'malformed' }
      const { payload } = await jwtVerify(match[1], this.publicKey, {
        algorithms: ['RS256'],
        issuer: `https://sts.windows.net/${this.tenantGuid}/`,
        requiredClaims: ['exp', 'tid', 'appid'],
        currentDate: new Date(this.now()),
      })
      const audience = [payload.aud ?? []].flat()
      if (!audience.some((aud) => audiences.includes(aud))) return { ok: false, reason: 'audience' }
      if (payload.tid !== this.tenantGuid) return { ok: false, reason: 'tenant' }
      return { ok: true, claims: payload as AccessClaims }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' }
      return { ok: false, reason: 'malformed' }
    }
  }
}
