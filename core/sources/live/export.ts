/**
 * @module sources/live/export
 * Writes a live tenant into the offline snapshot format: everything a later audit could ask
 * for (transport rules included), so auditing the export finds what auditing live finds.
 */
import type { RawRecipient } from '../../normalize/raw.ts'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type TenantSnapshot } from '../snapshot/schema.ts'
import type { MailboxScope } from '../source.ts'
import { many } from '../tenant-data.ts'
import type { LiveReader } from './reader.ts'

export interface ExportOptions {
  scope: MailboxScope
  concurrency: number
  batch: number
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** Read the tenant and return it as a snapshot document, with the mailboxes it could not find. */
export async function exportSnapshot(
  reader: LiveReader,
  options: ExportOptions
): Promise<{ snapshot: TenantSnapshot; missing: string[]; complete: boolean }> {
  const tenant = await reader.readTenant(options.scope, true)
  const mailboxes: TenantSnapshot['mailboxes'] = []
  const lookedUp: RawRecipient[] = []
  const total = tenant.mailboxes.length
  for await (const { entry, recipients } of reader.readMailboxes(tenant, {
    unit: options.batch,
    concurrency: options.concurrency,
    includeInboxRules: true,
  })) {
    mailboxes.push(entry)
    lookedUp.push(...recipients)
    options.onProgress?.({ done: mailboxes.length, total })
    if (options.signal?.aborted) break
  }
  // A deadline must not make mailboxes vanish from the snapshot: they stay, marked unread.
  const exported = new Set(mailboxes.map((e) => e.mailbox.UserPrincipalName.toLowerCase()))
  for (const { row } of tenant.mailboxes) {
    if (!exported.has(row.UserPrincipalName.toLowerCase())) {
      mailboxes.push({
        mailbox: row,
        unreadable: { code: 'DEADLINE_EXCEEDED', reason: 'not read before the deadline' },
      })
    }
  }
  const snapshot: TenantSnapshot = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    ...tenant.data,
    recipients: [...many(tenant.data.recipients), ...lookedUp],
    mailboxes,
  }
  const complete = exported.size === total && tenant.warnings.length === 0
  return { snapshot, missing: tenant.missing, complete }
}
