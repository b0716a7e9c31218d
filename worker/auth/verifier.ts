/**
 * @module worker/auth/verifier
 * Verifies the bearer JWT with jose: the signature against the issuer's keys (a remote JWKS
 * cached per isolate, or one configured public key), the algorithm against an allowlist
 * (never `none`, never HS* with a public key), `iss`, `aud` and a required `exp`, with a small
 * clock tolerance. Why a token failed goes to the log as jose's code; the caller learns only
 * whether to get a new token.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  importSPKI,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose'
import { AuditError, AuditRunError } from '../../core/index.ts'
import type { AuthConfig, KeySource } from '../config.ts'
import { unauthorized } from '../http/errors.ts'
import { isTenantGuid } from './tenant.ts'

/** Checks a bearer token and returns its claims. */
export interface TokenVerifier {
  /** The verified claims; throws UNAUTHENTICATED (401) or SOURCE_UNAVAILABLE (keys unreachable). */
  verify(token: string): Promise<JWTPayload>
}

/**
 * A verifier for `config`. Build it once per isolate: the remote key set's cache lives in it,
 * and jose's cooldown keeps a flood of unknown `kid`s from refetching the set.
 * @example
 * const verifier = tokenVerifier(config.auth)
 * const claims = await verifier.verify(bearerToken)
 */
export function tokenVerifier(config: AuthConfig): TokenVerifier {
  const getKey = keyResolver(config.keys)
  return {
    async verify(token) {
      const issuer = expectedIssuer(config.issuer, token)
      try {
        const { payload } = await jwtVerify(token, getKey, {
          issuer,
          audience: config.audience,
          algorithms: config.algorithms,
          clockTolerance: config.clockToleranceSeconds,
          requiredClaims: ['exp'],
        })
        return payload
      } catch (error) {
        throw verificationError(error)
      }
    },
  }
}

/**
 * The issuer a token must carry. Entra's multi-tenant issuer holds the tenant: the template's
 * `{tenantid}` is the token's own `tid`, checked to be a GUID (Microsoft's validation guidance).
 */
function expectedIssuer(template: string, token: string): string {
  if (!template.includes('{tenantid}')) return template
  let tid: unknown
  try {
    tid = decodeJwt(token).tid
  } catch {
    throw unauthorized('the token is not a JWT', 'ERR_JWT_INVALID')
  }
  if (!isTenantGuid(tid)) {
    throw unauthorized('the token names no tenant (tid)', 'ERR_JWT_CLAIM_VALIDATION_FAILED')
  }
  return template.replaceAll('{tenantid}', tid)
}

function keyResolver(keys: KeySource): JWTVerifyGetKey {
  switch (keys.kind) {
    case 'jwks': {
      const remote = createRemoteJWKSet(keys.url, {
        // jose's defaults, spelled out: refetch at most every 30 s for an unknown kid, keep the
        // set 10 minutes, give up on the issuer after 5 s.
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
        timeoutDuration: 5_000,
      })
      return async (header, token) => {
        try {
          return await remote(header, token)
        } catch (error) {
          // The key set could not be had (the issuer down, a broken answer): not the caller's
          // fault, so not a 401. A key the set lacks is (jose's other codes).
          throw FETCH_FAILURES.has(codeOf(error)) ? keysUnavailable(error) : error
        }
      }
    }
    case 'jwk':
      return createLocalJWKSet({ keys: keys.keys as never })
    case 'pem': {
      // A PEM key has no algorithm of its own: import it for the token's, once per algorithm;
      // jose has already refused an algorithm outside the allowlist.
      const imported = new Map<string, Promise<CryptoKey>>()
      return (header) => {
        const alg = header.alg as string
        let key = imported.get(alg)
        if (!key) {
          // A key of another type than the token's algorithm (an RSA key, an ES256 token).
          key = importSPKI(keys.pem, alg).catch(() => {
            throw unauthorized('the token is not valid', `JWT_PUBLIC_KEY does not fit ${alg}`)
          })
          imported.set(alg, key)
        }
        return key
      }
    }
  }
}

/**
 * How fetching a key set fails in jose: a timeout, a broken or non-200 answer (a generic
 * JOSEError), or fetch's own error (no code: a TypeError, or workerd's plain Error).
 */
const FETCH_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC', ''])

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

/** jose's failure as the API's: a 401 that says only whether to get a new token. */
function verificationError(error: unknown): Error {
  if (error instanceof AuditError) return error
  const code = codeOf(error)
  const claim = (error as { claim?: unknown } | null)?.claim
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return unauthorized('the token has expired: get a new one', code)
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'nbf') return unauthorized('the token is not valid yet', code)
      if (claim === 'exp') return unauthorized('the token has no expiry (exp)', code)
      if (claim === 'iss' || claim === 'aud') {
        return unauthorized('the token was not issued for this API', code)
      }
      return unauthorized('the token is not valid', code)
    default:
      return unauthorized('the token is not valid', code || 'invalid')
  }
}

function keysUnavailable(cause: unknown): AuditRunError {
  return new AuditRunError(
    'SOURCE_UNAVAILABLE',
    "the token issuer's signing keys could not be fetched: try again later",
    { cause }
  )
}
