/**
 * @module test/simulator/graph-errors
 * Graph's error envelope and the standard headers, shared by top-level calls and $batch items.
 */
import type { SimContext } from './context.ts'
import type { Fault } from './faults.ts'
import { innerErrorDate, newRequestId, type SimResponse } from './http.ts'

export const GRAPH_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

export function graphHeaders(clientRequestId?: string): Record<string, string> {
  const requestId = newRequestId()
  return {
    'Content-Type': GRAPH_CONTENT_TYPE,
    'OData-Version': '4.0',
    'Cache-Control': 'no-cache',
    'request-id': requestId,
    'client-request-id': clientRequestId ?? requestId,
  }
}

/** `{"error":{"code","message","innerError":{date,request-id,client-request-id}}}` (1.7). */
export function graphError(
  ctx: SimContext,
  status: number,
  code: string,
  message: string,
  extraHeaders: Record<string, string> = {},
  clientRequestId?: string
): SimResponse {
  const headers = { ...graphHeaders(clientRequestId), ...extraHeaders }
  const innerError = {
    date: innerErrorDate(ctx.now()),
    'request-id': headers['request-id'],
    'client-request-id': headers['client-request-id'],
  }
  return { status, headers, body: { error: { code, message, innerError } } }
}

/** The documented 429 sample (4.1), with Retry-After in decimal seconds like real Graph. */
export function graphThrottled(ctx: SimContext, retryAfter: string): SimResponse {
  const response = graphError(ctx, 429, 'TooManyRequests', 'Please retry again later.', {
    'Retry-After': retryAfter,
  })
  const error = (response.body as { error: { innerError: Record<string, unknown> } }).error
  Object.assign(error.innerError, { code: '429', message: 'Please retry after', status: '429' })
  return response
}

/** Outlook's per-mailbox concurrency throttle (4.1: magodo/terraform-provider-outlook#21). */
export function mailboxConcurrencyThrottled(ctx: SimContext): SimResponse {
  return {
    status: 429,
    headers: { ...graphHeaders(), 'Retry-After': ctx.limitRetryAfter },
    body: {
      error: {
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
      },
    },
  }
}

export function graphFault(ctx: SimContext, fault: Fault): SimResponse {
  if (fault.kind === '429') return graphThrottled(ctx, fault.retryAfter ?? '1')
  const headers: Record<string, string> = fault.retryAfter
    ? { 'Retry-After': fault.retryAfter }
    : {}
  return graphError(ctx, 503, 'serviceNotAvailable', 'Service unavailable, please retry.', headers)
}

const GRAPH_AUTH_MESSAGES = {
  missing: 'Access token is empty.',
  malformed: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  audience: 'Access token validation failure. Invalid audience.',
  tenant: 'Access token validation failure. Invalid tenant.',
} as const

export function graphUnauthorized(
  ctx: SimContext,
  reason: keyof typeof GRAPH_AUTH_MESSAGES
): SimResponse {
  return graphError(ctx, 401, 'InvalidAuthenticationToken', GRAPH_AUTH_MESSAGES[reason], {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.endpoints.authority}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  })
}
