/**
 * @module sources/source
 * The contract between where tenant data comes from and the engine that judges it.
 * A source reads tenant settings once, then streams mailboxes so a 100,000-mailbox scan
 * can report progress, stop at a deadline and keep what it already read.
 */

import type { HiddenSweepSummary } from '../model/findings.ts'
import type { AuditLog, GroupRef, MailboxRead, TenantSettings } from '../model/tenant.ts'
import type { RawExchangeInboxRule, RawGraphMessageRule, RawMailbox } from '../normalize/raw.ts'
import type { AuditRequest, HiddenSweepMode } from '../request/schema.ts'

/** Which mailboxes to read. */
export type MailboxScope = { kind: 'all' } | { kind: 'listed'; upns: string[] }

/** The mailboxes a request names: all of them, or the listed UPNs, each once (in any case). */
export function mailboxScope(request: AuditRequest): MailboxScope {
  if (request.all_users) return { kind: 'all' }
  const listed = request.users ?? (request.user ? [request.user] : [])
  const seen = new Set<string>()
  const upns = listed.filter((upn) => {
    const key = upn.trim().toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return { kind: 'listed', upns }
}

/** What the hidden-rule sweep takes from an earlier tenant snapshot: each mailbox's rules. */
export interface SweepBaseline {
  capturedAt?: string | undefined
  mailboxes: {
    mailbox: RawMailbox
    exchangeInboxRules?: RawExchangeInboxRule | RawExchangeInboxRule[] | null | undefined
    graphInboxRules?: RawGraphMessageRule | RawGraphMessageRule[] | null | undefined
    unreadable?: unknown
  }[]
}

export interface SourceOptions {
  scope: MailboxScope
  includeInboxRules: boolean
  includeTransportRules: boolean
  /** Parallel mailbox reads (live sources). */
  concurrency: number
  /** Mailboxes per batch (live sources). */
  batch: number
  /** Days of audit log to read (live sources). */
  auditLogDays: number
  /** Which mailboxes get `Get-InboxRule -IncludeHidden` (live sources). */
  hiddenSweep: HiddenSweepMode
  /** An earlier snapshot whose hidden rules stand in for mailboxes not swept (`changed`). */
  sweepBaseline?: SweepBaseline
  signal?: AbortSignal
}

/** What a source needs to know of a request: its scope, switches and pacing. */
export function sourceOptions(
  request: AuditRequest,
  signal?: AbortSignal,
  sweepBaseline?: SweepBaseline
): SourceOptions {
  return {
    scope: mailboxScope(request),
    includeInboxRules: request.include_inbox_rules,
    includeTransportRules: request.include_transport_rules,
    concurrency: request.concurrency,
    batch: request.batch,
    auditLogDays: request.audit_log_days,
    hiddenSweep: request.hidden_sweep,
    ...(sweepBaseline ? { sweepBaseline } : {}),
    ...(signal ? { signal } : {}),
  }
}

export interface TenantSource {
  /** Short name for the summary (`snapshot`, `graph+exchange`). */
  readonly name: string
  /** Tenant settings: accepted domains, transport rules, forwarding controls, audit records. */
  readSettings(options: SourceOptions): Promise<TenantSettings>
  /** Mailboxes in scope, each with its inbox rules or the reason it could not be read. */
  readMailboxes(options: SourceOptions): AsyncIterable<MailboxRead>
  /**
   * The unified audit log for the request's window. The engine starts it before the scan and
   * awaits it after, so a slow query overlaps the scan; it never rejects (`read: false`).
   */
  readAuditLog?(options: SourceOptions): Promise<AuditLog>
  /** How many mailboxes `readMailboxes` will yield, when the source knows up front. */
  countMailboxes?(options: SourceOptions): Promise<number | undefined>
  /** After `readMailboxes`: which mailboxes the hidden-rule sweep read, and why (live sources). */
  hiddenSweep?(): HiddenSweepSummary | undefined
  /** Names of the data sets read so far (`Get-Mailbox`, `messageRules` ...), for the summary. */
  sourcesRead(): string[]
  /**
   * The groups each mailbox belongs to, transitively, keyed by lower-case UPN; a mailbox left out
   * could not be read. Asked only when an outbound spam rule is scoped to groups, and only for
   * mailboxes that forward outside (audit/group-membership.ts).
   */
  readGroupMembership?(
    upns: string[],
    options: SourceOptions
  ): Promise<{ memberOf: Map<string, GroupRef[]>; warnings: string[] }>
  /**
   * After the scan: what the mailboxes read could not show although the request asked for it
   * (hidden rules without Graph's view, rules not exported), one line each. Each makes the
   * report incomplete.
   */
  gaps?(): string[]
}
