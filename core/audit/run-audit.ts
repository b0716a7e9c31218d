/**
 * @module audit/run-audit
 * The engine: request → source → normalized facts → candidates → scored findings → filters →
 * allowlist → the seed API's envelope. Data flows one way; nothing reaches back.
 */

import { applyAllowlist } from '../allowlist/apply.ts'
import { refuseProviderDomains } from '../allowlist/provider-domains.ts'
import type { Allowlist } from '../allowlist/schema.ts'
import type { AnalysisOptions, Candidate } from '../analysis/candidate.ts'
import { type DestinationResolver, destinationResolver } from '../analysis/destinations.ts'
import { addDisposableFactors } from '../analysis/disposable.ts'
import { loadFreemailTest } from '../analysis/freemail.ts'
import { analyzeInboxRule } from '../analysis/inbox-rules.ts'
import { analyzeJournalRule } from '../analysis/journal-rules.ts'
import { connectorRoutes } from '../analysis/outbound-connectors.ts'
import { addScriptLookalikes } from '../analysis/script-lookalikes.ts'
import { analyzeSmtpForwarding } from '../analysis/smtp-forwarding.ts'
import { analyzeTransportRule } from '../analysis/transport-rules.ts'
import { type AuditError, isAuditError } from '../errors/errors.ts'
import type { AuditReport, HiddenSweepSummary, SkippedMailbox } from '../model/findings.ts'
import type { AuditLog, Mailbox, TenantSettings } from '../model/tenant.ts'
import { stripSmtpPrefix } from '../normalize/recipients.ts'
import { auditLogSummary } from '../provenance/summary.ts'
import { buildReport } from '../report/envelope.ts'
import { parseAuditRequest } from '../request/parse.ts'
import type { TenantSnapshot } from '../sources/snapshot/schema.ts'
import { type SourceOptions, sourceOptions, type TenantSource } from '../sources/source.ts'
import { filterFindings } from './filters.ts'
import { finalizeFindings } from './finalize.ts'
import { readMembership } from './group-membership.ts'

export interface AuditProgress {
  done: number
  total: number | undefined
}

export interface AuditDependencies {
  allowlist?: Allowlist
  /** The clock; tests freeze it. */
  now?: () => Date
  /** Stops the scan; what was read is reported with `complete: false`. */
  signal?: AbortSignal
  onProgress?: (progress: AuditProgress) => void
  /**
   * An earlier snapshot of the same tenant: with `hidden_sweep: changed`, its hidden rules
   * stand in for the mailboxes the audit log shows unchanged.
   */
  sweepBaseline?: TenantSnapshot
}

/**
 * Run one audit. `input` is an untrusted request body or an already parsed AuditRequest.
 * @example
 * const report = await runAudit({ all_users: true, include_transport_rules: true }, source, {
 *   allowlist: parseAllowlist(bytes),
 *   signal: AbortSignal.timeout(120_000),
 * })
 */
export async function runAudit(
  input: unknown,
  source: TenantSource,
  dependencies: AuditDependencies = {}
): Promise<AuditReport> {
  const request = parseAuditRequest(input)
  // Before any Microsoft call: an entry covering all of gmail.com is refused, not applied.
  if (dependencies.allowlist) await refuseProviderDomains(dependencies.allowlist)
  const now = dependencies.now ?? (() => new Date())
  const started = now()
  const options = sourceOptions(request, dependencies.signal, dependencies.sweepBaseline)
  const settings = await source.readSettings(options)
  // The freemail list is loaded only for a request that flags freemail (analysis/freemail.ts).
  const isFreemail = request.flag_freemail ? await loadFreemailTest() : undefined
  const resolver = destinationResolver(settings, isFreemail)
  const reference = settings.capturedAt ? new Date(settings.capturedAt) : started
  const analysis = { flagFreemail: request.flag_freemail, reference }
  // Started now, awaited after the scan: a Graph audit query runs for minutes (6.3).
  const auditLog = readAuditLog(source, options, settings)
  // Observed now, so a scan that throws first leaves no unhandled rejection behind.
  auditLog.catch(() => undefined)
  const total = await source.countMailboxes?.(options)
  const scan = await scanMailboxes(source, options, { resolver, analysis, total, ...dependencies })
  const { candidates, mailboxes, skipped } = scan
  const incomplete: string[] = [...(settings.warnings ?? [])]
  const stop = scan.stoppedByBudget
    ? scan.stoppedByBudget.message
    : dependencies.signal?.aborted
      ? 'deadline reached'
      : undefined
  if (stop) {
    const unread = total === undefined ? 'the rest' : String(total - scan.done)
    incomplete.push(`${stop} after ${scan.done} mailboxes: ${unread} not read`)
  }
  incomplete.push(...(source.gaps?.() ?? []))
  if (skipped.length > 0) incomplete.push(`${skipped.length} mailbox(es) could not be read`)
  for (const [warning, count] of scan.warnings) {
    incomplete.push(count > 1 ? `${warning} (${count} mailboxes)` : warning)
  }
  const routes = connectorRoutes(settings, reference)
  for (const rule of settings.transportRules ?? []) {
    candidates.push(...analyzeTransportRule(rule, resolver, analysis, routes))
  }
  for (const rule of settings.journalRules ?? []) {
    candidates.push(analyzeJournalRule(rule, resolver, analysis))
  }

  await addDisposableFactors(candidates)
  const membership = await readMembership(source, settings, candidates, options)
  incomplete.push(...membership.warnings)
  // Look-alikes by shape need Unicode's confusables, loaded only if an external destination is there.
  await addScriptLookalikes(
    candidates,
    settings.acceptedDomains.map((d) => d.name)
  )
  // Provenance only dates findings: a log that could not be read leaves them undated and is
  // named in `summary.audit_log`, but every mailbox was still audited.
  const log = await auditLog
  const scored = await finalizeFindings(candidates, {
    tenantId: settings.tenantId,
    ...(settings.forwardingControls ? { forwardingControls: settings.forwardingControls } : {}),
    membership,
    auditLog: log,
    ...(settings.auditing ? { auditing: settings.auditing } : {}),
    mailboxes,
    now: reference,
    recentDays: request.recent_days,
    forwardingTarget: (field, value) =>
      resolver.resolve(
        field === 'ForwardingAddress'
          ? { identity: value.trim() }
          : { address: stripSmtpPrefix(value.trim()) }
      ).label,
  })
  const undecided = scored.filter((f) => f.tenant_policy?.external_forwarding_blocked === null)
  if (undecided.length > 0) {
    incomplete.push(
      `${undecided.length} finding(s) with an unknown tenant-policy verdict: an outbound spam rule is scoped to a group and the membership of their mailbox was not resolved; nothing was subtracted`
    )
  }
  // The request's filters first, in FILTER_ORDER, then the allowlist on what they kept.
  const { kept, filteredOut, filteredOutBy } = filterFindings(scored, request)
  const { findings, expired, unmatched } = dependencies.allowlist
    ? applyAllowlist(kept, dependencies.allowlist, started)
    : { findings: kept, expired: [], unmatched: undefined }
  return buildReport({
    request,
    tenant: settings.tenantName ?? settings.tenantId,
    label: settings.label ?? settings.tenantName ?? settings.tenantId,
    findings,
    filteredOut,
    filteredOutBy,
    requested: options.scope.kind === 'all' ? 'all' : options.scope.upns.length,
    scanned: scan.scanned,
    skipped,
    sources: source.sourcesRead(),
    started,
    finished: now(),
    incomplete,
    expired,
    ...(unmatched ? { unmatched } : {}),
    coverage: settings.coverage ?? [],
    auditLog: auditLogSummary(log, settings.auditing, mailboxes),
    ...sweepOf(source),
  })
}

/** The source's audit log; a source without one reads none, and says so. */
/** The source's audit log: read by it, or the records it already holds (an audit-log export). */
async function readAuditLog(
  source: TenantSource,
  options: SourceOptions,
  settings: TenantSettings
): Promise<AuditLog> {
  if (source.readAuditLog) return source.readAuditLog(options)
  if (settings.auditRecords) {
    return { read: true, source: 'export', records: settings.auditRecords, notes: [] }
  }
  return { read: false, records: [], notes: ['this source reads no audit log'] }
}

function sweepOf(source: TenantSource): { hiddenSweep?: HiddenSweepSummary } {
  const sweep = source.hiddenSweep?.()
  return sweep ? { hiddenSweep: sweep } : {}
}

/** Read every mailbox in scope and analyse it as it arrives; stop at the deadline. */
async function scanMailboxes(
  source: TenantSource,
  options: SourceOptions,
  context: {
    resolver: DestinationResolver
    analysis: AnalysisOptions
    total: number | undefined
    signal?: AbortSignal
    onProgress?: (progress: AuditProgress) => void
  }
) {
  const { resolver, analysis, total } = context
  const candidates: Candidate[] = []
  const mailboxes = new Map<string, Mailbox>()
  const skipped: SkippedMailbox[] = []
  /** What mailboxes could not fully be read, counted by text: one summary line each. */
  const warnings = new Map<string, number>()
  let done = 0
  let scanned = 0
  let stoppedByBudget: AuditError | undefined
  try {
    for await (const read of source.readMailboxes(options)) {
      done++
      if (read.ok) {
        scanned++
        if (read.recipients?.length) resolver.add(read.recipients)
        for (const warning of read.warnings ?? []) {
          warnings.set(warning, (warnings.get(warning) ?? 0) + 1)
        }
        const found = analyzeSmtpForwarding(read.mailbox, resolver, analysis)
        for (const rule of read.inboxRules ?? []) {
          found.push(...analyzeInboxRule(read.mailbox, rule, resolver, analysis))
        }
        // Kept only where there is a finding: provenance needs the mailbox's identities.
        if (found.length > 0) {
          mailboxes.set(read.mailbox.upn, read.mailbox)
          candidates.push(...found)
        }
      } else {
        skipped.push({ mailbox: read.address, code: read.code, reason: read.reason })
        // What was read of a skipped mailbox (its forwarding, rules it holds) is still judged.
        if (read.mailbox) {
          const found = analyzeSmtpForwarding(read.mailbox, resolver, analysis)
          for (const rule of read.inboxRules ?? []) {
            found.push(...analyzeInboxRule(read.mailbox, rule, resolver, analysis))
          }
          if (found.length > 0) {
            mailboxes.set(read.mailbox.upn, read.mailbox)
            candidates.push(...found)
          }
        }
      }
      if (context.onProgress && (done % options.batch === 0 || done === total)) {
        context.onProgress({ done, total })
      }
      if (context.signal?.aborted) break
    }
  } catch (error) {
    // A deadline that strikes inside a read ends the scan like one between reads; so does
    // the runtime's request budget running out (retries and extra pages it could not plan).
    if (!isAuditError(error)) throw error
    if (error.code === 'SUBREQUEST_BUDGET_EXCEEDED') stoppedByBudget = error
    else if (error.code !== 'DEADLINE_EXCEEDED') throw error
  }
  return { candidates, mailboxes, skipped, warnings, done, scanned, stoppedByBudget }
}
