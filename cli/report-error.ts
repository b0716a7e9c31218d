/**
 * @module cli/report-error
 * Any failure as one line on stderr and an exit status: 2 for what the user gave (flags,
 * files, request fields, named as flags), 3 when the audit could not run. Never a stack
 * trace, unless FORWARDING_AUDIT_DEBUG asks for one.
 */
import { AUDIT_REQUEST_FIELDS, InvalidInputError, isAuditError } from '../core/index.ts'
import { EXIT } from './exit-codes.ts'
import type { CliIo } from './io.ts'
import { UsageError } from './usage-error.ts'

/** Report `error`; returns the exit status. */
export function reportError(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`forwarding-audit: ${error.message}\n`)
    return EXIT.usage
  }
  if (error instanceof InvalidInputError) {
    const message = error.code === 'INVALID_REQUEST' ? fieldsToFlags(error.message) : error.message
    io.stderr.write(`forwarding-audit: ${message}\n`)
    return EXIT.usage
  }
  if (isAuditError(error)) {
    // Authentication, permissions, throttling, network: the audit could not run.
    io.stderr.write(`forwarding-audit: ${error.message}\n`)
    return EXIT.failed
  }
  const detail = error instanceof Error ? error.message : String(error)
  io.stderr.write(`forwarding-audit: internal error: ${detail}\n`)
  if (io.env.FORWARDING_AUDIT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`)
  return EXIT.failed
}

/** The core names request fields; on the command line they are flags. */
function fieldsToFlags(message: string): string {
  let text = message
  for (const field of AUDIT_REQUEST_FIELDS) {
    const flag = field === 'users' ? '--user-file' : `--${field.replaceAll('_', '-')}`
    text = text.replaceAll(`\`${field}[]\``, flag).replaceAll(`\`${field}\``, flag)
  }
  return text
}
