/**
 * @module sources/snapshot/coverage
 * What a snapshot leaves out that the audit needs: a data set it does not hold was not read,
 * which is not the same as empty. Each gap is a line in the summary's incomplete reasons.
 */
import type { TenantSettings } from '../../model/tenant.ts'
import type { SourceOptions } from '../source.ts'
import type { TenantSnapshot } from './schema.ts'

/** The reasons this snapshot cannot give the complete audit `options` ask for. */
export function snapshotGaps(
  snapshot: TenantSnapshot,
  settings: TenantSettings,
  options: Pick<SourceOptions, 'includeTransportRules'>
): string[] {
  const gaps: string[] = []
  if (!options.includeTransportRules) return gaps
  if (snapshot.journalRules === undefined || snapshot.journalRules === null) {
    gaps.push(
      'journal rules not read: the snapshot has no `journalRules` (Get-JournalRule), and one journal rule can copy every message of the tenant; export them (docs/snapshot.md)'
    )
  }
  const routed = (settings.transportRules ?? []).filter(
    (r) => r.actions.routeMessageOutboundConnector
  )
  if (routed.length > 0 && !settings.outboundConnectors) {
    const names = routed.map((r) => JSON.stringify(r.name)).join(', ')
    gaps.push(
      `outbound connectors not read: the snapshot has no \`outboundConnectors\` (Get-OutboundConnector), so where transport rule${routed.length > 1 ? 's' : ''} ${names} route${routed.length > 1 ? '' : 's'} mail is unknown; export them (docs/snapshot.md)`
    )
  }
  return gaps
}
