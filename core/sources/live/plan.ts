/**
 * @module sources/live/plan
 * How many Microsoft 365 requests a live audit sends, counted from what the reader does
 * (reader.ts), so a runtime that caps requests can refuse a scope that cannot fit before it
 * starts. It is the least the audit costs: what only the tenant's data decides (extra pages of
 * a long list, a lookup of a forwarding target the directory did not list, a retry after
 * throttling, and, when an outbound spam rule is scoped to groups, Get-Recipient for those
 * groups and Graph transitiveMemberOf for the mailboxes that forward outside) comes on top. test/live/plan.test.ts holds it to the simulator's request count:
 * a change to the reader's calls must change this file too.
 */
import { AuditRunError } from '../../errors/errors.ts'
import {
  EXCHANGE_BATCH_LIMIT,
  EXCHANGE_PAGE_SIZE,
  GRAPH_BATCH_LIMIT,
  scanUnitSize,
} from '../../m365/limits.ts'
import type { SourceOptions } from '../source.ts'

/** The requests of one live audit, by stage. */
export interface RequestPlan {
  /** Access tokens: Exchange always, Graph when inbox rules or the audit log are read. */
  tokens: number
  /**
   * Before the scan: accepted domains, tenant controls, contacts, transport rules, the mailbox
   * list, and what the tenant logs (audit settings).
   */
  tenant: number
  /** The scan: inbox rules through Graph `$batch` and Exchange `$batch`, unit by unit. */
  scan: number
  /** The unified audit log: a Graph query created, looked at once, its records read in one page. */
  auditLog: number
  total: number
}

/** What the plan depends on: a request's scope, switches and what it reads of the audit log. */
export type PlanOptions = Pick<
  SourceOptions,
  'scope' | 'includeInboxRules' | 'includeTransportRules' | 'batch'
> &
  Partial<Pick<SourceOptions, 'auditLogDays' | 'hiddenSweep'>>

/**
 * Cmdlets every audit runs once before the scan: Get-AcceptedDomain, the three tenant
 * forwarding controls (Get-HostedOutboundSpamFilterPolicy, Get-HostedOutboundSpamFilterRule,
 * Get-RemoteDomain) and Get-Recipient for contacts and mail users.
 */
const TENANT_CMDLETS = 5

/**
 * With transport rules: Get-TransportRule, and the organization's other forwarding paths
 * (Get-JournalRule and the four Get-OutboundConnector queries) in one admin `$batch`
 * (forwarding-paths.ts).
 */
const ORGANIZATION_READS = 2

/**
 * What the tenant logs (sources/live/auditing.ts): Get-AdminAuditLogConfig,
 * Get-OrganizationConfig, and the first page of Get-MailboxAuditBypassAssociation, in one
 * admin `$batch`.
 */
const AUDIT_SETTINGS_REQUESTS = 1

/**
 * A Graph audit log query at the least: created, looked at once after its first wait, and its
 * records read in one page of 1,000 (m365/audit-log.ts). A query still running at that look,
 * more records, or the Search-UnifiedAuditLog fallback cost more.
 */
const AUDIT_LOG_REQUESTS = 3

/**
 * The requests a live audit of `mailboxes` mailboxes sends when every list fits one page and
 * nothing is retried. For a listed scope the mailboxes default to the list's length; for all
 * users, without a count the scan is left out: the least the audit can cost.
 * @example
 * const plan = liveRequestPlan(sourceOptions, 120)
 * if (plan.total > 50) refuse(`needs ${plan.total} requests`)
 */
export function liveRequestPlan(options: PlanOptions, mailboxes?: number): RequestPlan {
  const count = Math.max(
    0,
    mailboxes ?? (options.scope.kind === 'listed' ? options.scope.upns.length : 0)
  )
  const listing =
    options.scope.kind === 'all'
      ? // Get-Mailbox -ResultSize Unlimited: one page per EXCHANGE_PAGE_SIZE rows, at least one.
        Math.max(1, Math.ceil(count / EXCHANGE_PAGE_SIZE))
      : // Get-Mailbox -Identity per listed address, in admin `$batch`es.
        Math.ceil(options.scope.upns.length / EXCHANGE_BATCH_LIMIT)
  // The bypass list has a row per recipient: a page per EXCHANGE_PAGE_SIZE of them, at least one.
  const bypassPages =
    options.scope.kind === 'all' ? Math.max(1, Math.ceil(count / EXCHANGE_PAGE_SIZE)) : 1
  const tenant =
    TENANT_CMDLETS +
    (options.includeTransportRules ? ORGANIZATION_READS : 0) +
    listing +
    AUDIT_SETTINGS_REQUESTS +
    (bypassPages - 1)
  // `changed` and `off` sweep no mailbox for sure: at the least, the scan is Graph's alone.
  const sweeps = (options.hiddenSweep ?? 'all') === 'all'
  const scan = options.includeInboxRules
    ? scanRequests(count, scanUnitSize(options.batch), sweeps)
    : 0
  const auditLog = (options.auditLogDays ?? 0) > 0 ? AUDIT_LOG_REQUESTS : 0
  const tokens = 1 + (scan > 0 || auditLog > 0 ? 1 : 0)
  return { tokens, tenant, scan, auditLog, total: tokens + tenant + scan + auditLog }
}

/**
 * Each unit (`batch` rounded up to whole Graph batches, scanUnitSize): Graph batches of 20 and,
 * when every mailbox is swept, Exchange batches of 10, side by side.
 */
function scanRequests(mailboxes: number, batch: number, sweeps: boolean): number {
  const perUnit = (size: number) =>
    Math.ceil(size / GRAPH_BATCH_LIMIT) + (sweeps ? Math.ceil(size / EXCHANGE_BATCH_LIMIT) : 0)
  const full = Math.floor(mailboxes / batch)
  const rest = mailboxes % batch
  return full * perUnit(batch) + (rest > 0 ? perUnit(rest) : 0)
}

/**
 * Why an audit cannot fit `limit` requests, or undefined when it can. Before anything is sent
 * the whole plan counts; once the tenant was read (`spent` requests, retries included) what is
 * left is the scan and the Graph token.
 * @example
 * const error = requestPlanError(options, undefined, 50)
 * if (error) throw error // 422 before any Microsoft 365 call
 */
export function requestPlanError(
  options: PlanOptions,
  mailboxes: number | undefined,
  limit: number,
  spent?: number
): AuditRunError | undefined {
  const plan = liveRequestPlan(options, mailboxes)
  // Once the tenant was read, the scan, the audit log and the Graph token are left.
  const needed =
    spent === undefined ? plan.total : spent + plan.scan + plan.auditLog + (plan.tokens - 1)
  if (needed <= limit) return undefined
  const count = mailboxes ?? (options.scope.kind === 'listed' ? options.scope.upns.length : 0)
  const what =
    count > 0 || options.scope.kind === 'listed'
      ? `auditing ${count} mailbox${count === 1 ? '' : 'es'} needs at least ${needed} Microsoft 365 requests`
      : `reading the tenant needs at least ${needed} Microsoft 365 requests`
  const fit = mostListedMailboxes(options, limit)
  const fix =
    fit > 0
      ? `audit at most ${fit} mailbox${fit === 1 ? '' : 'es'} per request (a \`users\` list), or run where more requests are allowed`
      : 'run where more requests are allowed'
  return new AuditRunError(
    'SUBREQUEST_BUDGET_EXCEEDED',
    `${what}, more than the ${limit} allowed per audit here: ${fix}`,
    { userFixable: true }
  )
}

/** The most mailboxes a `users` list may name and still fit `limit` requests. */
function mostListedMailboxes(options: PlanOptions, limit: number): number {
  const total = (count: number) =>
    liveRequestPlan({ ...options, scope: { kind: 'listed', upns: new Array<string>(count) } }).total
  let low = 0
  let high = 1
  while (total(high) <= limit && high < 1_000_000) high *= 2
  // Invariant: total(low) fits (or low is 0), total(high) does not.
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (total(middle) <= limit) low = middle
    else high = middle
  }
  return low
}
