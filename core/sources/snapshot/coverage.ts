/**
 * @module sources/snapshot/coverage
 * What a snapshot leaves out that the audit needs: a data set it does not hold was not read,
 * which is not the same as empty. Each gap is a line in the summary's incomplete reasons.
 */
import { optionalList } from '../../lib/lists.ts'
import type { TenantSettings } from '../../model/tenant.ts'
import { folderIndex } from '../../normalize/mail-folders.ts'
import { unnamedMoveTargets } from '../../normalize/mailbox-rules.ts'
import type { RawGraphMessageRule } from '../../normalize/raw.ts'
import type { SourceOptions } from '../source.ts'
import type { SnapshotMailboxEntry, TenantSnapshot } from './schema.ts'

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

/**
 * A mailbox whose rules come from Graph alone and move mail to a folder id that `mailFolders`
 * does not name: the folder factors cannot fire for it. The text is the same for every such
 * mailbox, so the summary counts them on one line.
 */
export function folderGaps(entry: SnapshotMailboxEntry): string[] {
  if (optionalList(entry.exchangeInboxRules)) return []
  const graph = optionalList(entry.graphInboxRules) as RawGraphMessageRule[] | undefined
  if (unnamedMoveTargets(graph, folderIndex(entry.mailFolders)).length === 0) return []
  return [
    'rule folders not named: a mailbox has only Graph rules that move mail to a folder id its `mailFolders` does not name, so whether that folder hides mail is unknown; export its mailFolders (docs/snapshot.md)',
  ]
}
