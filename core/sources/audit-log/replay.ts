/**
 * @module sources/audit-log/replay
 * Replays forwarding changes from an audit log, oldest first, into the state they leave:
 * each mailbox's forwarding (with what was set and later cleared or replaced), each inbox rule's
 * New-/Set-InboxRule or UpdateInboxRules parameters, each transport and journal rule's parameters.
 * Failed cmdlets (`ResultStatus` "False") changed nothing and are left out; duplicates (same Id,
 * same content) count once. build-facts.ts turns the result into the engine's tenant facts.
 */
import type { AuditRecord, EndedForwarding } from '../../model/tenant.ts'
import { auditRecordOutcome, normalizeAuditRecord } from '../../normalize/audit-record.ts'
import { mapiRuleChange } from '../../normalize/mapi-rule.ts'
import type { RawAuditRecord } from '../../normalize/raw.ts'
import { FORWARDING_PARAMETERS, setsForwarding } from '../../provenance/forwarding-changes.ts'
import { NameGroups, organizationOf, splitRulePath, targetMailboxNames } from './identities.ts'

export interface MailboxState {
  names: string[]
  forwardingSmtpAddress?: string
  forwardingAddress?: string
  deliverToMailboxAndForward: boolean
  ended: EndedForwarding[]
}

export interface RuleState {
  name: string
  id?: string
  /** New-/Set-InboxRule or New-/Set-TransportRule parameters, as the log gives them. */
  parameters: Record<string, string>
  /** The log holds the rule's creation, so its conditions are all known. */
  created: boolean
  enabled: boolean
  removedAt?: string
  /** This is what the rule forwarded until a later change sent its mail elsewhere. */
  replacedAt?: string
}

export interface InboxRuleState extends RuleState {
  mailbox: string
}

export interface AuditLogReplay {
  /** Successful, de-duplicated records, oldest first: every one, for provenance. */
  records: AuditRecord[]
  mailboxes: Map<string, MailboxState>
  inboxRules: InboxRuleState[]
  transportRules: RuleState[]
  journalRules: RuleState[]
  organization: { id?: string; name?: string }
  /** Every OrganizationId the records carry: more than one is a log merged from several tenants. */
  organizations: string[]
  /** Domains the log shows as the tenant's: its organization and its mailboxes' addresses. */
  domains: string[]
  counts: {
    total: number
    duplicates: number
    /** Records kept although an earlier, different record has the same Id. */
    conflicting: number
    failed: number
    forwarding: number
    /** Forwarding records that name no mailbox the replay could place them on. */
    unplaced: number
  }
  /** Positions (0-based) of records without an operation or a time. */
  unreadable: number[]
}

const MAILBOX_OPS = new Set(['set-mailbox'])
const INBOX_OPS = new Set([
  'new-inboxrule',
  'set-inboxrule',
  'enable-inboxrule',
  'disable-inboxrule',
  'remove-inboxrule',
  'updateinboxrules',
])
const TRANSPORT_OPS = new Set([
  'new-transportrule',
  'set-transportrule',
  'enable-transportrule',
  'disable-transportrule',
  'remove-transportrule',
])
const JOURNAL_OPS = new Set([
  'new-journalrule',
  'set-journalrule',
  'enable-journalrule',
  'disable-journalrule',
  'remove-journalrule',
])
/** Cmdlet switches that say nothing about the rule. */
const NOISE = new Set(['AlwaysDeleteOutlookRulesBlob', 'Force', 'Confirm', 'Identity', 'Mailbox'])

/** Replay the records of one export. */
export function replayAuditLog(raws: RawAuditRecord[]): AuditLogReplay {
  const unreadable: number[] = []
  const seen = new Map<string, string[]>()
  let conflicting = 0
  const records: AuditRecord[] = []
  const organization: { id?: string; name?: string } = {}
  const organizations = new Set<string>()
  let failed = 0
  raws.forEach((raw, index) => {
    const record = normalizeAuditRecord(raw)
    if (!record) {
      unreadable.push(index)
      return
    }
    // Only an exact copy is a duplicate (overlapping exports). A different record under the
    // same Id is kept: dropping it could drop the change that set the forward.
    const content = JSON.stringify(record)
    const earlier = seen.get(record.id)
    if (earlier?.includes(content)) return
    if (earlier) {
      earlier.push(content)
      conflicting++
    } else seen.set(record.id, [content])
    const outcome = auditRecordOutcome(raw)
    if (outcome.organizationId) organizations.add(outcome.organizationId.toLowerCase())
    organization.id ??= outcome.organizationId
    organization.name ??= outcome.organizationName ?? organizationOf(record.objectId)
    if (outcome.succeeded) records.push(record)
    else failed++
  })
  records.sort((a, b) => a.time.localeCompare(b.time))
  const opOf = (r: AuditRecord) => r.operation.toLowerCase()

  const mailboxGroups = new NameGroups()
  for (const record of records) {
    const op = opOf(record)
    if (MAILBOX_OPS.has(op) || INBOX_OPS.has(op)) mailboxGroups.join(targetMailboxNames(record))
  }
  const mailboxOf = (record: AuditRecord) => {
    const [first] = targetMailboxNames(record)
    return first === undefined ? undefined : mailboxGroups.root(first)
  }

  const mailboxes = new Map<string, MailboxState>()
  for (const [root, names] of mailboxGroups.members()) {
    mailboxes.set(root, { names, deliverToMailboxAndForward: false, ended: [] })
  }
  const inboxRules = new Rules<InboxRuleState>()
  const transportRules = new Rules<RuleState>()
  const journalRules = new Rules<RuleState>()
  let forwarding = 0
  let unplaced = 0
  for (const record of records) {
    const op = opOf(record)
    if (MAILBOX_OPS.has(op) || INBOX_OPS.has(op)) {
      const mailbox = mailboxOf(record)
      const state = mailboxes.get(mailbox ?? '')
      if (mailbox === undefined || !state) {
        unplaced++
        continue
      }
      if (MAILBOX_OPS.has(op)) applySetMailbox(state, record)
      else applyInboxRule(inboxRules, mailbox, op, record)
    } else if (TRANSPORT_OPS.has(op)) applyOrganizationRule(transportRules, op, record)
    else if (JOURNAL_OPS.has(op)) applyOrganizationRule(journalRules, op, record)
    if (setsForwarding(record)) forwarding++
  }
  return {
    records,
    mailboxes,
    inboxRules: inboxRules.all(),
    transportRules: transportRules.all(),
    journalRules: journalRules.all(),
    organization,
    organizations: [...organizations],
    domains: tenantDomains(organization.name, mailboxes),
    counts: {
      total: raws.length,
      duplicates: raws.length - unreadable.length - seen.size - conflicting,
      conflicting,
      failed,
      forwarding,
      unplaced,
    },
    unreadable,
  }
}

/** Rules found by any of their keys (name or id); a later record may add keys (a rename). */
class Rules<T extends RuleState> {
  private readonly byKey = new Map<string, T>()
  private readonly list: T[] = []

  find(scope: string, keys: (string | undefined)[]): T | undefined {
    for (const key of keys) {
      const found = key ? this.byKey.get(`${scope}\u0000${key.toLowerCase()}`) : undefined
      if (found) return found
    }
    return undefined
  }

  add(scope: string, keys: (string | undefined)[], state: T): T {
    if (!this.list.includes(state)) this.list.push(state)
    for (const key of keys) if (key) this.byKey.set(`${scope}\u0000${key.toLowerCase()}`, state)
    return state
  }

  /** Keep the rule as it was before a change that moved its forwarding elsewhere. */
  keepReplaced(state: T, next: Record<string, string>, op: string, time: string): void {
    const names = FORWARDING_PARAMETERS[op] ?? []
    const targets = (p: Record<string, string>) =>
      names.map((n) => p[n]?.trim() ?? '').join('\u0000')
    const before = targets(state.parameters)
    if (before.replaceAll('\u0000', '') === '' || before === targets(next)) return
    this.list.push({ ...state, parameters: { ...state.parameters }, replacedAt: time })
  }

  all(): T[] {
    return this.list
  }
}

function applySetMailbox(state: MailboxState, record: AuditRecord): void {
  const p = record.parameters
  if (p.DeliverToMailboxAndForward !== undefined) {
    state.deliverToMailboxAndForward = p.DeliverToMailboxAndForward.toLowerCase() === 'true'
  }
  const fields = [
    ['ForwardingSmtpAddress', 'forwardingSmtpAddress', 'forwarding_smtp_address'],
    ['ForwardingAddress', 'forwardingAddress', 'forwarding_address'],
  ] as const
  for (const [parameter, field, kind] of fields) {
    const raw = p[parameter]
    if (raw === undefined) continue
    const value = raw.replace(/^smtp:/i, '').trim() || undefined
    const current = state[field]
    if (current !== undefined && current.toLowerCase() !== value?.toLowerCase()) {
      state.ended.push({
        kind,
        target: current,
        deliverToMailboxAndForward: state.deliverToMailboxAndForward,
        endedAt: record.time,
      })
    }
    if (value === undefined) delete state[field]
    else state[field] = value
  }
}

function applyInboxRule(
  rules: Rules<InboxRuleState>,
  mailbox: string,
  op: string,
  record: AuditRecord
): void {
  const p = record.parameters
  if (op === 'updateinboxrules') {
    const change = mapiRuleChange(record)
    const keys = [change.id, change.name]
    let state = rules.find(mailbox, keys)
    if (change.operation === 'add' || !state) {
      if (change.operation === 'remove' || !change.parameters) return
      state = { mailbox, name: change.name ?? '', parameters: {}, created: false, enabled: true }
    }
    rules.add(mailbox, keys, state)
    if (change.id) state.id = change.id
    if (change.name !== undefined) state.name = change.name
    if (change.operation === 'remove') {
      state.removedAt = record.time
      return
    }
    if (change.operation === 'add') state.created = true
    if (!change.parameters) return
    if (change.operation === 'modify') {
      rules.keepReplaced(state, change.parameters, 'new-inboxrule', record.time)
    }
    state.parameters = { ...change.parameters }
    if (change.parameters.Enabled) state.enabled = change.parameters.Enabled === 'True'
    return
  }
  const identity = splitRulePath(p.Identity).tail
  const objectTail = splitRulePath(record.objectId).tail
  const keys = op === 'new-inboxrule' ? [p.Name ?? objectTail] : [identity, objectTail]
  let state = rules.find(mailbox, keys)
  if (op === 'new-inboxrule' || !state) {
    if (op === 'remove-inboxrule' || op === 'enable-inboxrule' || op === 'disable-inboxrule') {
      // A change to a rule the log never showed: it says nothing about forwarding.
      return
    }
    state = {
      mailbox,
      name: p.Name ?? identity ?? objectTail ?? '',
      parameters: {},
      created: false,
      enabled: true,
    }
  }
  rules.add(mailbox, [...keys, p.Name], state)
  if (/^\d+$|^-\d+$/.test(objectTail ?? '')) state.id = objectTail
  if (op === 'enable-inboxrule') state.enabled = true
  else if (op === 'disable-inboxrule') state.enabled = false
  else if (op === 'remove-inboxrule') state.removedAt = record.time
  else {
    if (op === 'new-inboxrule') state.created = true
    const next = { ...state.parameters, ...withoutNoise(p) }
    if (op === 'set-inboxrule') rules.keepReplaced(state, next, op, record.time)
    if (p.Name) state.name = p.Name
    if (p.Enabled) state.enabled = p.Enabled.toLowerCase() !== 'false'
    state.parameters = next
  }
}

/** A transport or journal rule change: the verb before the dash, the rule by name or identity. */
function applyOrganizationRule(rules: Rules<RuleState>, op: string, record: AuditRecord): void {
  const p = record.parameters
  const verb = op.slice(0, op.indexOf('-'))
  const name = verb === 'new' ? (p.Name ?? record.objectId) : (p.Identity ?? record.objectId)
  const keys = [name]
  let state = rules.find('', keys)
  if (verb === 'new' || !state) {
    if (verb !== 'new' && verb !== 'set') return
    // New-JournalRule makes a disabled rule unless -Enabled $true (microsoft-apis.md 5.11).
    const enabled = !(op === 'new-journalrule' && p.Enabled?.toLowerCase() !== 'true')
    state = { name: name ?? '', parameters: {}, created: false, enabled }
  }
  rules.add('', [...keys, p.Name], state)
  if (verb === 'enable') state.enabled = true
  else if (verb === 'disable') state.enabled = false
  else if (verb === 'remove') state.removedAt = record.time
  else {
    if (verb === 'new') state.created = true
    const next = { ...state.parameters, ...withoutNoise(p) }
    if (verb === 'set') rules.keepReplaced(state, next, op, record.time)
    if (p.Name) state.name = p.Name
    if (p.Enabled) state.enabled = p.Enabled.toLowerCase() !== 'false'
    state.parameters = next
  }
}

function withoutNoise(parameters: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => !NOISE.has(name)))
}

function tenantDomains(organization: string | undefined, mailboxes: Map<string, MailboxState>) {
  const domains = new Set<string>(organization ? [organization] : [])
  for (const state of mailboxes.values()) {
    for (const name of state.names) {
      const at = name.lastIndexOf('@')
      if (at > 0 && !name.includes('/') && name.slice(at + 1).includes('.'))
        domains.add(name.slice(at + 1))
    }
  }
  return [...domains].sort()
}
