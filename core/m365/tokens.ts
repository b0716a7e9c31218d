/**
 * @module m365/tokens
 * App-only access tokens from Entra's v2.0 token endpoint (client credentials grant) with a
 * client secret, a certificate assertion or a federated assertion. One token per resource,
 * reused until 5 minutes before it expires; callers that ask at once share one request, so a
 * scan of 10,000 mailboxes costs one token request per API. Credentials stay in this closure:
 * errors name the setting to fix, never carry the request.
 */
import * as z from 'zod/mini'
import { AuditRunError, HttpStatusError, InvalidJsonError, UsageError } from '../errors/errors.ts'
import { type AssertionSigner, certificateSigner } from './client-assertion.ts'
import { tokenRequestError } from './entra-errors.ts'
import { hostOf, readJson, send } from './http.ts'
import { classifyFailure, withRetries } from './retry.ts'
import { AZURE_SETTING_NAMES, type SettingNames } from './setting-names.ts'
import type { Credential, LiveContext, TokenProvider } from './types.ts'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const REFRESH_MARGIN_MS = 5 * 60_000
// A tenant GUID or domain; anything else (slashes, `..`) would change the token URL's path.
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]*$/

const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  // v2.0 sends a number; v1-style proxies send a numeric string.
  expires_in: z.union([
    z.number().check(z.positive()),
    z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number)),
  ]),
})

interface Cached {
  token: string
  /** Epoch ms after which the token is fetched anew. */
  refreshAt: number
}

/** A TokenProvider for one app credential against `{authority}/{tenantId}/oauth2/v2.0/token`. */
export function tokenProvider(
  credential: Credential,
  options: { authority: string; context: LiveContext; names?: SettingNames }
): TokenProvider {
  const ctx = options.context
  const names = options.names ?? AZURE_SETTING_NAMES
  if (!TENANT.test(credential.tenantId)) {
    throw new UsageError(
      `${names.tenantId} must be a tenant id (GUID) or domain such as contoso.onmicrosoft.com`,
      names.tenantId
    )
  }
  const endpoint = `${options.authority.replace(/\/+$/, '')}/${credential.tenantId}/oauth2/v2.0/token`
  const host = hostOf(endpoint)
  const signer =
    credential.kind === 'certificate'
      ? certificateSigner(credential, names.clientCertificate)
      : undefined
  const cache = new Map<string, Promise<Cached>>()

  const request = (resource: string): Promise<Cached> => {
    const requestedAt = ctx.now()
    return withRetries(
      'token',
      async () => {
        const sent = await credentialFields(credential, signer, endpoint, ctx)
        const form = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: credential.clientId,
          scope: `${resource}/.default`,
          ...sent,
        })
        const response = await send(ctx, endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form.toString(),
        })
        if (response.ok) return cachedToken(await readJson(response, host), requestedAt, host)
        const body = await errorBody(response, host)
        // Entra's 429 and 5xx are "temporarily_unavailable": retried by withRetries.
        if (response.status === 429 || response.status >= 500) {
          throw new HttpStatusError(
            host,
            response.status,
            response.headers.get('retry-after'),
            body
          )
        }
        throw tokenRequestError({
          status: response.status,
          body,
          host,
          ids: credential,
          sent: Object.values(sent),
          names,
        })
      },
      (error) => classifyFailure(error, ctx.now(), (status) => status === 429 || status >= 500),
      ctx
    )
  }

  const start = (key: string): Promise<Cached> => {
    const pending = request(key)
    cache.set(key, pending)
    // A failure is not cached: the next caller tries again.
    pending.catch(() => {
      if (cache.get(key) === pending) cache.delete(key)
    })
    return pending
  }

  const current = (key: string): Promise<Cached> => {
    const entry = cache.get(key)
    if (!entry) return start(key)
    return entry.then((cached) => {
      if (ctx.now() < cached.refreshAt) return cached
      // Callers that found the same stale token share the one refresh the first of them starts.
      const latest = cache.get(key)
      return latest && latest !== entry ? latest : start(key)
    })
  }

  return {
    token(resource, signal) {
      if (signal?.aborted) return Promise.reject(stopped(signal))
      const key = resource.replace(/\/+$/, '')
      return abortable(
        current(key).then((cached) => cached.token),
        signal
      )
    },
    invalidate(resource) {
      cache.delete(resource.replace(/\/+$/, ''))
    },
  }
}

/** The credential's form fields; their values are what error messages must never show. */
async function credentialFields(
  credential: Credential,
  signer: AssertionSigner | undefined,
  endpoint: string,
  ctx: LiveContext
): Promise<Record<string, string>> {
  switch (credential.kind) {
    case 'secret':
      return { client_secret: credential.clientSecret }
    case 'certificate':
      // Signed per attempt: a retried request must not replay an assertion's jti.
      return {
        client_assertion_type: JWT_BEARER,
        client_assertion: await (signer as AssertionSigner).sign(endpoint, ctx.now()),
      }
    case 'federated':
      return { client_assertion_type: JWT_BEARER, client_assertion: await federated(credential) }
  }
}

async function federated(credential: Extract<Credential, { kind: 'federated' }>): Promise<string> {
  let assertion: string
  try {
    assertion = await credential.assertion()
  } catch (error) {
    if (error instanceof AuditRunError) throw error
    // Message only, no cause: the adapter's error object is not ours to vouch for.
    const detail = error instanceof Error ? `: ${error.message}` : ''
    throw new AuditRunError('AUTH_FAILED', `could not get the federated token${detail}`, {
      userFixable: true,
    })
  }
  if (!assertion.trim()) {
    throw new AuditRunError('AUTH_FAILED', 'the federated token is empty', { userFixable: true })
  }
  return assertion.trim()
}

function cachedToken(body: unknown, requestedAt: number, host: string): Cached {
  const parsed = tokenResponse.safeParse(body)
  if (!parsed.success) {
    // The body is not quoted: a malformed answer may still hold a token.
    throw new AuditRunError(
      'SOURCE_UNAVAILABLE',
      `Microsoft Entra ID at ${host} answered the token request without a usable access token`
    )
  }
  const lifetimeMs = parsed.data.expires_in * 1000
  // Measured from the request's start, so a slow answer errs on the early side; short-lived
  // tokens (under 10 minutes) are refreshed at half-life instead.
  const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2)
  return { token: parsed.data.access_token, refreshAt: requestedAt + lifetimeMs - margin }
}

async function errorBody(response: Response, host: string): Promise<unknown> {
  try {
    return await readJson(response, host)
  } catch (error) {
    // A non-JSON error page (a proxy's HTML) is still an answer; a dropped body is retried.
    if (error instanceof InvalidJsonError) return undefined
    throw error
  }
}

/** Lets one caller stop waiting while the shared request goes on for the others. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stopped(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function stopped(signal: AbortSignal): AuditRunError {
  return new AuditRunError(
    'DEADLINE_EXCEEDED',
    'Stopped waiting for an access token: the audit was cancelled or reached its deadline',
    { cause: signal.reason }
  )
}
