/**
 * @module sources/live/source
 * A live tenant as a TenantSource: the reader's raw data through the same normalizers as a
 * snapshot, so a live audit and the audit of its exported snapshot find the same things.
 */

import { optionalList } from '../../lib/lists.ts'
import type { RequestBudget } from '../../m365/request-budget.ts'
import type { GroupRef, Mailbox, MailboxRead } from '../../model/tenant.ts'
import { folderIndex } from '../../normalize/mail-folders.ts'
import { normalizeMailbox, normalizeRecipient } from '../../normalize/mailbox.ts'
import { forwardingRules } from '../../normalize/mailbox-rules.ts'
import { normalizeMemberOf } from '../../normalize/member-of.ts'
import { settingsFromRaw, unreadableRead } from '../../normalize/tenant-data.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import type { SourceOptions, TenantSource } from '../source.ts'
import { requestPlanError } from './plan.ts'
import type { LiveReader, LiveTenant } from './reader.ts'

/**
 * A TenantSource over a live reader. With a request budget, the scan is planned against it as
 * soon as the mailbox list is known: a scope that cannot fit fails before the first inbox rule
 * is read, rather than halfway.
 */
export function liveSource(reader: LiveReader, budget?: RequestBudget): TenantSource {
  let tenant: LiveTenant | undefined
  let mailboxes: Mailbox[] = []
  const load = async (options: SourceOptions) => {
    tenant ??= await reader.readTenant(options.scope, options.includeTransportRules)
    return tenant
  }

  return {
    name: 'live',
    async readSettings(options) {
      const live = await load(options)
      if (budget) {
        const error = requestPlanError(options, live.mailboxes.length, budget.limit, budget.used())
        if (error) throw error
      }
      mailboxes = live.mailboxes.map(({ row }) => normalizeMailbox(row))
      const settings = settingsFromRaw(live.data, mailboxes, options, new Set())
      const warnings = [...(settings.warnings ?? []), ...live.warnings]
      return { ...settings, ...(warnings.length > 0 ? { warnings } : {}) }
    },
    async countMailboxes(options) {
      const live = await load(options)
      return live.mailboxes.length + live.missing.length
    },
    async *readMailboxes(options) {
      const live = await load(options)
      for (const address of live.missing) {
        yield {
          ok: false,
          address,
          code: 'MAILBOX_NOT_FOUND',
          reason: 'no mailbox with this address in the tenant',
        }
      }
      const byUpn = new Map(mailboxes.map((m) => [m.upn, m]))
      const entries = reader.readMailboxes(live, {
        unit: options.batch,
        concurrency: options.concurrency,
        includeInboxRules: options.includeInboxRules,
      })
      for await (const { entry, recipients, warnings } of entries) {
        if (options.signal?.aborted) return
        const mailbox =
          byUpn.get(entry.mailbox.UserPrincipalName.toLowerCase()) ??
          normalizeMailbox(entry.mailbox)
        yield readOf(entry, mailbox, recipients.map(normalizeRecipient), warnings ?? [])
      }
    },
    async readGroupMembership(upns) {
      const read = await reader.readGroupMembership(upns)
      const memberOf = new Map<string, GroupRef[]>()
      for (const [upn, rows] of read.memberOf) memberOf.set(upn, normalizeMemberOf(rows))
      return { memberOf, warnings: read.warnings }
    },
    sourcesRead: () => reader.sourcesRead(),
  }
}

function readOf(
  entry: SnapshotMailboxEntry,
  mailbox: Mailbox,
  recipients: ReturnType<typeof normalizeRecipient>[],
  warnings: string[]
): MailboxRead {
  const unreadable = unreadableRead(entry, mailbox)
  if (unreadable) return unreadable
  const exchange = optionalList(entry.exchangeInboxRules)
  const graph = optionalList(entry.graphInboxRules)
  // Without --include-inbox-rules neither list was read: no rules, rather than "none".
  const rules =
    exchange || graph ? forwardingRules(exchange, graph, folderIndex(entry.mailFolders)) : undefined
  return {
    ok: true,
    mailbox,
    ...(rules ? { inboxRules: rules } : {}),
    ...(recipients.length > 0 ? { recipients } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  }
}
