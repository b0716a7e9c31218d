/**
 * @module provenance/audit-log
 * Joins findings to the unified audit log records that created or changed them: inbox rules
 * and mailbox forwarding carry no timestamps, so the log is the only source of who, when and
 * from where (docs/microsoft-apis.md 6). Inbox rules join by mailbox and rule identity or name
 * (following renames), mailbox forwarding by mailbox, parameter and value, transport and
 * journal rules by name or identity. Only records whose cmdlet succeeded count.
 */
import type { Candidate } from '../analysis/candidate.ts'
import type { AuditRecord, Mailbox } from '../model/tenant.ts'
import { type ForwardingTarget, forwardingEpisode } from './mailbox-forwarding.ts'
import {
  type History,
  INBOX_RULE_OPS,
  isForwardingOperation,
  JOURNAL_OPS,
  MAILBOX_OPS,
  mailboxKeysOf,
  opOf,
  TRANSPORT_OPS,
} from './operations.ts'
import { ruleHistory } from './rule-history.ts'

/** Index the records once (de-duplicated, succeeded, oldest first); look up a finding's history. */
export function provenanceIndex(records: AuditRecord[], target?: ForwardingTarget) {
  const byId = new Map<string, AuditRecord>()
  for (const record of records) {
    if (record.succeeded && isForwardingOperation(record) && !byId.has(record.id))
      byId.set(record.id, record)
  }
  const relevant = [...byId.values()].sort((a, b) => a.time.localeCompare(b.time))
  const byMailbox = new Map<string, AuditRecord[]>()
  const transport: AuditRecord[] = []
  const journal: AuditRecord[] = []
  for (const record of relevant) {
    if (TRANSPORT_OPS.has(opOf(record))) {
      transport.push(record)
      continue
    }
    if (JOURNAL_OPS.has(opOf(record))) {
      journal.push(record)
      continue
    }
    for (const key of mailboxKeysOf(record)) {
      const list = byMailbox.get(key) ?? []
      list.push(record)
      byMailbox.set(key, list)
    }
  }

  /** Every record on a mailbox, by any of its names, oldest first. */
  const onMailbox = (mailbox: Mailbox): AuditRecord[] => {
    const found = new Set<AuditRecord>()
    for (const key of [mailbox.upn, ...mailbox.smtpAddresses, ...mailbox.identities]) {
      for (const record of byMailbox.get(key.toLowerCase()) ?? []) found.add(record)
    }
    return [...found].sort((a, b) => a.time.localeCompare(b.time))
  }

  return {
    /** All records read, de-duplicated and oldest first. */
    records: relevant,
    onMailbox,
    /** The history of one finding. */
    lookup(candidate: Candidate, mailbox: Mailbox | undefined): History {
      if (candidate.type === 'transport_rule' || candidate.type === 'journal_rule') {
        const rules = candidate.type === 'transport_rule' ? transport : journal
        return ruleHistory(rules, candidate.ruleName ?? '', candidate.ruleId, 'organization')
      }
      if (!mailbox) return { records: [] }
      const records = onMailbox(mailbox)
      if (candidate.type === 'smtp_forwarding') {
        return forwardingEpisode(
          records.filter((r) => MAILBOX_OPS.has(opOf(r))),
          candidate,
          mailbox,
          target
        )
      }
      return ruleHistory(
        records.filter((r) => INBOX_RULE_OPS.has(opOf(r))),
        candidate.ruleName ?? '',
        candidate.ruleId,
        'inbox'
      )
    },
  }
}

export type ProvenanceIndex = ReturnType<typeof provenanceIndex>
