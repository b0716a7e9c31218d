/**
 * @module provenance/forwarding-changes
 * Which audit records set forwarding, and sprays of them: one account setting forwarding on
 * three or more objects (mailboxes, rules: the records' `ObjectId`) within 15 minutes, as an
 * attacker with one stolen admin session does across mailboxes. An owner editing one rule
 * three times is one object, no spray. The Sigma rules in detections/ select the same records (their agreement test
 * checks it): `Set-Mailbox` with a forwarding address, `New-/Set-InboxRule` with a forward or
 * redirect, `UpdateInboxRules` with a forward action, `New-/Set-TransportRule` with a redirect,
 * Bcc, Cc, added recipient, moderator or outbound connector, `New-/Set-JournalRule` with a
 * journal address.
 */
import type { AuditRecord } from '../model/tenant.ts'
import { mapiRuleChange } from '../normalize/mapi-rule.ts'

const INBOX_RULE = ['ForwardTo', 'ForwardAsAttachmentTo', 'RedirectTo', 'RedirectToRecipients']
const TRANSPORT_RULE = [
  'RedirectMessageTo',
  'BlindCopyTo',
  'CopyTo',
  'AddToRecipients',
  'ModerateMessageByUser',
  'RouteMessageOutboundConnector',
]

/** The parameters that send mail elsewhere, per cmdlet the log records. */
export const FORWARDING_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  'set-mailbox': ['ForwardingSmtpAddress', 'ForwardingAddress'],
  'new-inboxrule': INBOX_RULE,
  'set-inboxrule': INBOX_RULE,
  'new-transportrule': TRANSPORT_RULE,
  'set-transportrule': TRANSPORT_RULE,
  'new-journalrule': ['JournalEmailAddress'],
  'set-journalrule': ['JournalEmailAddress'],
}

/** A spray: the window and how many distinct objects one account's forwarding changes touch in it. */
export const SPRAY = { minutes: 15, objects: 3 } as const

/** The object a change touches, as the Sigma correlation counts it; a record without one is its own. */
function objectOf(record: AuditRecord): string {
  return record.objectId?.trim().toLowerCase() || `record:${record.id}`
}

/** True when the record sets forwarding to somewhere (clearing it does not count). */
export function setsForwarding(record: AuditRecord): boolean {
  const op = record.operation.toLowerCase()
  if (op === 'updateinboxrules') {
    const change = mapiRuleChange(record)
    if (change.operation === 'remove' || !change.parameters) return false
    return INBOX_RULE.some((name) => change.parameters?.[name])
  }
  const names = FORWARDING_PARAMETERS[op] ?? []
  return names.some((name) => (record.parameters[name] ?? '').replace(/^smtp:/i, '').trim() !== '')
}

export interface Spray {
  actor: string
  /** Forwarding changes by the actor within the window. */
  changes: number
  /** The distinct objects (mailboxes, rules) they touched. */
  objects: number
  from: string
  to: string
}

/** Every forwarding-change record that is part of a spray, by record id. */
export function sprays(records: AuditRecord[]): Map<string, Spray> {
  const byActor = new Map<string, AuditRecord[]>()
  const seen = new Set<string>()
  for (const record of records) {
    if (seen.has(record.id) || !record.actor || !setsForwarding(record)) continue
    seen.add(record.id)
    const list = byActor.get(record.actor)
    if (list) list.push(record)
    else byActor.set(record.actor, [record])
  }
  const found = new Map<string, Spray>()
  const window = SPRAY.minutes * 60_000
  for (const [actor, list] of byActor) {
    const times = list.map((r) => Date.parse(r.time))
    const order = list.map((_, i) => i).sort((a, b) => times[a]! - times[b]!)
    // Sliding window over the actor's changes in time order, counting the objects in it; each
    // record is marked once, by the first window of a spray that holds it, so a burst of
    // thousands stays linear.
    const objects = new Map<string, number>()
    const objectAt = (k: number) => objectOf(list[order[k]!]!)
    let marked = -1
    for (let start = 0, end = -1; start < order.length; start++) {
      while (end + 1 < order.length && times[order[end + 1]!]! - times[order[start]!]! <= window) {
        end++
        objects.set(objectAt(end), (objects.get(objectAt(end)) ?? 0) + 1)
      }
      if (objects.size >= SPRAY.objects) {
        const first = list[order[start]!]!
        const last = list[order[end]!]!
        const spray = {
          actor,
          changes: end - start + 1,
          objects: objects.size,
          from: first.time,
          to: last.time,
        }
        for (let k = Math.max(start, marked + 1); k <= end; k++)
          found.set(list[order[k]!]!.id, spray)
        marked = end
      }
      const left = objectAt(start)
      const remaining = (objects.get(left) ?? 1) - 1
      if (remaining === 0) objects.delete(left)
      else objects.set(left, remaining)
    }
  }
  return found
}
