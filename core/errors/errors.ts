/**
 * @module errors/errors
 * One typed error hierarchy for everything a caller of core can see (jose's `JOSEError` is the
 * model). Every class carries a stable `code` from the closed `AuditErrorCode` union: callers
 * branch on `err.code`, never on message text. `userFixable` errors name the field, setting or
 * permission and the fix; adapters show their message as-is and never a stack trace.
 */

/** Every code an AuditError can carry. Adapters map them with `errorStatus` (error-status.ts). */
export type AuditErrorCode =
  /** A request field is wrong (`since`, `users[2]`). */
  | 'INVALID_REQUEST'
  /** A tenant snapshot document is malformed; `field` is the path inside it. */
  | 'INVALID_SNAPSHOT'
  /** An allowlist document is malformed; `field` is the path inside it. */
  | 'INVALID_ALLOWLIST'
  /** An audit-log export is not one (`events FILE`); `field` names the line or record. */
  | 'INVALID_AUDIT_LOG'
  /** A baseline is neither a JSON report nor a snapshot, or is malformed; `field` is the path inside it. */
  | 'INVALID_BASELINE'
  /** An adapter setting is wrong: a flag, an environment variable, an action input, a binding. */
  | 'INVALID_SETTING'
  /** Microsoft Entra ID refused the app's credentials, or a service refused its token. */
  | 'AUTH_FAILED'
  /** The app lacks a permission or an Exchange role the audit needs. */
  | 'PERMISSION_DENIED'
  /** Microsoft 365 kept throttling after every retry. */
  | 'THROTTLED'
  /** Microsoft 365 answered with something other than data (an error, a broken page) or kept failing. */
  | 'SOURCE_UNAVAILABLE'
  /** One HTTP answer the caller did not want (inside retries; escapes only if a caller lets it). */
  | 'HTTP_STATUS'
  /** The connection failed or dropped before a whole answer arrived. */
  | 'NETWORK_ERROR'
  /** A 2xx answer whose body was not the JSON it should be. */
  | 'INVALID_RESPONSE'
  /** The audit was cancelled or reached its deadline. */
  | 'DEADLINE_EXCEEDED'
  /** The report could not be delivered: a full disk, a closed pipe. */
  | 'OUTPUT_FAILED'
  /** A bug: something failed that core does not expect. The message says to report it. */
  | 'INTERNAL'
  /** An HTTP adapter's caller sent no valid bearer token (missing, malformed, expired, untrusted). */
  | 'UNAUTHENTICATED'
  /** The caller's token lacks the required scope, or names a tenant the caller may not audit. */
  | 'FORBIDDEN'
  /** The caller's credit balance cannot pay for the request. */
  | 'CREDITS_EXHAUSTED'
  /** The request body is larger than the adapter accepts. */
  | 'BODY_TOO_LARGE'
  /** The request body is not the media type the adapter accepts (JSON). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** The caller sent too many requests; the answer says when to try again. */
  | 'RATE_LIMITED'
  /** The audit needs more Microsoft 365 requests than the runtime allows one request to make. */
  | 'SUBREQUEST_BUDGET_EXCEEDED'
  /** No such endpoint. */
  | 'NOT_FOUND'

/** Base class: every error core lets a caller see is an AuditError with a stable code. */
export class AuditError extends Error {
  readonly code: AuditErrorCode
  /** True when the person running the audit can fix it (bad input, missing permission). */
  readonly userFixable: boolean

  constructor(
    code: AuditErrorCode,
    message: string,
    options?: { cause?: unknown; userFixable?: boolean }
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.userFixable = options?.userFixable ?? false
  }
}

/** The codes of input a user gave. */
export type InvalidInputCode =
  | 'INVALID_REQUEST'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_ALLOWLIST'
  | 'INVALID_AUDIT_LOG'
  | 'INVALID_BASELINE'
  | 'INVALID_SETTING'

/** Input the user gave is wrong; the message names the field and the fix. */
export class InvalidInputError extends AuditError {
  /**
   * The offending field: a request field (`since`), a path inside a document
   * (`mailboxes[3].mailbox.UserPrincipalName`) or an adapter's setting (`--output`).
   */
  readonly field: string | undefined

  constructor(code: InvalidInputCode, message: string, field?: string) {
    super(code, message, { userFixable: true })
    this.field = field
  }
}

/**
 * A setting an adapter reads is wrong: a flag, an environment variable, an action input, a
 * binding. `field` is the setting's name as the user wrote it.
 */
export class UsageError extends InvalidInputError {
  constructor(message: string, setting?: string) {
    super('INVALID_SETTING', message, setting)
  }
}

/** The audit could not run: credentials, permissions, throttling, network, deadline. */
export class AuditRunError extends AuditError {}

/** An HTTP answer the caller did not want, thrown inside an attempt so it can be retried. */
export class HttpStatusError extends AuditError {
  constructor(
    readonly host: string,
    readonly status: number,
    /** The raw Retry-After header, if any. */
    readonly retryAfter: string | null,
    /** The parsed JSON body (or text) for the caller's error mapping; never a request. */
    readonly body: unknown
  ) {
    super('HTTP_STATUS', `${host} answered HTTP ${status}`)
  }
}

/** The connection failed or dropped before a whole response arrived. */
export class NetworkError extends AuditError {
  constructor(
    readonly host: string,
    /** A short reason such as ECONNRESET, for the message; the raw error is not kept. */
    readonly reason: string
  ) {
    super('NETWORK_ERROR', `could not reach ${host} (${reason})`)
  }
}

/** A 2xx response whose body was not valid JSON: a stream cut short by a proxy or the service. */
export class InvalidJsonError extends AuditError {
  constructor(readonly host: string) {
    super('INVALID_RESPONSE', `${host} returned incomplete JSON`)
  }
}

/** A bug. The original error is the cause, for a debug log; its text never reaches a user. */
export class InternalError extends AuditError {
  constructor(cause: unknown) {
    super(
      'INTERNAL',
      'internal error: the audit failed unexpectedly; please report it with FORWARDING_AUDIT_DEBUG=1 output',
      { cause }
    )
  }
}

/** Narrow an unknown thrown value to an AuditError. */
export function isAuditError(value: unknown): value is AuditError {
  return value instanceof AuditError
}

/** Any thrown value as an AuditError: ours pass through, anything else is an InternalError. */
export function toAuditError(value: unknown): AuditError {
  return value instanceof AuditError ? value : new InternalError(value)
}
