/**
 * @module m365/graph-call
 * One Graph SDK client per API surface, with the project's transport and retry rules: the
 * SDK's own RetryHandler is left out (docs/microsoft-apis.md §4.2), every request goes through
 * `liveTransport`, transient faults are retried by withRetries and a 401 re-authenticates once.
 * Inbox rules (graph.ts) and the audit log query (audit-log.ts) both call Graph through it.
 */
import {
  AuthenticationHandler,
  AuthenticationHandlerOptions,
  Client,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client'
import { AuditError, AuditRunError, HttpStatusError, InternalError } from '../errors/errors.ts'
import { withFreshToken } from './fresh-token.ts'
import { liveTransport, TransportSlot } from './graph-transport.ts'
import { hostOf, RETRY_STATUSES } from './http.ts'
import { classifyFailure, withRetries } from './retry.ts'
import type { LiveContext, TokenProvider } from './types.ts'

export interface GraphCallOptions {
  /** Graph root, e.g. https://graph.microsoft.com (CloudEndpoints.graph); https only. */
  endpoint: string
  tokens: TokenProvider
  context: LiveContext
  /** What a 403 means for this API: the permission it lacks and how to grant it. */
  forbidden: (body: unknown) => AuditRunError
  /** A refusal this API names itself (400 AuditingDisabledTenant ...); undefined for the default. */
  refused?: (status: number, body: unknown) => AuditError | undefined
}

export type GraphRequest = (
  options: [AuthenticationHandlerOptions, TransportSlot]
) => Promise<unknown>

/** A Graph client and `call`, which runs one SDK request and checks its 2xx body. */
export function graphCaller(options: GraphCallOptions) {
  const { tokens, context: ctx } = options
  const root = options.endpoint.replace(/\/+$/, '')
  const host = hostOf(root)
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: 'v1.0',
    // The SDK attaches Authorization only for Graph hosts or customHosts, matched by hostname
    // without port (4.3); naming ours is a no-op for graph.microsoft.com and needed elsewhere.
    customHosts: new Set([new URL(root).hostname]),
    fetchOptions: {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      // Node's fetch sends `accept-language: *`, which some Graph workloads reject (4.4).
      headers: { 'Accept-Language': 'en-US' },
    },
    middleware: [
      new AuthenticationHandler({ getAccessToken: () => tokens.token(root, ctx.signal) }),
      new TelemetryHandler(),
      liveTransport(ctx),
    ],
  })
  const failure = (error: unknown) => graphFailure(error, host, options)

  /**
   * One SDK request with the checked 2xx body; transient faults retried, a 401 re-authenticated
   * once. The token is fetched before the SDK runs and handed to it per request: inside its
   * middleware a token failure would come out as a GraphError with the AuditRunError lost.
   */
  const call = <T>(request: GraphRequest, check: (body: unknown) => T): Promise<T> =>
    withFreshToken(tokens, root, graphTokenRejected, () =>
      withRetries(
        'graph',
        async () => {
          const token = await tokens.token(root, ctx.signal)
          const auth = new AuthenticationHandlerOptions({ getAccessToken: async () => token })
          const slot = new TransportSlot()
          let body: unknown
          try {
            body = await request([auth, slot])
          } catch (error) {
            throw failure(slot.failure ?? error)
          }
          return check(body)
        },
        (error) => classifyFailure(error, ctx.now()),
        ctx
      )
    )

  return { client, call, host, root }
}

/**
 * What a failed Graph request means, from the failure the transport left (an HttpStatusError,
 * NetworkError, InvalidJsonError or the abort) or, failing that, from the SDK's own GraphError
 * by its status: 401 and transient statuses go back to the retry loops, 403 is a missing
 * permission, any other status is Graph refusing the request.
 */
function graphFailure(error: unknown, host: string, options: GraphCallOptions): unknown {
  if (error instanceof AuditError) {
    if (!(error instanceof HttpStatusError)) return error
    if (error.status === 401 || RETRY_STATUSES.has(error.status)) return error
    if (error.status === 403) return options.forbidden(error.body)
    const named = options.refused?.(error.status, error.body)
    if (named) return named
    const { code, message } = graphErrorOf(error.body, error.status)
    const text = `Microsoft Graph answered HTTP ${error.status} (${code}): ${message}`
    return new AuditRunError('SOURCE_UNAVAILABLE', text, { cause: error })
  }
  // Not from our transport: an abort (withRetries reports the deadline) or the SDK failing on
  // an answer the transport accepted, which is Graph sending something we cannot read.
  const status = (error as { statusCode?: unknown } | null)?.statusCode
  if (typeof status === 'number' && status >= 100) {
    return graphFailure(new HttpStatusError(host, status, null, undefined), host, options)
  }
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return error
  return new InternalError(error)
}

/** `{"error":{"code","message"}}` (1.7), with fallbacks for an empty or foreign body. */
export function graphErrorOf(body: unknown, status: number): { code: string; message: string } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error
  return {
    code: typeof error?.code === 'string' && error.code ? error.code : `HTTP${status}`,
    message:
      typeof error?.message === 'string' && error.message
        ? error.message
        : `Microsoft Graph answered HTTP ${status}`,
  }
}

function graphTokenRejected(cause: unknown): AuditRunError {
  return new AuditRunError(
    'AUTH_FAILED',
    "Microsoft Graph rejected the app's token: check the tenant ID, client ID and credential, and that the Graph endpoint is in the same cloud as the token authority",
    { userFixable: true, cause }
  )
}
