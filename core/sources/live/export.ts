/**
 * @module sources/live/export
 * Writes a live tenant into the offline snapshot format: everything a later audit could ask
 * for (transport rules included), so auditing the export finds what auditing live finds.
 */

import { isAuditError, toAuditError } from '../../errors/errors.ts'
import { many } from '../../lib/lists.ts'
import { exchangeRuleForwards } from '../../normalize/exchange-inbox-rule.ts'
import { graphRuleForwards } from '../../normalize/graph-message-rule.ts'
import type { RawRecipient } from '../../normalize/raw.ts'
import { type ParseOptions, parseAuditRequest } from '../../request/parse.ts'
import { canonicalSnapshot } from '../snapshot/canonical.ts'
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotMailboxEntry,
  type TenantSnapshot,
} from '../snapshot/schema.ts'
import { mailboxScope } from '../source.ts'
import type { LiveConnection } from './connect.ts'
import { policyGroupIdentities } from './group-membership.ts'
import type { LiveTenant } from './reader.ts'

export interface ExportOptions {
  /** How the adapter names request fields and caps them. */
  parse?: ParseOptions
  signal?: AbortSignal
  onProgress?: (progress: { done: number; total: number }) => void
}

/** A snapshot export, with the mailboxes it could not find and whether every one was read. */
export interface SnapshotExport {
  snapshot: TenantSnapshot
  missing: string[]
  complete: boolean
  /** What the export could not include or took another way: the audit log, audit settings. */
  notes: string[]
}

/**
 * Read the tenant and return it as a snapshot document. `input` is a request body (the mailbox
 * fields, `concurrency`, `batch`); without `user`, `users` or `all_users` it exports every
 * mailbox.
 * @example
 * const { snapshot } = await exportSnapshot(connectLive(settings), { all_users: true })
 */
export async function exportSnapshot(
  connection: LiveConnection,
  input: Record<string, unknown> = {},
  options: ExportOptions = {}
): Promise<SnapshotExport> {
  const named = input.user !== undefined || input.users !== undefined
  const request = parseAuditRequest({ all_users: !named, ...input }, options.parse)
  const reader = connection.reader
  // Read alongside the mailboxes, so the export dates its findings as the live audit does.
  // A failure here (the deadline) leaves the log out of the export; it never loses the mailboxes.
  const extras = Promise.all([
    connection.auditLogRows(request.audit_log_days),
    connection.auditing(),
  ]).catch((error: unknown) => toAuditError(error))
  const tenant = await reader.readTenant(mailboxScope(request), true)
  const mailboxes: TenantSnapshot['mailboxes'] = []
  const lookedUp: RawRecipient[] = []
  const total = tenant.mailboxes.length
  for await (const { entry, recipients } of reader.readMailboxes(tenant, {
    unit: request.batch,
    concurrency: request.concurrency,
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
  await addMemberOf(reader, tenant, mailboxes, options.signal)
  const read = await extras
  const [log, auditing] = Array.isArray(read)
    ? read
    : [
        { read: false, rows: [], notes: [`audit log not exported: ${read.message}`] },
        { data: {}, unread: [] },
      ]
  // Parallel reads finish in any order: one canonical order makes unchanged tenants diff clean.
  const snapshot: TenantSnapshot = canonicalSnapshot({
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    ...tenant.data,
    ...auditing.data,
    recipients: [...many(tenant.data.recipients), ...lookedUp],
    mailboxes,
    // Absent, not empty, when the log could not be read: "not read" is not "no changes".
    ...(log.read
      ? {
          auditRecords: log.rows,
          auditLog: {
            ...(log.source ? { source: log.source } : {}),
            ...(log.start ? { start: log.start } : {}),
            ...(log.end ? { end: log.end } : {}),
          },
        }
      : {}),
  })
  const complete = exported.size === total && tenant.warnings.length === 0
  const notes = [...log.notes, ...auditing.unread]
  return { snapshot, missing: tenant.missing, complete, notes }
}

/**
 * When an outbound spam rule is scoped to groups, the export carries the group membership of
 * every mailbox that forwards (an audit of the export asks for no more), as `memberOf`.
 */
async function addMemberOf(
  reader: LiveConnection['reader'],
  tenant: LiveTenant,
  entries: SnapshotMailboxEntry[],
  signal: AbortSignal | undefined
): Promise<void> {
  const rules = many(tenant.data.outboundSpamRules) as Record<string, unknown>[]
  if (policyGroupIdentities(rules).length === 0) return
  const forwarding = entries.filter((e) => !e.unreadable && entryForwards(e))
  if (forwarding.length === 0) return
  const unread = `group membership of ${forwarding.length} mailbox(es) not read: the deadline was reached`
  if (signal?.aborted) {
    tenant.warnings.push(unread)
    return
  }
  let read: Awaited<ReturnType<LiveConnection['reader']['readGroupMembership']>>
  try {
    read = await reader.readGroupMembership(forwarding.map((e) => e.mailbox.UserPrincipalName))
  } catch (error) {
    if (!(isAuditError(error) && error.code === 'DEADLINE_EXCEEDED')) throw error
    tenant.warnings.push(unread)
    return
  }
  const { memberOf, warnings } = read
  tenant.warnings.push(...warnings)
  for (const entry of forwarding) {
    const groups = memberOf.get(entry.mailbox.UserPrincipalName.toLowerCase())
    if (groups) entry.memberOf = groups
  }
}

/** The mailbox forwards, or one of its rules does, in either view. */
function entryForwards(entry: SnapshotMailboxEntry): boolean {
  const { mailbox } = entry
  if (mailbox.ForwardingSmtpAddress || mailbox.ForwardingAddress) return true
  return (
    many(entry.exchangeInboxRules).some(exchangeRuleForwards) ||
    many(entry.graphInboxRules).some(graphRuleForwards)
  )
}
