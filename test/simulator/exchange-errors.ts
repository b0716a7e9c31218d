/**
 * @module test/simulator/exchange-errors
 * The Exchange admin API's failure shapes (docs/microsoft-apis.md §5.2, 5.4): a JSON envelope whose
 * message is always "Invalid Operation", a 403 whose body is NUL bytes, a plain-text throttling
 * message, and a bodiless 401.
 */
import type { SimContext } from './context.ts'
import type { Fault } from './faults.ts'
import { newRequestId, type SimResponse } from './http.ts'

export const EXO_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

/** What a cmdlet reports when it fails; turned into the 400 envelope below. */
export interface CmdletFailure {
  /** .NET exception type, e.g. `Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException`. */
  type: string
  message: string
  /** Error code before the first `|` of details[0].message, e.g. `Ex6F9304`; empty for client errors. */
  code?: string
  /** Parameter-transformation failures come without `details` (first capture in 5.4). */
  withDetails?: boolean
}

export function exoHeaders(): Record<string, string> {
  return { 'Content-Type': EXO_CONTENT_TYPE, 'OData-Version': '4.0', 'request-id': newRequestId() }
}

export function exoInvalidOperation(failure: CmdletFailure): SimResponse {
  const innererror = {
    message: 'Invalid Operation',
    type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
    stacktrace: '',
    internalexception: { message: failure.message, type: failure.type, stacktrace: '' },
  }
  const error: Record<string, unknown> = { code: 'BadRequest', message: 'Invalid Operation' }
  if (failure.withDetails === false) {
    Object.assign(error, {
      innererror,
      'adminapi.warnings@odata.type': '#Collection(String)',
      '@adminapi.warnings': [],
    })
  } else {
    const detail = `${failure.code ?? ''}|${failure.type}|${failure.message}`
    Object.assign(error, { details: [{ code: 'Client', target: '', message: detail }], innererror })
  }
  return { status: 400, headers: exoHeaders(), body: { error } }
}

/** A request the OData layer rejects before any cmdlet runs (bad JSON, no CmdletInput). */
export function exoBadRequest(message: string): SimResponse {
  return { status: 400, headers: exoHeaders(), body: { error: { code: 'BadRequest', message } } }
}

/** Missing directory role or unknown cmdlet: 403 with thousands of NUL bytes (5.4). */
export function exoForbidden(): SimResponse {
  return { status: 403, headers: { 'request-id': newRequestId() }, raw: Buffer.alloc(4096) }
}

export const CONCURRENCY_MESSAGE =
  'You have reached the maximum number of concurrent requests per tenant. Please wait and try again'

/** The plain-text throttle ExoHelper retries on (5.4). */
export function exoThrottled(retryAfter: string): SimResponse {
  return {
    status: 429,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': retryAfter },
    raw: CONCURRENCY_MESSAGE,
  }
}

export function exoFault(fault: Fault): SimResponse {
  if (fault.kind === '429') return exoThrottled(fault.retryAfter ?? '1')
  const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8' }
  if (fault.retryAfter) headers['Retry-After'] = fault.retryAfter
  return { status: 503, headers, raw: 'Service Unavailable' }
}

const DIAGNOSTICS = {
  missing: '2000000;reason="The Authorization header is missing or empty."',
  malformed: '2000001;reason="The token is not valid."',
  expired: '2000008;reason="The token has expired."',
  audience: '2000003;reason="The audience claim value is invalid for current resource."',
  tenant: '2000001;reason="The token was issued for another tenant."',
  role: '2000001;reason="The token has no Exchange.ManageAsApp role."',
} as const

/** EXO answers 401 with an empty body and the reason in x-ms-diagnostics [shape unverified]. */
export function exoUnauthorized(ctx: SimContext, reason: keyof typeof DIAGNOSTICS): SimResponse {
  return {
    status: 401,
    headers: {
      'request-id': newRequestId(),
      'WWW-Authenticate': `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="${ctx.endpoints.authority}/common/oauth2/authorize", error="invalid_token"`,
      'x-ms-diagnostics': `${DIAGNOSTICS[reason]};error_category="invalid_token"`,
    },
    raw: '',
  }
}
