/**
 * @module sources/live/check-audit-log
 * The audit-log probe of `checkConnection`: can the app read the unified audit log, which dates
 * findings? Optional: an audit runs without it, undated. Graph's audit log query needs an
 * AuditLogsQuery permission in the token; without it, Search-UnifiedAuditLog over the Exchange
 * admin API is tried on a one-hour window (docs/microsoft-apis.md 6.3).
 */
import { toAuditError } from '../../errors/errors.ts'
import { AUDIT_QUERY_FIX } from '../../m365/audit-log.ts'
import type { LiveConnection } from './connect.ts'
import type { PermissionCheck } from './permission-check.ts'

const NAME = 'Audit log (AuditLogsQuery-Exchange.Read.All)'
const ROLES = ['AuditLogsQuery-Exchange.Read.All', 'AuditLogsQuery.Read.All']
const FIX = `${AUDIT_QUERY_FIX}; or, for Search-UnifiedAuditLog, assign the app an Exchange role group that holds the View-Only Audit Logs role`

/** Whether findings can be dated, and how. */
export async function auditLogCheck(
  connection: LiveConnection,
  graphRoles: string[] | undefined,
  exchangeToken: boolean
): Promise<PermissionCheck> {
  const found = ROLES.find((role) => graphRoles?.includes(role))
  if (found) {
    return {
      name: NAME,
      status: 'granted',
      required: false,
      detail: `${found} is in the token: findings are dated with the Graph audit log query`,
    }
  }
  if (!exchangeToken) {
    return {
      name: NAME,
      status: 'unknown',
      required: false,
      detail: 'no token to probe with',
      fix: FIX,
    }
  }
  const end = new Date(connection.context.now())
  const start = new Date(end.getTime() - 3_600_000)
  try {
    await connection.exchange.invoke('Search-UnifiedAuditLog', {
      StartDate: start.toISOString(),
      EndDate: end.toISOString(),
      ResultSize: 1,
    })
    return {
      name: NAME,
      status: 'granted',
      required: false,
      detail: 'not in the token, but Search-UnifiedAuditLog answers: findings are dated that way',
    }
  } catch (error) {
    return {
      name: NAME,
      status: 'missing',
      required: false,
      detail: `not in the token, and Search-UnifiedAuditLog failed (${toAuditError(error).message}): findings will be undated`,
      fix: FIX,
    }
  }
}
