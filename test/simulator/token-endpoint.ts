/**
 * @module test/simulator/token-endpoint
 * Entra's v2.0 token endpoint for the client-credentials grant: client secret, certificate
 * assertion (signed with the app certificate's key, found by its `x5t#S256` thumbprint) or
 * federated assertion (workload identity, e.g. GitHub OIDC). Errors carry Entra's body shape and
 * AADSTS codes so a client's error handling is exercised for real.
 */
import { createHash, X509Certificate } from 'node:crypto'
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importX509,
  type JWTPayload,
  jwtVerify,
} from 'jose'
import type { SimContext } from './context.ts'
import { exchangeAudiences } from './exchange.ts'
import { graphAudiences } from './graph.ts'
import { newRequestId, type SimRequest, type SimResponse, safeDecode, sleep } from './http.ts'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange'

export function tokenError(
  ctx: SimContext,
  status: number,
  error: string,
  code: number,
  description: string
): SimResponse {
  const traceId = newRequestId()
  const correlationId = newRequestId()
  const timestamp = `${new Date(ctx.now()).toISOString().replace('T', ' ').slice(0, 19)}Z`
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store, no-cache',
    },
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.endpoints.authority}/error?code=${code}`,
    },
  }
}

export async function handleToken(ctx: SimContext, req: SimRequest): Promise<SimResponse> {
  ctx.recorder.route('token')
  await sleep(ctx.latencyMs)
  const match = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(req.url.pathname)
  if (!match?.[1] || req.method !== 'POST') {
    return { status: 404, headers: { 'Content-Type': 'text/plain' }, raw: 'Not Found' }
  }
  const tenant = safeDecode(match[1])
  if (!ctx.tenant.names.has(tenant.toLowerCase())) {
    const text = `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
    return tokenError(ctx, 400, 'invalid_request', 90002, text)
  }
  const form = new URLSearchParams(req.body)
  const grant = form.get('grant_type')
  if (grant !== 'client_credentials') {
    if (!grant) {
      const text = "The request body must contain the following parameter: 'grant_type'."
      return tokenError(ctx, 400, 'invalid_request', 900144, text)
    }
    return tokenError(
      ctx,
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.'
    )
  }
  const clientId = form.get('client_id') ?? ''
  if (clientId.toLowerCase() !== ctx.app.clientId.toLowerCase()) {
    const text = `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
    return tokenError(ctx, 400, 'unauthorized_client', 700016, text)
  }
  const denied = await authenticateClient(ctx, form, tenant)
  if (denied) return denied
  return issue(ctx, form.get('scope') ?? '', tenant, form.get('client_assertion') ? '2' : '1')
}

async function authenticateClient(
  ctx: SimContext,
  form: URLSearchParams,
  tenant: string
): Promise<SimResponse | undefined> {
  const assertion = form.get('client_assertion')
  if (assertion && form.get('client_assertion_type') === JWT_BEARER) {
    let issuer: unknown
    try {
      issuer = decodeJwt(assertion).iss
    } catch {
      return tokenError(ctx, 400, 'invalid_request', 50027, 'JWT token is invalid or malformed.')
    }
    // An assertion issued by the app itself is a certificate credential; anything else must
    // match a federated identity credential.
    return issuer === ctx.app.clientId
      ? certificateAssertion(ctx, assertion, tenant)
      : federatedAssertion(ctx, assertion)
  }
  const secret = form.get('client_secret')
  if (secret === null) {
    const text =
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
    return tokenError(ctx, 401, 'invalid_client', 7000218, text)
  }
  if (secret !== ctx.app.clientSecret) {
    const text = `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${ctx.app.clientId}'.`
    return tokenError(ctx, 401, 'invalid_client', 7000215, text)
  }
  return undefined
}

const base64url = (bytes: Buffer) => bytes.toString('base64url')

async function certificateAssertion(
  ctx: SimContext,
  assertion: string,
  tenant: string
): Promise<SimResponse | undefined> {
  const invalid = (reason: string) =>
    tokenError(
      ctx,
      401,
      'invalid_client',
      700027,
      `Client assertion failed signature validation. [Reason - ${reason}]`
    )
  const pem = ctx.app.certificatePem
  if (!pem)
    return invalid('The key was not found. No certificate is registered on the application.')
  const der = new X509Certificate(pem).raw
  const header = decodeProtectedHeader(assertion)
  // Entra finds the key by thumbprint: x5t#S256 (SHA-256, what MSAL sends now) or legacy x5t (SHA-1).
  const thumbprintOk =
    header['x5t#S256'] === base64url(createHash('sha256').update(der).digest()) ||
    header.x5t === base64url(createHash('sha1').update(der).digest())
  if (!thumbprintOk) {
    return invalid(
      'The key used is not registered on the application. Thumbprint of key used by client does not match.'
    )
  }
  const audiences = [...new Set([tenant, ctx.tenant.tenantGuid])].map(
    (t) => `${ctx.endpoints.authority}/${t}/oauth2/v2.0/token`
  )
  try {
    const key = await importX509(pem, header.alg === 'PS256' ? 'PS256' : 'RS256')
    await jwtVerify(assertion, key, {
      algorithms: ['RS256', 'PS256'],
      audience: audiences,
      issuer: ctx.app.clientId,
      subject: ctx.app.clientId,
      requiredClaims: ['exp'],
      currentDate: new Date(ctx.now()),
    })
    return undefined
  } catch (error) {
    if (error instanceof errors.JWTExpired) return expired(ctx, error.payload)
    if (error instanceof errors.JWTClaimValidationFailed)
      return invalid(`Claim '${error.claim}' is invalid.`)
    return invalid('Key was found, but use of the key to verify the signature failed.')
  }
}

async function federatedAssertion(
  ctx: SimContext,
  assertion: string
): Promise<SimResponse | undefined> {
  const federated = ctx.app.federatedIssuer
  const claims = decodeJwt(assertion)
  const noIssuer = () => {
    const text = `No matching federated identity record found for presented assertion issuer '${claims.iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`
    return tokenError(ctx, 400, 'invalid_request', 700211, text)
  }
  if (!federated || claims.iss !== federated.issuer) return noIssuer()
  const audience = [claims.aud ?? []].flat()
  if (
    !audience.includes(FEDERATED_AUDIENCE) ||
    (federated.subject !== undefined && claims.sub !== federated.subject)
  ) {
    const text = `No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss}'. Assertion Subject: '${claims.sub}'. Assertion Audience: '${audience.join(',')}'.`
    return tokenError(ctx, 400, 'invalid_request', 70021, text)
  }
  try {
    const jwks = createLocalJWKSet(federated.jwks as Parameters<typeof createLocalJWKSet>[0])
    await jwtVerify(assertion, jwks, {
      algorithms: ['RS256', 'PS256', 'ES256'],
      issuer: federated.issuer,
      audience: FEDERATED_AUDIENCE,
      requiredClaims: ['exp'],
      currentDate: new Date(ctx.now()),
    })
    return undefined
  } catch (error) {
    if (error instanceof errors.JWTExpired) return expired(ctx, error.payload)
    return noIssuer()
  }
}

function expired(ctx: SimContext, payload: JWTPayload): SimResponse {
  const at = (seconds: number | undefined) =>
    seconds ? new Date(seconds * 1000).toUTCString() : 'unknown'
  const text = `Client assertion is not within its valid time range. Current time: ${new Date(ctx.now()).toISOString()}, assertion valid from ${at(payload.nbf ?? payload.iat)}, expiry time of assertion ${at(payload.exp)}.`
  return tokenError(ctx, 400, 'invalid_client', 700024, text)
}

async function issue(
  ctx: SimContext,
  scope: string,
  tenant: string,
  acr: '1' | '2'
): Promise<SimResponse> {
  const scopes = scope.split(/\s+/).filter(Boolean)
  if (scopes.length !== 1 || !scopes[0]?.endsWith('/.default')) {
    const text = `The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
    return tokenError(ctx, 400, 'invalid_scope', 1002012, text)
  }
  const resource = scopes[0].slice(0, -'/.default'.length).replace(/\/+$/, '')
  const isGraph = graphAudiences(ctx).includes(resource)
  if (!isGraph && !exchangeAudiences(ctx).includes(resource)) {
    const text = `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`
    return tokenError(ctx, 400, 'invalid_resource', 500011, text)
  }
  const roles = isGraph
    ? ctx.app.graphRoles
    : ctx.app.exchangeManageAsApp
      ? ['Exchange.ManageAsApp']
      : []
  const { token, expiresIn } = await ctx.tokens.issue({
    audience: resource,
    roles,
    appId: ctx.app.clientId,
    appIdAcr: acr,
  })
  return {
    status: 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store, no-cache',
    },
    body: {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
    },
  }
}

export function tokenFault(ctx: SimContext, kind: '429' | '503', retryAfter?: string): SimResponse {
  const response = tokenError(
    ctx,
    kind === '429' ? 429 : 503,
    'temporarily_unavailable',
    90055,
    'The service is temporarily unavailable. Please retry.'
  )
  if (retryAfter) response.headers = { ...response.headers, 'Retry-After': retryAfter }
  return response
}
