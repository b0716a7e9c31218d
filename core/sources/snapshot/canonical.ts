/**
 * @module sources/snapshot/canonical
 * One order for a snapshot's lists, so two exports of an unchanged tenant are the same text: a
 * live export reads mailboxes in parallel and gets them back in whatever order the batches
 * finish. A drift job that commits snapshots then sees a diff only when the tenant changed.
 */
import { decodeText } from '../../lib/bytes.ts'
import { many } from '../../lib/lists.ts'
import type { TenantSnapshot } from './schema.ts'

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** The snapshot with mailboxes by UPN and recipients in a fixed order, without duplicates. */
export function canonicalSnapshot(snapshot: TenantSnapshot): TenantSnapshot {
  const mailboxes = [...snapshot.mailboxes].sort((a, b) =>
    byText(
      a.mailbox.UserPrincipalName.trim().toLowerCase(),
      b.mailbox.UserPrincipalName.trim().toLowerCase()
    )
  )
  if (snapshot.recipients === undefined || snapshot.recipients === null) {
    return { ...snapshot, mailboxes }
  }
  const recipients = new Map(many(snapshot.recipients).map((r) => [JSON.stringify(r), r]))
  const sorted = [...recipients.keys()].sort(byText).map((key) => recipients.get(key)!)
  return { ...snapshot, mailboxes, recipients: sorted }
}

/**
 * True when the snapshot file `previous` (its bytes or text) holds the same tenant as `next`:
 * equal but for `capturedAt`, the audit log and the order of mailboxes and recipients. A file
 * that is not a snapshot is never the same.
 */
export function sameTenantSnapshot(previous: Uint8Array | string, next: TenantSnapshot): boolean {
  let parsed: TenantSnapshot
  try {
    const text = typeof previous === 'string' ? previous : decodeText(previous)
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as TenantSnapshot
    if (!Array.isArray(parsed?.mailboxes)) return false
  } catch {
    return false
  }
  // The audit log is history read over a window that moves with the clock, not configuration:
  // it alone never makes a tenant "changed" (the file is rewritten, log and all, when one is).
  const comparable = (s: TenantSnapshot) => {
    const {
      capturedAt: _capturedAt,
      auditLog: _auditLog,
      auditRecords: _auditRecords,
      ...rest
    } = canonicalSnapshot(s)
    return JSON.stringify(rest)
  }
  return comparable(parsed) === comparable(next)
}
