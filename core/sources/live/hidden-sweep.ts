/**
 * @module sources/live/hidden-sweep
 * Which mailboxes get `Get-InboxRule -IncludeHidden`, about a second of Exchange time each
 * (docs/microsoft-apis.md 5.5). `all` sweeps every mailbox; `off` none; `changed` only those
 * whose inbox rules the audit log shows changing in the window, and those whose changes the
 * log cannot show (mailbox auditing off). The rest keep Graph's visible rules plus, when a
 * baseline snapshot is given, the hidden rules it recorded. When the log could not be read, or
 * an account bypasses mailbox auditing (its changes to any mailbox are unlogged) or the bypass
 * list could not be read, `changed` cannot choose and sweeps everything.
 */
import type { HiddenSweepSummary } from '../../model/findings.ts'
import type { AuditingSettings, AuditLog, Mailbox } from '../../model/tenant.ts'
import { hiddenRules } from '../../normalize/mailbox-rules.ts'
import type { RawExchangeInboxRule } from '../../normalize/raw.ts'
import { auditGap } from '../../provenance/auditing.ts'
import { INBOX_RULE_OPS, mailboxKeysOf, opOf } from '../../provenance/operations.ts'
import type { HiddenSweepMode } from '../../request/schema.ts'
import type { SweepBaseline } from '../source.ts'

const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

export interface SweepPlan {
  /** True when this mailbox (lower-case UPN) gets Get-InboxRule -IncludeHidden. */
  sweeps(upn: string): boolean
  /** The baseline's hidden rules for a mailbox not swept; undefined when it has none. */
  baselineHidden(upn: string): RawExchangeInboxRule[] | undefined
  summary(): HiddenSweepSummary
}

export interface SweepInput {
  requested: HiddenSweepMode
  mailboxes: Mailbox[]
  /** The audit log, needed for `changed` only. */
  log?: AuditLog
  auditing?: AuditingSettings
  baseline?: SweepBaseline
}

/** Decide which mailboxes to sweep, and why. */
export function planHiddenSweep(input: SweepInput): SweepPlan {
  const { requested, mailboxes } = input
  let mode: HiddenSweepMode = requested
  let note: string | undefined
  const reasons = new Map<string, string>()
  const blind = requested === 'changed' ? unloggedAnywhere(input.auditing) : undefined
  if (requested === 'changed' && !input.log?.read) {
    mode = 'all'
    // Why it was not read, and its fix, are named once: in summary.audit_log.
    note =
      'changed needs the audit log, which was not read (see summary.audit_log): every mailbox was swept'
  } else if (requested === 'changed' && input.log?.truncated) {
    // A capped read keeps no particular part: Search-UnifiedAuditLog's sessions come unsorted,
    // so any mailbox's change may be among the records not returned.
    mode = 'all'
    note =
      'changed needs the whole audit log, and the read was cut short at its record cap (see summary.audit_log): every mailbox was swept'
  } else if (blind) {
    mode = 'all'
    note = `changed cannot trust the log's silence on any mailbox: ${blind}; every mailbox was swept`
  } else if (requested === 'changed' && input.log) {
    const changed = changedKeys(input.log)
    for (const mailbox of mailboxes) {
      const names = [mailbox.upn, ...mailbox.smtpAddresses, ...mailbox.identities]
      const record = names.map((n) => changed.get(n)).find((r) => r !== undefined)
      if (record) reasons.set(mailbox.upn, record)
      else {
        const gap = auditGap(mailbox, input.auditing)
        if (gap) reasons.set(mailbox.upn, `the log cannot show its rule changes: ${gap}`)
      }
    }
    const gap = baselineGap(input.baseline, input.log)
    if (gap) note = note ? `${note}; ${gap}` : gap
  }
  const sweeps = (upn: string) => mode === 'all' || reasons.has(upn.toLowerCase())
  const baseline = baselineIndex(input.baseline)
  let fromBaseline = 0
  for (const mailbox of mailboxes) {
    if (!sweeps(mailbox.upn) && baseline.has(mailbox.upn)) fromBaseline++
  }
  const swept = mode === 'all' ? mailboxes.length : mode === 'off' ? 0 : reasons.size
  return {
    sweeps,
    baselineHidden: (upn) => (sweeps(upn) ? undefined : baseline.get(upn.toLowerCase())),
    summary: () => ({
      mode,
      requested,
      swept,
      ...(mode === 'changed'
        ? {
            swept_mailboxes: [...reasons]
              .map(([mailbox, reason]) => ({ mailbox, reason }))
              .sort((a, b) => a.mailbox.localeCompare(b.mailbox)),
          }
        : {}),
      from_baseline: fromBaseline,
      not_swept: mailboxes.length - swept - fromBaseline,
      ...(note ? { note } : {}),
    }),
  }
}

/**
 * Why no mailbox's quiet log rules out a hidden rule: a bypassed account's actions on any
 * mailbox it opens are not logged (docs/microsoft-apis.md 6.4), and the audit does not read who
 * may open which mailbox. Undefined when the tenant's bypass list was read and is empty.
 */
function unloggedAnywhere(auditing: AuditingSettings | undefined): string | undefined {
  const bypassed = auditing?.bypassed ?? []
  if (bypassed.length > 0) {
    const names = bypassed.slice(0, 5).join(', ') + (bypassed.length > 5 ? ', ...' : '')
    return `${bypassed.length} account(s) bypass mailbox auditing (${names}), and their rule changes in any mailbox they can open are not logged`
  }
  const unread = auditing?.unread.find((line) =>
    line.startsWith('Get-MailboxAuditBypassAssociation')
  )
  if (unread) return `which accounts bypass mailbox auditing is unknown (${unread})`
  return undefined
}

/**
 * A baseline stands in only for mailboxes whose rules did not change since it was taken, and
 * only the log can say so: it must reach back to the baseline's capture.
 */
function baselineGap(baseline: SweepBaseline | undefined, log: AuditLog): string | undefined {
  if (!baseline) return undefined
  const captured = baseline.capturedAt ? Date.parse(baseline.capturedAt) : Number.NaN
  if (Number.isNaN(captured)) {
    return 'the baseline has no capturedAt: changes since it was taken cannot be told apart'
  }
  const start = log.start ? Date.parse(log.start) : Number.NaN
  if (!Number.isNaN(start) && captured < start) {
    const end = Date.parse(log.end ?? log.start ?? '')
    const days = Math.ceil((end - captured) / 86_400_000) + 1
    return `the baseline (${baseline.capturedAt}) is older than the audit log window: rule changes between them are not seen; read at least ${days} days (--audit-log-days)`
  }
  return undefined
}

/** Mailbox names the log shows a rule change on, with the latest change as the reason. */
function changedKeys(log: AuditLog): Map<string, string> {
  const reasons = new Map<string, string>()
  const records = log.records
    .filter((r) => r.succeeded && INBOX_RULE_OPS.has(opOf(r)))
    .sort((a, b) => a.time.localeCompare(b.time))
  for (const record of records) {
    const reason = `${record.operation} ${record.time.slice(0, 16).replace('T', ' ')} by ${record.actor ?? 'unknown'}`
    for (const key of mailboxKeysOf(record)) reasons.set(key, reason)
  }
  return reasons
}

/** Each baseline mailbox's hidden rules: Exchange rules Graph did not show (mailbox-rules.ts). */
function baselineIndex(baseline: SweepBaseline | undefined): Map<string, RawExchangeInboxRule[]> {
  const index = new Map<string, RawExchangeInboxRule[]>()
  for (const entry of baseline?.mailboxes ?? []) {
    if (entry.unreadable) continue
    const exchange = many(entry.exchangeInboxRules)
    const graph =
      entry.graphInboxRules === undefined || entry.graphInboxRules === null
        ? undefined
        : many(entry.graphInboxRules)
    // A baseline without Graph's view cannot tell hidden from visible: it contributes nothing.
    if (!graph) continue
    const hidden = hiddenRules(
      exchange.map((rule) => ({ name: rule.Name, forwards: false })),
      graph.map((rule) => ({ name: rule.displayName ?? '', forwards: false }))
    )
    index.set(
      entry.mailbox.UserPrincipalName.toLowerCase(),
      exchange.filter((_, i) => hidden[i])
    )
  }
  return index
}
