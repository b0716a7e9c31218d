/**
 * @module sources/live/check
 * "Verify your connection before auditing": acquire the Graph and Exchange tokens and probe
 * each permission and role a live audit needs, so a newcomer learns exactly what to grant
 * before the first audit fails halfway. Shared by `forwarding-audit status` and the API's
 * status endpoint. Reads one mailbox's rules at most; costs no credits.
 */
import { decodeJwt } from 'jose'
import { type AuditError, AuditRunError, toAuditError } from '../../errors/errors.ts'
import { auditLogCheck } from './check-audit-log.ts'
import { forwardingPathChecks, mailFoldersCheck } from './check-paths.ts'
import type { LiveConnection } from './connect.ts'
import type { PermissionCheck } from './permission-check.ts'

export type { PermissionCheck } from './permission-check.ts'

export interface ConnectionStatus {
  /** True when every required check is granted. */
  ok: boolean
  tenant: string
  checks: PermissionCheck[]
}

const GRAPH_FIX =
  'grant the Microsoft Graph application permission MailboxSettings.Read to the app and admin-consent it'
const EXCHANGE_FIX =
  'grant the Office 365 Exchange Online application permission Exchange.ManageAsApp and admin-consent it'
const MEMBERSHIP_FIX =
  'grant the Microsoft Graph application permission User.Read.All and admin-consent it; only needed when an outbound spam policy is scoped to groups (FromMemberOf), to tell whether it blocks a forward'
const ROLE_FIX =
  'assign the app the Global Reader role in Entra ID (Exchange Administrator if Get-InboxRule is refused)'

/**
 * Check a live connection's tokens, permissions and Exchange role.
 * @example
 * const status = await checkConnection(connectLive(settings))
 * for (const check of status.checks) console.log(check.name, check.status, check.fix ?? '')
 */
export async function checkConnection(connection: LiveConnection): Promise<ConnectionStatus> {
  const { endpoints, credential } = connection.settings
  const checks: PermissionCheck[] = []
  const graphRoles = await tokenRoles(connection, endpoints.graph, 'Microsoft Graph token', checks)
  const exchangeRoles = await tokenRoles(
    connection,
    endpoints.exchange,
    'Exchange Online token',
    checks
  )
  checks.push(
    roleCheck(
      'MailboxSettings.Read',
      graphRoles,
      ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
      true,
      GRAPH_FIX
    ),
    roleCheck('Exchange.ManageAsApp', exchangeRoles, ['Exchange.ManageAsApp'], true, EXCHANGE_FIX)
  )
  if (exchangeRoles !== undefined)
    checks.push(...(await probes(connection, graphRoles !== undefined)))
  checks.push(await auditLogCheck(connection, graphRoles, exchangeRoles !== undefined))
  const ok = checks.every((check) => !check.required || check.status === 'granted')
  return { ok, tenant: credential.tenantId, checks }
}

/** The `roles` of a fresh token for `resource`; undefined when no token could be had. */
async function tokenRoles(
  connection: LiveConnection,
  resource: string,
  name: string,
  checks: PermissionCheck[]
): Promise<string[] | undefined> {
  let token: string
  try {
    token = await connection.tokens.token(resource, connection.context.signal)
  } catch (error) {
    checks.push(failed(name, toAuditError(error)))
    return undefined
  }
  checks.push({ name, status: 'granted', required: true, detail: 'issued' })
  try {
    const roles = decodeJwt(token).roles
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : []
  } catch {
    // Not a JWT we can read: the probes below still tell.
    return []
  }
}

function roleCheck(
  name: string,
  roles: string[] | undefined,
  accepted: string[],
  required: boolean,
  fix: string
): PermissionCheck {
  if (roles === undefined) {
    return { name, status: 'unknown', required, detail: 'no token to read it from', fix }
  }
  const found = accepted.find((role) => roles.includes(role))
  return found
    ? { name, status: 'granted', required, detail: `${found} is in the token` }
    : { name, status: 'missing', required, detail: 'not in the token', fix }
}

/** Cmdlets a role must allow, and one mailbox's rules through both APIs. */
async function probes(connection: LiveConnection, graphToken: boolean): Promise<PermissionCheck[]> {
  const { exchange, graph } = connection
  const checks: PermissionCheck[] = []
  let mailbox: string | undefined
  const listed = await probe('Exchange role (Get-Mailbox)', ROLE_FIX, async () => {
    const rows = await exchange.invoke('Get-Mailbox', { ResultSize: 1 }, ['UserPrincipalName'])
    const upn = rows[0]?.UserPrincipalName
    mailbox = typeof upn === 'string' ? upn : undefined
    return mailbox ? `read ${mailbox}` : 'the tenant has no mailbox'
  })
  checks.push(listed)
  if (listed.status !== 'granted' || !mailbox) return checks
  const upn = mailbox
  checks.push(
    await probe('Exchange role (Get-InboxRule)', ROLE_FIX, async () => {
      const [rules] = await exchange.invokeBatch([
        { cmdlet: 'Get-InboxRule', parameters: { Mailbox: upn, IncludeHidden: true } },
      ])
      if (!rules?.ok) throw itemRefused(rules)
      return `read the rules of ${upn}`
    })
  )
  checks.push(...(await forwardingPathChecks(exchange)))
  if (!graphToken) return checks
  const graphFix = `${GRAPH_FIX}; if it is granted, an application access policy may exclude ${upn}`
  checks.push(
    await probe('Graph messageRules', graphFix, async () => {
      const [rules] = await graph.messageRules([upn])
      if (!rules?.ok) throw itemRefused(rules)
      return `read the rules of ${upn}`
    })
  )
  // Optional: only outbound spam policies scoped to groups need it (microsoft-apis.md 2.4).
  checks.push(
    await probe(
      'Graph transitiveMemberOf (User.Read.All)',
      MEMBERSHIP_FIX,
      async () => {
        const [groups] = await graph.transitiveMemberOf([upn])
        if (!groups?.ok) throw itemRefused(groups)
        return `read the groups of ${upn}`
      },
      false
    )
  )
  checks.push(await mailFoldersCheck(graph, upn))
  return checks
}

/** A batch item the service refused, as an error for `probe`. */
function itemRefused(item: { code: string; message: string } | undefined): AuditRunError {
  return new AuditRunError(
    'SOURCE_UNAVAILABLE',
    item ? `${item.code}: ${item.message}` : 'no answer'
  )
}

/** Run one probe: granted with what it read, or missing with what went wrong and the fix. */
async function probe(
  name: string,
  fix: string,
  run: () => Promise<string>,
  required = true
): Promise<PermissionCheck> {
  try {
    return { name, status: 'granted', required, detail: await run() }
  } catch (error) {
    return { name, status: 'missing', required, detail: toAuditError(error).message, fix }
  }
}

function failed(name: string, error: AuditError, fix?: string): PermissionCheck {
  return {
    name,
    status: 'missing',
    required: true,
    detail: error.message,
    ...(fix ? { fix } : {}),
  }
}
