/**
 * @module sources/live/check-paths
 * The probes of `checkConnection` for what only some audits read: the organization-level
 * forwarding paths `--include-transport-rules` reads (Get-TransportRule, Get-JournalRule,
 * Get-OutboundConnector, in one admin `$batch` as the audit reads them, §5.10, 5.11), and the
 * folder names of rules read from Graph alone (Mail.ReadBasic.All, §1.8). Optional: an audit
 * without transport rules never reads the first, and without the second a folder stays an id.
 */
import { toAuditError } from '../../errors/errors.ts'
import type { ExchangeAdmin, GraphApi } from '../../m365/types.ts'
import type { PermissionCheck } from './permission-check.ts'

const PATH_CMDLETS = ['Get-TransportRule', 'Get-JournalRule', 'Get-OutboundConnector']

const PATH_FIX =
  'assign the app the Global Reader role in Entra ID; only audits with --include-transport-rules (include_transport_rules) read it'
const FOLDERS_FIX =
  'grant the Microsoft Graph application permission Mail.ReadBasic.All and admin-consent it; without it a folder a rule read from Graph alone moves mail to stays an id'

/** One check per cmdlet of the organization's forwarding paths, from one admin `$batch`. */
export async function forwardingPathChecks(exchange: ExchangeAdmin): Promise<PermissionCheck[]> {
  const name = (cmdlet: string) => `Exchange role (${cmdlet})`
  let results: Awaited<ReturnType<ExchangeAdmin['invokeBatch']>>
  try {
    results = await exchange.invokeBatch(
      PATH_CMDLETS.map((cmdlet) => ({
        cmdlet,
        parameters: cmdlet === 'Get-TransportRule' ? { ResultSize: 1 } : {},
      }))
    )
  } catch (error) {
    const detail = toAuditError(error).message
    return PATH_CMDLETS.map((cmdlet) => missing(name(cmdlet), detail, PATH_FIX))
  }
  return PATH_CMDLETS.map((cmdlet, i) => {
    const result = results[i]
    return result?.ok
      ? { name: name(cmdlet), status: 'granted', required: false, detail: `ran ${cmdlet}` }
      : missing(name(cmdlet), result ? `${result.code}: ${result.message}` : 'no answer', PATH_FIX)
  })
}

/** Whether Graph lists `upn`'s mail folders, so rules read from Graph alone name theirs. */
export async function mailFoldersCheck(graph: GraphApi, upn: string): Promise<PermissionCheck> {
  const name = 'Graph mailFolders (Mail.ReadBasic.All)'
  try {
    const [folders] = await graph.mailFolders([upn])
    if (folders?.ok) {
      return { name, status: 'granted', required: false, detail: `listed the folders of ${upn}` }
    }
    return missing(
      name,
      folders ? `${folders.code}: ${folders.message}` : 'no answer',
      `${FOLDERS_FIX}; if it is granted, an application access policy may exclude ${upn}`
    )
  } catch (error) {
    return missing(name, toAuditError(error).message, FOLDERS_FIX)
  }
}

function missing(name: string, detail: string, fix: string): PermissionCheck {
  return { name, status: 'missing', required: false, detail, fix }
}
