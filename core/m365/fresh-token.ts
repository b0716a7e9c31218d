/**
 * @module m365/fresh-token
 * One more try with a new token after a 401. A cached token can be revoked or rolled over before
 * it expires, so the first 401 only invalidates it; a second 401 with a token fetched just now
 * means the app lacks the grant, and the caller's message says which one.
 */
import type { AuditRunError } from '../errors/errors.ts'
import { HttpStatusError } from '../errors/errors.ts'
import type { TokenProvider } from './types.ts'

/** Run `call`; on a 401 invalidate `resource`'s token and run it once more; a second 401 throws `rejected()`. */
export async function withFreshToken<T>(
  tokens: TokenProvider,
  resource: string,
  rejected: (cause: unknown) => AuditRunError,
  call: () => Promise<T>
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (!isUnauthorized(error)) throw error
    tokens.invalidate(resource)
  }
  try {
    return await call()
  } catch (error) {
    throw isUnauthorized(error) ? rejected(error) : error
  }
}

const isUnauthorized = (error: unknown): boolean =>
  error instanceof HttpStatusError && error.status === 401
