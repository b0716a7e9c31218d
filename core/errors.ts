/**
 * @module errors
 * One typed error hierarchy for the whole engine. Callers branch on `err.code`, never on
 * message text. `userFixable` errors carry a message that names the field or permission
 * and the fix; adapters show that message as-is and never a stack trace.
 */

export type AuditErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_SNAPSHOT'
  | 'INVALID_ALLOWLIST'
  | 'AUTH_FAILED'
  | 'PERMISSION_DENIED'
  | 'THROTTLED'
  | 'MAILBOX_UNAVAILABLE'
  | 'SOURCE_UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL'

/** Base class: every error the engine throws on purpose is an AuditError with a stable code. */
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

/** Input the user gave (request, flags, files) is wrong; the message names the field and the fix. */
export class InvalidInputError extends AuditError {
  /** Dotted path of the offending field (`since`, `mailboxes[3].mailbox.ForwardingSmtpAddress`). */
  readonly field: string | undefined

  constructor(
    code: 'INVALID_REQUEST' | 'INVALID_SNAPSHOT' | 'INVALID_ALLOWLIST',
    message: string,
    field?: string
  ) {
    super(code, message, { userFixable: true })
    this.field = field
  }
}

/** The audit could not run: credentials, permissions, network, deadline. */
export class AuditRunError extends AuditError {}

/** Narrow an unknown thrown value to an AuditError without losing non-audit bugs. */
export function isAuditError(value: unknown): value is AuditError {
  return value instanceof AuditError
}
