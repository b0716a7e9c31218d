/**
 * @module worker/http/errors
 * The API's one error shape, `{"error":{"code","message","details"?}}`, for every failure:
 * core's AuditErrors keep their code and message, the status comes from core's table
 * (errorStatus), and anything unexpected is INTERNAL with the request id and nothing else:
 * never a stack trace, a token, a secret or a path.
 */
import { HTTPException } from 'hono/http-exception'
import {
  AuditError,
  type AuditErrorCode,
  errorStatus,
  InvalidInputError,
  toAuditError,
} from '../../core/index.ts'

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: AuditErrorCode; message: string; details?: Record<string, unknown> }
}

/** The realm every WWW-Authenticate challenge names: the API, never the request URL. */
const REALM = 'forwarding-audit'

/** A failure of the HTTP layer itself: its code, the headers it needs, details for the caller. */
export class ApiError extends AuditError {
  constructor(
    code: AuditErrorCode,
    message: string,
    readonly extra: {
      headers?: Record<string, string>
      details?: Record<string, unknown>
      /** What the log may say about it that the caller is not told (jose's error code). */
      reason?: string
    } = {}
  ) {
    super(code, message, { userFixable: true })
  }
}

/**
 * 401 with the RFC 6750 challenge. A request without credentials gets no error code (3.1);
 * one whose token failed gets `invalid_token`.
 */
export function unauthorized(message: string, reason: string, withError = true): ApiError {
  const challenge = withError
    ? `Bearer realm="${REALM}", error="invalid_token"`
    : `Bearer realm="${REALM}"`
  return new ApiError('UNAUTHENTICATED', message, {
    headers: { 'WWW-Authenticate': challenge },
    reason,
  })
}

/** 403 for a token without the scope, with the RFC 6750 `insufficient_scope` challenge. */
export function insufficientScope(scope: string): ApiError {
  return new ApiError(
    'FORBIDDEN',
    `the token lacks the scope ${scope}: grant it to the caller (a delegated scope in scp, or an app role in roles)`,
    {
      headers: {
        'WWW-Authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`,
      },
    }
  )
}

/** Any thrown value as the API's error: its status, its body, the headers it needs. */
export function errorResponseParts(
  thrown: unknown,
  requestId: string
): { status: number; body: ErrorBody; headers: Record<string, string>; error: AuditError } {
  const error = fromHono(thrown) ?? toAuditError(thrown)
  const status = errorStatus(error.code).http
  const message =
    error.code === 'INTERNAL'
      ? `internal error: the request failed unexpectedly; report request id ${requestId}`
      : error.message
  const details = {
    ...(error instanceof InvalidInputError && error.field ? { field: error.field } : {}),
    ...(error instanceof ApiError ? error.extra.details : {}),
  }
  return {
    status,
    body: {
      error: {
        code: error.code,
        message,
        ...(Object.keys(details).length > 0 ? { details } : {}),
      },
    },
    headers: error instanceof ApiError ? (error.extra.headers ?? {}) : {},
    error,
  }
}

/** Hono's own HTTPExceptions (a malformed request it refused) in the API's terms. */
function fromHono(thrown: unknown): AuditError | undefined {
  if (!(thrown instanceof HTTPException)) return undefined
  const code: AuditErrorCode =
    thrown.status === 404
      ? 'NOT_FOUND'
      : thrown.status === 413
        ? 'BODY_TOO_LARGE'
        : thrown.status >= 400 && thrown.status < 500
          ? 'INVALID_REQUEST'
          : 'INTERNAL'
  return new ApiError(code, code === 'INVALID_REQUEST' ? 'the request is malformed' : 'internal')
}
