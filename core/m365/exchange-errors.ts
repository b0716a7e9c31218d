/**
 * @module m365/exchange-errors
 * What the Exchange admin API's failures mean (docs/microsoft-apis.md §5.2, 5.4): a 400 envelope whose
 * message is always "Invalid Operation" with the real one nested inside, a 403 of NUL bytes for a
 * missing role or unknown cmdlet, a plain-text concurrency throttle, a bodiless 401.
 */

import { AuditRunError } from '../errors/errors.ts'
import { presentText } from '../lib/text.ts'

/** A failed cmdlet, read out of its error envelope. */
export interface ExchangeFailure {
  /** Short name to branch on, e.g. `ManagementObjectNotFound`; the envelope's code otherwise. */
  code: string
  /** The .NET exception type, e.g. `Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException`. */
  type: string | undefined
  /** The real message, without the `code|type|` prefix. */
  message: string
}

/** A cmdlet Exchange refused (usually HTTP 400), with the exception type kept for callers to branch on. */
export class ExchangeCommandError extends AuditRunError {
  /** `ManagementObjectNotFound` for an unknown mailbox or identity. */
  readonly errorCode: string
  readonly exceptionType: string | undefined
  readonly status: number
  readonly cmdlet: string

  constructor(cmdlet: string, status: number, failure: ExchangeFailure) {
    super('SOURCE_UNAVAILABLE', `Exchange Online could not run ${cmdlet}: ${failure.message}`)
    this.cmdlet = cmdlet
    this.status = status
    this.errorCode = failure.code
    this.exceptionType = failure.type
  }
}

interface Envelope {
  error?: {
    code?: unknown
    message?: unknown
    details?: Array<{ message?: unknown }>
    innererror?: { internalexception?: { message?: unknown; type?: unknown } }
  }
}

/**
 * The real reason in an error body: `innererror.internalexception`, else `details[0].message`
 * split as `code|type|message`, else `error.message` (graph2otel errors.go, ExoHelper; 5.4).
 */
export function exchangeFailure(body: unknown, status: number): ExchangeFailure {
  const error = (body as Envelope | null)?.error
  const internal = error?.innererror?.internalexception
  let type = presentText(internal?.type)
  let message = presentText(internal?.message)
  const detail = presentText(error?.details?.[0]?.message)
  if (detail) {
    const parts = detail.split('|')
    if (parts.length >= 3) {
      type ??= presentText(parts[1])
      message ??= parts.slice(2).join('|')
    } else message ??= detail
  }
  message ??= presentText(error?.message) ?? `Exchange Online answered HTTP ${status}`
  const code = type ? shortName(type) : (presentText(error?.code) ?? `HTTP${status}`)
  return { code, type, message }
}

/** `Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException` → `ManagementObjectNotFound`. */
function shortName(type: string): string {
  const last = type.split('.').pop() ?? type
  return last.replace(/Exception$/, '') || last
}

/** The plain-text throttle ExoHelper retries on, whatever its status (5.4). */
export function isConcurrencyThrottle(body: unknown): boolean {
  return typeof body === 'string' && /maximum number of concurrent requests/i.test(body)
}

/** 403: the app's directory role does not allow these cmdlets (graph2otel: "403 all-NUL", 5.2). */
export function cmdletNotAllowed(cmdlets: string[]): AuditRunError {
  const names = cmdlets.length > 0 ? cmdlets.join(', ') : 'The cmdlet'
  return new AuditRunError(
    'PERMISSION_DENIED',
    `${names} ${cmdlets.length > 1 ? 'are' : 'is'} not allowed for the app: assign it the Global Reader role (Exchange Administrator for Get-InboxRule if Global Reader is refused) in Entra ID`,
    { userFixable: true }
  )
}

/** A second 401: "neither grant -> HTTP 401" (graph2otel, 5.2); a Graph token is refused the same way. */
export function exchangeTokenRejected(cause: unknown): AuditRunError {
  return new AuditRunError(
    'AUTH_FAILED',
    "Exchange Online rejected the app's token: grant the Office 365 Exchange Online application permission Exchange.ManageAsApp and admin-consent it",
    { userFixable: true, cause }
  )
}
