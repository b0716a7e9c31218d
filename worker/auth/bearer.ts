/**
 * @module worker/auth/bearer
 * Bearer authentication on each protected route: the `Authorization: Bearer <jwt>` header
 * (RFC 6750; any other scheme is a 401), the verified claims, who the caller is, and the
 * scope check. Entra puts delegated scopes in `scp` (one space-separated string), app roles in
 * `roles` (an array); generic OAuth servers use `scope`. All three are read.
 */

import { createMiddleware } from 'hono/factory'
import type { JWTPayload } from 'jose'
import { insufficientScope, unauthorized } from '../http/errors.ts'
import type { TokenVerifier } from './verifier.ts'

/** Who is calling, from a verified token. */
export interface Principal {
  /** The key credits and rate limits are kept under: the tenant and the caller's id. */
  caller: string
  /** `sub`, or for an app token `azp` / `appid` (the calling application). */
  id: string
  /** The token's tenant (`tid`), if it names one. */
  tenant: string | undefined
  scopes: ReadonlySet<string>
}

export type AuthVariables = { principal: Principal }

// RFC 6750 2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Middleware for one route: a verified token with `scope`, or 401 / 403. It is put on each
 * route that needs it, never on a prefix, so no path escapes it.
 */
export function bearerAuth(verifier: TokenVerifier, scope: string) {
  return createMiddleware<{ Variables: AuthVariables }>(async function bearerAuth(c, next) {
    const token = bearerToken(c.req.header('authorization'))
    const principal = principalOf(await verifier.verify(token))
    if (!principal.scopes.has(scope)) throw insufficientScope(scope)
    c.set('principal', principal)
    await next()
  })
}

/** The token of an `Authorization: Bearer` header; anything else is a 401. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw unauthorized(
      'an access token is required: send Authorization: Bearer <token>',
      'no credentials',
      false
    )
  }
  const match = BEARER.exec(header)
  if (!match?.[1]) {
    const scheme = /^\S+/.exec(header)?.[0] ?? ''
    const other = scheme.toLowerCase() !== 'bearer'
    throw unauthorized(
      other
        ? 'only Bearer tokens are accepted: send Authorization: Bearer <token>'
        : 'the Authorization header is malformed: send Authorization: Bearer <token>',
      other ? 'other scheme' : 'malformed bearer',
      !other
    )
  }
  return match[1]
}

/** The caller a verified token names, with its scopes. */
export function principalOf(claims: JWTPayload): Principal {
  const scopes = new Set([
    ...words(claims.scp),
    ...words(claims.scope),
    ...(Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : []),
  ])
  // An app token (client credentials) acts for the application: Entra marks it idtyp "app",
  // older tokens only by carrying roles and no delegated scope.
  const app = claims.idtyp === 'app' || (claims.scp === undefined && Array.isArray(claims.roles))
  const candidates = app
    ? [claims.azp, claims.appid, claims.sub]
    : [claims.sub, claims.azp, claims.appid]
  const id = candidates.find((value): value is string => typeof value === 'string' && value !== '')
  if (!id) throw unauthorized('the token names no caller (sub, azp or appid)', 'no subject')
  const tenant = typeof claims.tid === 'string' && claims.tid ? claims.tid.toLowerCase() : undefined
  return { caller: `${tenant ?? '-'}/${id}`, id, tenant, scopes }
}

/** Space-separated scopes (RFC 8693), or a list of them (some servers send arrays). */
function words(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean)
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}
