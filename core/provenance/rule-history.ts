/**
 * @module provenance/rule-history
 * The records about one inbox, transport or journal rule. A rule is known by its identity
 * (Set-InboxRule's ObjectId `<mailbox>\<RuleIdentity>`, an organization rule's GUID) and by its
 * name, which New-InboxRule and UpdateInboxRules carry (docs/microsoft-apis.md 6.2). Walking
 * the records newest first, a record that names the rule by identity teaches its name at the
 * time, and a rename (`-Identity old -Name new`) teaches the old name, so the creation under an
 * earlier name still joins. A rule removed and made again under the same name is a new rule;
 * a record naming another RuleIdentity is another rule, whatever its name.
 */
import type { AuditRecord } from '../model/tenant.ts'
import { mapiRuleChange } from '../normalize/mapi-rule.ts'
import { type History, isDisabling, opOf } from './operations.ts'

const nameKey = (name: string) => name.trim().toLowerCase()

/** The history of the rule named `name` with identity `id`, from records already on its mailbox. */
export function ruleHistory(
  records: AuditRecord[],
  name: string,
  id: string | undefined,
  kind: 'inbox' | 'organization'
): History {
  const names = new Set([nameKey(name)])
  const ids = new Set<string>()
  if (id && (kind === 'organization' || /^\d+$/.test(id))) ids.add(id.toLowerCase())
  const matched: AuditRecord[] = []
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i] as AuditRecord
    if (!matches(record, names, ids, kind)) continue
    matched.push(record)
    learn(record, names, ids, kind)
  }
  matched.reverse()
  const removed = matched.findLastIndex(isRemoval)
  const current = removed >= 0 ? matched.slice(removed + 1) : matched
  const created = current.find(isCreation)
  const after = created ? current.slice(current.indexOf(created) + 1) : current
  const modified = after.filter((r) => !isDisabling(r)).at(-1)
  return {
    records: current,
    ...(created ? { created } : {}),
    ...(modified ? { modified } : {}),
  }
}

function matches(
  record: AuditRecord,
  names: Set<string>,
  ids: Set<string>,
  kind: 'inbox' | 'organization'
): boolean {
  const rule = record.rule
  if (!rule) return false
  if (rule.identity !== undefined) {
    const identity = rule.identity.toLowerCase()
    if (ids.has(identity)) return true
    // A transport or journal rule's Identity parameter is its name or its GUID.
    if (kind === 'organization' && names.has(nameKey(rule.identity))) return true
    // Another inbox rule's RuleIdentity: a namesake (Outlook allows two rules of one name),
    // whose removal must not end this rule's history nor its creation date it.
    if (kind === 'inbox' && ids.size > 0) return false
  }
  return rule.name !== undefined && names.has(nameKey(rule.name))
}

/** What a matching record teaches about the rule's other names. */
function learn(
  record: AuditRecord,
  names: Set<string>,
  ids: Set<string>,
  kind: 'inbox' | 'organization'
): void {
  const rule = record.rule
  if (rule?.name !== undefined) names.add(nameKey(rule.name))
  if (kind === 'organization' && rule?.identity) ids.add(rule.identity.toLowerCase())
  // `Set-InboxRule -Identity <old name> -Name <new name>`: the Identity is the name before.
  const identity = record.parameters.Identity
  if (identity !== undefined && !identity.includes('\\') && !/^\d+$/.test(identity.trim())) {
    names.add(nameKey(identity))
  }
}

function isRemoval(record: AuditRecord): boolean {
  const ruleOp = (record.parameters.RuleOperation ?? '').toLowerCase()
  return (
    opOf(record).startsWith('remove-') || ruleOp.includes('remove') || ruleOp.includes('delete')
  )
}

/** New-InboxRule, -TransportRule, -JournalRule, or an Outlook rule being added (either schema). */
function isCreation(record: AuditRecord): boolean {
  const op = opOf(record)
  if (op === 'new-inboxrule' || op === 'new-transportrule' || op === 'new-journalrule') return true
  return op === 'updateinboxrules' && mapiRuleChange(record).operation === 'add'
}
