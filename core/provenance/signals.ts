/**
 * @module provenance/signals
 * Risk factors only the audit log can show: a mailbox changed by an account other than its
 * owner, a change from an IP or client the actor used nowhere else in the window, one actor
 * changing several mailboxes within minutes (a spray), and the same rule name or destination
 * in several mailboxes, counting mailboxes whose forwarding the log shows but that no longer
 * forward. The log names a mailbox by UPN, alias or GUID; names that appear together in one
 * record, or on one mailbox (and on no other), are one mailbox.
 */

import type { Candidate } from '../analysis/candidate.ts'
import type { RiskFactor } from '../model/findings.ts'
import type { AuditRecord, Mailbox } from '../model/tenant.ts'
import { networkOf } from '../normalize/client-ip.ts'
import { parseRecipientList } from '../normalize/recipients.ts'
import { riskFactor } from '../risk/risk-table.ts'
import { isOwner } from './dating.ts'
import { sprays } from './forwarding-changes.ts'
import { forwardingValue } from './mailbox-forwarding.ts'
import {
  type History,
  isDisabling,
  isOrganizationRule,
  isOrganizationRuleOperation,
  mailboxKeysOf,
  parameter,
} from './operations.ts'

const RULE_TARGETS = ['ForwardTo', 'RedirectTo', 'ForwardAsAttachmentTo']
const FORWARDING_ACTION = /"ActionType"\s*:\s*"(?:Forward|Redirect|ForwardAsAttachment)/i

/** Everything the log says across findings, computed once per audit. */
export function provenanceSignals(
  records: AuditRecord[],
  candidates: Candidate[],
  mailboxes: Map<string, Mailbox>
) {
  const keys = new MailboxKeys()
  // A name two mailboxes share (a display name: two John Smiths, or an attacker's rename) names
  // neither: joining on it would count their rules and destinations as one mailbox's.
  const namesOf = (m: Mailbox) => [
    ...new Set([m.upn, ...m.smtpAddresses, ...m.identities].map((n) => n.toLowerCase())),
  ]
  const holders = new Map<string, number>()
  for (const m of mailboxes.values()) {
    for (const name of namesOf(m)) holders.set(name, (holders.get(name) ?? 0) + 1)
  }
  for (const m of mailboxes.values()) keys.union(namesOf(m).filter((n) => holders.get(n) === 1))
  const changes = records.filter((r) => !isOrganizationRuleOperation(r))
  for (const record of changes) keys.union(mailboxKeysOf(record))
  const mailboxOf = (record: AuditRecord) => {
    const first = mailboxKeysOf(record)[0]
    return first === undefined ? undefined : keys.root(first)
  }
  const userOf = (upn: string) => keys.root(upn)

  const byActor = new Map<string, AuditRecord[]>()
  for (const record of records) {
    if (!record.actor || record.actorType === 'service') continue
    const list = byActor.get(record.actor) ?? []
    list.push(record)
    byActor.set(record.actor, list)
  }
  // One definition of a spray for the engine and the Sigma correlation rule (detections/).
  const sprayed = sprays(records)

  const names = new Map<string, Set<string>>()
  const destinations = new Map<string, Set<string>>()
  const add = (map: Map<string, Set<string>>, key: string, mailbox: string | undefined) => {
    if (mailbox === undefined) return
    const set = map.get(key) ?? new Set<string>()
    set.add(mailbox)
    map.set(key, set)
  }
  for (const c of candidates) {
    if (c.type === 'inbox_rule' && c.ruleName !== null)
      add(names, nameKey(c.ruleName), userOf(c.user))
    if (!isOrganizationRule(c) && !c.destination.unresolved)
      add(destinations, c.destination.label, userOf(c.user))
  }
  for (const record of changes) {
    if (isDisabling(record)) continue
    const mailbox = mailboxOf(record)
    const targets = forwardingTargets(record)
    for (const address of targets) add(destinations, address, mailbox)
    const forwards =
      targets.length > 0 || FORWARDING_ACTION.test(record.parameters.RuleActions ?? '')
    if (forwards && record.rule?.name !== undefined) add(names, nameKey(record.rule.name), mailbox)
  }

  return {
    /** How many mailboxes forward, or were set by the log to forward, to this destination. */
    destinationMailboxes(candidate: Candidate): number {
      if (isOrganizationRule(candidate) || candidate.destination.unresolved) return 0
      return destinations.get(candidate.destination.label)?.size ?? 0
    },

    /** The log's factors for one finding. */
    factors(candidate: Candidate, history: History, mailbox: Mailbox | undefined): RiskFactor[] {
      const factors: RiskFactor[] = []
      const changing = history.records.filter((r) => !isDisabling(r) && r.actorType !== 'service')
      if (mailbox && !isOrganizationRule(candidate) && mailbox.type === 'UserMailbox') {
        const other = changing.find((r) => r.actor !== undefined && !isOwner(r.actor, mailbox))
        if (other) {
          const what = other === history.created ? 'Created' : 'Changed'
          factors.push(
            riskFactor(
              'changed_by_other_account',
              `${what} ${day(other)} by ${other.actor}, not the mailbox’s owner`
            )
          )
        }
      }
      const own = new Set(history.records.map((r) => r.id))
      const unfamiliar = changing
        .map((r) => unfamiliarSource(r, byActor.get(r.actor ?? '') ?? [], own))
        .find((text) => text !== undefined)
      if (unfamiliar) factors.push(riskFactor('unfamiliar_source', unfamiliar))
      const spray = history.records.map((r) => sprayed.get(r.id)).find((s) => s !== undefined)
      if (spray) {
        factors.push(
          riskFactor(
            'forwarding_spray',
            `${spray.actor} set forwarding on ${spray.objects} objects (${spray.changes} changes) between ${spray.from} and ${spray.to}`
          )
        )
      }
      if (candidate.type === 'inbox_rule' && candidate.ruleName !== null) {
        const count = names.get(nameKey(candidate.ruleName))?.size ?? 0
        if (count > 1) {
          factors.push(
            riskFactor(
              'shared_rule_name',
              `A forwarding rule named ${JSON.stringify(candidate.ruleName)} is in ${count} mailboxes`
            )
          )
        }
      }
      return factors
    },
  }
}

const nameKey = (name: string) => name.trim().toLowerCase()
const day = (record: AuditRecord) => record.time.slice(0, 10)

/** Addresses a record set a forward to: rule actions or ForwardingSmtpAddress. */
function forwardingTargets(record: AuditRecord): string[] {
  const values = [...RULE_TARGETS, 'ForwardingSmtpAddress']
    .map((name) => parameter(record, name))
    .filter((v): v is string => v !== undefined && v.trim() !== '')
  return values.flatMap((value) =>
    parseRecipientList(value.replace(/^smtp:/i, ''))
      .map((ref) => ref.address)
      .filter((a): a is string => a !== undefined)
      .map(forwardingValue)
  )
}

/**
 * Why `record` came from an unfamiliar place for its actor; undefined when it did not. The
 * actor must have used another network (or client) somewhere, and this one on no record outside
 * the finding's own history (`own`): an attacker's changes to one rule do not vouch for each other.
 */
function unfamiliarSource(
  record: AuditRecord,
  byActor: AuditRecord[],
  own: Set<string>
): string | undefined {
  const others = byActor.filter((r) => r.id !== record.id)
  const outside = others.filter((r) => !own.has(r.id))
  const ip = record.clientIp
  const seenIps = others
    .map((r) => r.clientIp)
    .filter((v): v is string => v !== undefined && networkOf(v) !== networkOf(ip ?? ''))
  const familiar = outside.some((r) => r.clientIp && networkOf(r.clientIp) === networkOf(ip ?? ''))
  if (ip && seenIps.length > 0 && !familiar) {
    const seen = [...new Set(seenIps)].slice(0, 3).join(', ')
    return `${record.operation} ${day(record)} came from ${ip}; ${record.actor} used only ${seen} elsewhere in the log`
  }
  const app = record.clientApp
  const seenApps = others
    .map((r) => r.clientApp)
    .filter((v): v is string => v !== undefined && v !== app)
  if (app && seenApps.length > 0 && !outside.some((r) => r.clientApp === app)) {
    return `${record.operation} ${day(record)} used the client ${JSON.stringify(app)}, which ${record.actor} used nowhere else in the log`
  }
  return undefined
}

/** Union-find over a mailbox's names: one root per mailbox, whichever name a record used. */
class MailboxKeys {
  private readonly parent = new Map<string, string>()

  root(key: string): string {
    const k = key.toLowerCase()
    let node = k
    for (let next = this.parent.get(node); next !== undefined && next !== node; ) {
      node = next
      next = this.parent.get(node)
    }
    if (node !== k) this.parent.set(k, node)
    return node
  }

  union(names: string[]): void {
    const [first, ...rest] = names
    if (first === undefined) return
    const root = this.root(first)
    if (!this.parent.has(root)) this.parent.set(root, root)
    for (const name of rest) {
      const other = this.root(name)
      if (other !== root) this.parent.set(other, root)
    }
  }
}
