/**
 * @module provenance/audit-log
 * Joins findings to the unified audit log records that created or changed them: inbox rules
 * carry no timestamps, so the audit log is the only source of who, when and from where.
 * Matching follows the peers: mailbox + rule name (New-/Set-InboxRule `Name`/`Identity`,
 * ObjectId `...\<name>` or `...\<RuleIdentity>`, UpdateInboxRules `RuleName`), Set-Mailbox
 * with forwarding parameters, New-/Set-TransportRule and New-/Set-JournalRule by name.
 */
import type { Candidate } from '../analysis/candidate.ts'
import type { Provenance } from '../model/findings.ts'
import type { AuditRecord, Mailbox } from '../model/tenant.ts'

const INBOX_RULE_OPS = new Set([
  'new-inboxrule',
  'set-inboxrule',
  'enable-inboxrule',
  'disable-inboxrule',
  'updateinboxrules',
])
const MAILBOX_OPS = new Set(['set-mailbox'])
const TRANSPORT_OPS = new Set([
  'new-transportrule',
  'set-transportrule',
  'enable-transportrule',
  'disable-transportrule',
])
const JOURNAL_OPS = new Set([
  'new-journalrule',
  'set-journalrule',
  'enable-journalrule',
  'disable-journalrule',
])

/** Index the records once; look up a candidate's history in it. */
export function provenanceIndex(records: AuditRecord[]) {
  const relevant = dedupe(records)
    .filter((r) => {
      const op = r.operation.toLowerCase()
      return (
        INBOX_RULE_OPS.has(op) ||
        MAILBOX_OPS.has(op) ||
        TRANSPORT_OPS.has(op) ||
        JOURNAL_OPS.has(op)
      )
    })
    .sort((a, b) => a.time.localeCompare(b.time))

  return {
    /** Records about this candidate, oldest first. */
    lookup(candidate: Candidate, mailbox: Mailbox | undefined): AuditRecord[] {
      return relevant.filter((record) => matches(record, candidate, mailbox))
    },
  }
}

/** Records that switched something off do not make a forwarding look fresh. */
export function isDisabling(record: AuditRecord): boolean {
  return record.operation.toLowerCase().startsWith('disable-')
}

/** Records that created the forwarding (not later edits): the earliest gives `created_at`. */
export function creationTime(records: AuditRecord[]): string | undefined {
  const created = records.find((r) => {
    const op = r.operation.toLowerCase()
    if (['new-inboxrule', 'new-transportrule', 'new-journalrule', 'set-mailbox'].includes(op)) {
      return true
    }
    const ruleOp = (r.parameters.RuleOperation ?? '').toLowerCase()
    return op === 'updateinboxrules' && (ruleOp === 'addmailboxrule' || ruleOp === 'create')
  })
  return created?.time
}

/** The report form of a record. */
export function toProvenance(record: AuditRecord): Provenance {
  return {
    source: 'audit_log',
    operation: record.operation,
    time: record.time,
    ...(record.actor ? { actor: record.actor } : {}),
    ...(record.clientIp ? { client_ip: record.clientIp } : {}),
  }
}

function matches(record: AuditRecord, candidate: Candidate, mailbox: Mailbox | undefined): boolean {
  const op = record.operation.toLowerCase()
  if (candidate.type === 'transport_rule' || candidate.type === 'journal_rule') {
    if (!(candidate.type === 'transport_rule' ? TRANSPORT_OPS : JOURNAL_OPS).has(op)) return false
    const name = (candidate.ruleName ?? '').toLowerCase()
    return [record.parameters.Name, record.parameters.Identity, record.objectId].some(
      (value) => value?.toLowerCase() === name
    )
  }
  if (!mailbox || !onMailbox(record, mailbox)) return false
  if (candidate.type === 'smtp_forwarding') {
    if (!MAILBOX_OPS.has(op)) return false
    // ForwardingAddress names a recipient by any identity; ForwardingSmtpAddress is an address.
    if (candidate.actionKinds.includes('forwarding_address')) {
      return (record.parameters.ForwardingAddress ?? '').trim() !== ''
    }
    const value = (record.parameters.ForwardingSmtpAddress ?? '')
      .replace(/^smtp:/i, '')
      .trim()
      .toLowerCase()
    return value !== '' && value === candidate.destination.address
  }
  if (!INBOX_RULE_OPS.has(op)) return false
  return namesRule(record, candidate)
}

function namesRule(record: AuditRecord, candidate: Candidate): boolean {
  const name = (candidate.ruleName ?? '').trim().toLowerCase()
  const id = candidate.ruleId?.toLowerCase()
  const p = record.parameters
  if ((p.Name ?? p.RuleName)?.trim().toLowerCase() === name) return true
  for (const value of [p.Identity, record.objectId]) {
    const tail = value
      ?.slice(value.lastIndexOf('\\') + 1)
      .trim()
      .toLowerCase()
    if (tail !== undefined && (tail === name || tail === id)) return true
  }
  return false
}

function onMailbox(record: AuditRecord, mailbox: Mailbox): boolean {
  const keys = new Set([...mailbox.identities, ...mailbox.smtpAddresses, mailbox.upn])
  const candidates = [
    record.mailbox,
    record.parameters.Mailbox,
    record.parameters.Identity,
    record.objectId,
  ]
  for (const value of candidates) {
    if (!value) continue
    const lower = value.toLowerCase()
    const head = lower.includes('\\') ? lower.slice(0, lower.lastIndexOf('\\')) : lower
    const last = head.slice(head.lastIndexOf('/') + 1)
    if (keys.has(lower) || keys.has(head) || keys.has(last)) return true
  }
  // Set-Mailbox always names its target; an inbox rule made in OWA is made by the owner,
  // so there the actor is the mailbox when nothing else names one.
  if (record.operation.toLowerCase() === 'set-mailbox') return false
  return (
    record.mailbox === undefined &&
    record.parameters.Mailbox === undefined &&
    record.actor !== undefined &&
    keys.has(record.actor)
  )
}

/** Search-UnifiedAuditLog returns duplicates (office-docs-powershell#4677): keep one per Id. */
function dedupe(records: AuditRecord[]): AuditRecord[] {
  const seen = new Map<string, AuditRecord>()
  for (const record of records) seen.set(record.id, record)
  return [...seen.values()]
}
