/**
 * @module cli/report-error
 * Any failure as one line on stderr and the exit status core's table gives its code: 2 for
 * what the user gave, 3 when the audit could not run. Never a stack trace, unless
 * FORWARDING_AUDIT_DEBUG asks for one.
 */
import { errorStatus, toAuditError } from '../core/index.ts'
import type { CliIo } from './io.ts'

/** Report `error`; returns the exit status. */
export function reportError(thrown: unknown, io: CliIo): number {
  const error = toAuditError(thrown)
  io.stderr.write(`forwarding-audit: ${error.message}\n`)
  if (io.env.FORWARDING_AUDIT_DEBUG && error.cause instanceof Error) {
    io.stderr.write(`${error.cause.stack}\n`)
  }
  return errorStatus(error.code).exit
}
