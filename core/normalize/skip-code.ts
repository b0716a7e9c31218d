/**
 * @module normalize/skip-code
 * A service's reason for not reading a mailbox (an HTTP status, Graph's or Exchange's error
 * code, a PowerShell exporter's CategoryInfo.Reason) as one of the report's closed SKIP_CODES.
 */
import { isSkipCode, type SkipCode } from '../model/findings.ts'

/** The skip code for a service failure; `status` when the failure was an HTTP answer. */
export function skipCodeFor(serviceCode: string, status?: number): SkipCode {
  if (isSkipCode(serviceCode)) return serviceCode
  if (status === 403 || /AccessDenied|Unauthorized/i.test(serviceCode)) return 'ACCESS_DENIED'
  if (status === 429 || /Throttl|TooManyRequests/i.test(serviceCode)) return 'THROTTLED'
  if (/NotFound|InvalidUser/i.test(serviceCode)) return 'MAILBOX_NOT_FOUND'
  // MailboxNotEnabledForRESTAPI, inactive or on-premises: it exists, but not where REST reaches.
  if (status === 404 || /NotEnabled|Inactive|OnPrem/i.test(serviceCode)) {
    return 'MAILBOX_UNAVAILABLE'
  }
  return 'READ_FAILED'
}
