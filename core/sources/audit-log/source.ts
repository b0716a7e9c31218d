/**
 * @module sources/audit-log/source
 * An audit-log export as a TenantSource: the analyst's path when only a log is at hand. The
 * engine then scores what the log shows exactly as it scores a live tenant or a snapshot.
 * A log has no Get-AcceptedDomain, so the tenant's domains are taken from the log itself
 * (its organization and its mailboxes' addresses) and the summary says which they were.
 */
import { InvalidInputError } from '../../errors/errors.ts'
import { many } from '../../lib/lists.ts'
import type { MailboxRead, TenantSettings } from '../../model/tenant.ts'
import { mailboxAsRecipient } from '../../normalize/mailbox.ts'
import type { SourceOptions, TenantSource } from '../source.ts'
import {
  inboxRuleFromState,
  journalRuleFromState,
  mailboxFromState,
  transportRuleFromState,
} from './build-facts.ts'
import type { AuditExport } from './export-file.ts'
import { type InboxRuleState, replayAuditLog } from './replay.ts'

export interface AuditLogSourceOptions {
  /** How the user knows the export (`audit.csv`), for the summary. */
  name?: string
}

/**
 * A TenantSource over the records of an audit-log export.
 * @example
 * const report = await runAudit({ all_users: true }, auditLogSource(parseAuditExport(bytes)))
 */
export function auditLogSource(
  exported: AuditExport,
  options: AuditLogSourceOptions = {}
): TenantSource {
  const replay = replayAuditLog(exported.records)
  const name = options.name ?? 'audit log'
  // The tenant's domains come from the log: one tenant's would make a forward to it from
  // another tenant in the same file internal.
  if (replay.organizations.length > 1) {
    throw new InvalidInputError(
      'INVALID_AUDIT_LOG',
      `${name} holds records of ${replay.organizations.length} tenants (OrganizationId ` +
        `${replay.organizations.join(', ')}): export one tenant per file and run events on each`,
      'OrganizationId'
    )
  }
  const rulesOf = new Map<string, InboxRuleState[]>()
  for (const rule of replay.inboxRules) {
    const list = rulesOf.get(rule.mailbox)
    if (list) list.push(rule)
    else rulesOf.set(rule.mailbox, [rule])
  }
  const mailboxes = [...replay.mailboxes].map(([root, state]) => ({
    mailbox: mailboxFromState(state),
    rules: (rulesOf.get(root) ?? []).map(inboxRuleFromState),
  }))
  const { counts } = replay
  const summary =
    `${name} (${exported.format}): ${counts.total} records, ${counts.forwarding} forwarding changes` +
    (counts.duplicates > 0 ? `, ${counts.duplicates} duplicates counted once` : '') +
    (counts.failed > 0 ? `, ${counts.failed} failed cmdlets ignored` : '') +
    `; accepted domains taken from the log: ${replay.domains.join(', ') || 'none'}`
  const warnings: string[] = []
  if (replay.unreadable.length > 0) {
    const positions = replay.unreadable.slice(0, 10).map((i) => i + 1)
    warnings.push(
      `${replay.unreadable.length} record(s) of ${name} could not be read (no operation or time): ` +
        `record ${positions.join(', ')}${replay.unreadable.length > 10 ? ', ...' : ''}`
    )
  }
  if (counts.conflicting > 0) {
    warnings.push(
      `${counts.conflicting} record(s) of ${name} share an Id with a different record: ` +
        'both are replayed; the export may be merged from different sources or edited'
    )
  }
  if (counts.unplaced > 0) {
    warnings.push(`${counts.unplaced} mailbox or inbox-rule record(s) of ${name} name no mailbox`)
  }

  return {
    name: 'audit-log',
    async readSettings(sourceOptions: SourceOptions): Promise<TenantSettings> {
      return {
        tenantId: replay.organization.id ?? replay.organization.name ?? 'unknown',
        ...(replay.organization.name ? { tenantName: replay.organization.name } : {}),
        acceptedDomains: replay.domains.map((domain) => ({ name: domain, type: 'Authoritative' })),
        ...(sourceOptions.includeTransportRules
          ? {
              transportRules: replay.transportRules.map(transportRuleFromState),
              // A change that never names a journal address says nothing about where mail goes.
              journalRules: replay.journalRules
                .filter((state) => state.parameters.JournalEmailAddress?.trim())
                .map(journalRuleFromState),
            }
          : {}),
        recipients: mailboxes.map(({ mailbox }) => mailboxAsRecipient(mailbox)),
        auditRecords: replay.records,
        ...(replay.records.length > 0 ? { capturedAt: replay.records.at(-1)?.time } : {}),
        ...(warnings.length > 0 ? { warnings } : {}),
      }
    },
    async countMailboxes(sourceOptions) {
      return sourceOptions.scope.kind === 'all' ? mailboxes.length : sourceOptions.scope.upns.length
    },
    async *readMailboxes(sourceOptions): AsyncIterable<MailboxRead> {
      const include = sourceOptions.includeInboxRules
      const read = (entry: (typeof mailboxes)[number]): MailboxRead => ({
        ok: true,
        mailbox: entry.mailbox,
        ...(include ? { inboxRules: entry.rules } : {}),
      })
      if (sourceOptions.scope.kind === 'all') {
        for (const entry of mailboxes) yield read(entry)
        return
      }
      for (const upn of many(sourceOptions.scope.upns)) {
        const key = upn.toLowerCase()
        const entry = mailboxes.find(({ mailbox }) => mailbox.identities.includes(key))
        // A mailbox the log never names has no forwarding change in it: read, nothing found.
        yield entry
          ? read(entry)
          : {
              ok: true,
              mailbox: {
                upn: key,
                primarySmtpAddress: key,
                type: 'UserMailbox',
                hiddenFromAddressLists: false,
                smtpAddresses: [key],
                identities: [key],
                deliverToMailboxAndForward: false,
              },
            }
      }
    },
    sourcesRead: () => [summary],
  }
}
