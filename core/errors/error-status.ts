/**
 * @module errors/error-status
 * What each error code means to an adapter: the command's exit status and the HTTP status an
 * API answers with. One table, so the CLI, the worker and the action never disagree.
 */
import type { AuditErrorCode } from './errors.ts'

/** The command's exit statuses; CI gates and scripts branch on them. */
export const EXIT_STATUS = {
  ok: 0,
  /** Findings at or above `--fail-on`. */
  findings: 1,
  /** Usage or input error: a flag, a file, a request field, a setting. */
  usage: 2,
  /** The audit could not run: authentication, permissions, network, a bug. */
  failed: 3,
} as const

export interface ErrorStatus {
  /** Process exit status for a command-line adapter. */
  exit: (typeof EXIT_STATUS)[keyof typeof EXIT_STATUS]
  /** HTTP status for an API adapter. */
  http: number
}

const input = { exit: EXIT_STATUS.usage, http: 400 } as const
/** Microsoft 365 refused or failed: a bad gateway from the caller's point of view. */
const upstream = { exit: EXIT_STATUS.failed, http: 502 } as const

/** Error code → exit status and HTTP status. */
export const ERROR_STATUS: Readonly<Record<AuditErrorCode, ErrorStatus>> = {
  INVALID_REQUEST: input,
  INVALID_SNAPSHOT: input,
  INVALID_ALLOWLIST: input,
  INVALID_AUDIT_LOG: input,
  INVALID_BASELINE: input,
  INVALID_SETTING: input,
  AUTH_FAILED: upstream,
  PERMISSION_DENIED: upstream,
  THROTTLED: { exit: EXIT_STATUS.failed, http: 503 },
  SOURCE_UNAVAILABLE: upstream,
  HTTP_STATUS: upstream,
  NETWORK_ERROR: upstream,
  INVALID_RESPONSE: upstream,
  DEADLINE_EXCEEDED: { exit: EXIT_STATUS.failed, http: 504 },
  OUTPUT_FAILED: { exit: EXIT_STATUS.failed, http: 500 },
  INTERNAL: { exit: EXIT_STATUS.failed, http: 500 },
  UNAUTHENTICATED: { exit: EXIT_STATUS.usage, http: 401 },
  FORBIDDEN: { exit: EXIT_STATUS.usage, http: 403 },
  CREDITS_EXHAUSTED: { exit: EXIT_STATUS.failed, http: 402 },
  BODY_TOO_LARGE: { exit: EXIT_STATUS.usage, http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { exit: EXIT_STATUS.usage, http: 415 },
  RATE_LIMITED: { exit: EXIT_STATUS.failed, http: 429 },
  // The request is well formed but its scope cannot be served here: narrow it (422).
  SUBREQUEST_BUDGET_EXCEEDED: { exit: EXIT_STATUS.usage, http: 422 },
  NOT_FOUND: { exit: EXIT_STATUS.usage, http: 404 },
}

/** The exit and HTTP status for an error code. */
export function errorStatus(code: AuditErrorCode): ErrorStatus {
  return ERROR_STATUS[code]
}
