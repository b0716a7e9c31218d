/**
 * @module sources/live/source
 * A live tenant as a TenantSource: the reader's raw data through the same normalizers as a
 * snapshot, so a live audit and the audit of its exported snapshot find the same things. The
 * audit log is read once per audit, alongside the scan, unless the hidden-rule sweep needs it
 * first to choose its mailboxes.
 */

import { optionalList } from '../../lib/lists.ts'
import type { RequestBudget } from '../../m365/request-budget.ts'
import type { HiddenSweepSummary } from '../../model/findings.ts'
import type {
  AuditingSettings,
  AuditLog,
  GroupRef,
  InboxRule,
  Mailbox,
  MailboxRead,
} from '../../model/tenant.ts'
import { normalizeAuditingSettings } from '../../normalize/auditing.ts'
import { folderIndex } from '../../normalize/mail-folders.ts'
import { normalizeMailbox, normalizeRecipient } from '../../normalize/mailbox.ts'
import { forwardingRules } from '../../normalize/mailbox-rules.ts'
import { normalizeMemberOf } from '../../normalize/member-of.ts'
import type { RawExchangeInboxRule } from '../../normalize/raw.ts'
import { settingsFromRaw, unreadableRead } from '../../normalize/tenant-data.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import type { SourceOptions, TenantSource } from '../source.ts'
import type { AuditingRead } from './auditing.ts'
import { planHiddenSweep, type SweepPlan } from './hidden-sweep.ts'
import { requestPlanError } from './plan.ts'
import type { LiveReader, LiveTenant } from './reader.ts'

/** What a live source reads besides the reader's data, and the runtime's request cap. */
export interface LiveExtras {
  auditLog?: (days: number) => Promise<AuditLog>
  auditing?: () => Promise<AuditingRead>
  /** The requests this audit may send; the scan is planned against it once the mailboxes are known. */
  budget?: RequestBudget
}

/**
 * A TenantSource over a live reader. With a request budget, the scan is planned against it as
 * soon as the mailbox list is known: a scope that cannot fit fails before the first inbox rule
 * is read, rather than halfway.
 */
export function liveSource(reader: LiveReader, extras: LiveExtras = {}): TenantSource {
  const { budget } = extras
  let tenant: LiveTenant | undefined
  let mailboxes: Mailbox[] = []
  let auditing: AuditingSettings | undefined
  let auditLog: Promise<AuditLog> | undefined
  let plan: SweepPlan | undefined
  const load = async (options: SourceOptions) => {
    tenant ??= await reader.readTenant(options.scope, options.includeTransportRules)
    return tenant
  }
  const readLog = (options: SourceOptions) => {
    auditLog ??= extras.auditLog
      ? extras.auditLog(options.auditLogDays)
      : Promise.resolve({ read: false, records: [], notes: ['this connection reads no audit log'] })
    return auditLog
  }

  return {
    name: 'live',
    async readSettings(options) {
      const [live, audit] = await Promise.all([load(options), extras.auditing?.()])
      if (budget) {
        const error = requestPlanError(options, live.mailboxes.length, budget.limit, budget.used())
        if (error) throw error
      }
      mailboxes = live.mailboxes.map(({ row }) => normalizeMailbox(row))
      const settings = settingsFromRaw(live.data, mailboxes, options, new Set())
      auditing = audit ? normalizeAuditingSettings(audit.data, audit.unread) : undefined
      const warnings = [...(settings.warnings ?? []), ...live.warnings]
      return {
        ...settings,
        ...(auditing ? { auditing } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      }
    },
    readAuditLog: readLog,
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
      const sweep = planHiddenSweep({
        requested: options.hiddenSweep,
        mailboxes,
        // Only `changed` waits for the log before the scan; the others read it alongside.
        ...(options.hiddenSweep === 'changed' ? { log: await readLog(options) } : {}),
        ...(auditing ? { auditing } : {}),
        ...(options.sweepBaseline ? { baseline: options.sweepBaseline } : {}),
      })
      plan = sweep
      const byUpn = new Map(mailboxes.map((m) => [m.upn, m]))
      // Swept mailboxes first, together: their Exchange batches stay full (10 per request).
      const ordered = [...live.mailboxes].sort(
        (a, b) =>
          Number(sweep.sweeps(b.row.UserPrincipalName.toLowerCase())) -
          Number(sweep.sweeps(a.row.UserPrincipalName.toLowerCase()))
      )
      const entries = reader.readMailboxes(
        { ...live, mailboxes: ordered },
        {
          unit: options.batch,
          concurrency: options.concurrency,
          includeInboxRules: options.includeInboxRules,
          sweep: sweep.sweeps,
        }
      )
      for await (const { entry, recipients, warnings } of entries) {
        if (options.signal?.aborted) return
        const upn = entry.mailbox.UserPrincipalName.toLowerCase()
        const mailbox = byUpn.get(upn) ?? normalizeMailbox(entry.mailbox)
        yield readOf(
          entry,
          mailbox,
          recipients.map(normalizeRecipient),
          warnings ?? [],
          sweep.baselineHidden(upn)
        )
      }
    },
    async readGroupMembership(upns) {
      const read = await reader.readGroupMembership(upns)
      const memberOf = new Map<string, GroupRef[]>()
      for (const [upn, rows] of read.memberOf) memberOf.set(upn, normalizeMemberOf(rows))
      return { memberOf, warnings: read.warnings }
    },
    hiddenSweep: (): HiddenSweepSummary | undefined => plan?.summary(),
    sourcesRead: () => reader.sourcesRead(),
  }
}

function readOf(
  entry: SnapshotMailboxEntry,
  mailbox: Mailbox,
  recipients: ReturnType<typeof normalizeRecipient>[],
  warnings: string[],
  baselineHidden: RawExchangeInboxRule[] | undefined
): MailboxRead {
  const unreadable = unreadableRead(entry, mailbox)
  if (unreadable) return unreadable
  const exchange = optionalList(entry.exchangeInboxRules)
  const graph = optionalList(entry.graphInboxRules)
  // Without --include-inbox-rules neither list was read: no rules, rather than "none".
  let rules: InboxRule[] | undefined =
    exchange || graph ? forwardingRules(exchange, graph, folderIndex(entry.mailFolders)) : undefined
  // Not swept: Graph's visible rules, plus the hidden ones the baseline recorded.
  if (rules && !exchange && baselineHidden?.length) {
    rules = [...rules, ...forwardingRules(baselineHidden, [])]
  }
  return {
    ok: true,
    mailbox,
    ...(rules ? { inboxRules: rules } : {}),
    ...(recipients.length > 0 ? { recipients } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  }
}
