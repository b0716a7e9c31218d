/**
 * @module sources/snapshot/locate
 * Where in a snapshot file a finding sits: the line of its inbox, transport or journal rule's name, of
 * the mailbox's forwarding field, or of the mailbox. A pull-request annotation and a SARIF
 * location point there, so a reviewer lands on the rule the change added. The lines come from
 * one scan of the text (lib/json-lines.ts) into arrays indexed like the parsed document, so a
 * 100,000-mailbox snapshot costs a scan and a few typed arrays, not a second tree.
 */
import { normalizeAddress } from '../../lib/address.ts'
import { decodeText } from '../../lib/bytes.ts'
import { type JsonPath, visitJsonLines } from '../../lib/json-lines.ts'
import { many } from '../../lib/lists.ts'
import type { Finding } from '../../model/findings.ts'
import type { TenantSnapshot } from './schema.ts'
import { parseSnapshot } from './source.ts'

/** Finds the line of a finding in one snapshot file. */
export interface SnapshotLocator {
  /**
   * The 1-based line of the finding's rule (its name), or of the mailbox's forwarding field for
   * mailbox forwarding, else of its mailbox (its UPN); undefined when the snapshot lacks it.
   */
  line(finding: Pick<Finding, 'type' | 'user' | 'rule_name'>): number | undefined
}

/** Mailbox fields a finding can point at, in the order they are preferred for forwarding. */
const MAILBOX_FIELDS = ['ForwardingSmtpAddress', 'ForwardingAddress', 'UserPrincipalName'] as const
/** Each rule list and the field that names its rules. */
const RULE_LISTS = { exchangeInboxRules: 'Name', graphInboxRules: 'displayName' } as const
type RuleList = keyof typeof RULE_LISTS

/**
 * A locator for the snapshot file `input` (its bytes or text); `snapshot` is the same file
 * already parsed, when the caller has it.
 * @example
 * const locate = snapshotLocator(bytes, snapshot)
 * locate.line(finding) // 412
 */
export function snapshotLocator(
  input: Uint8Array | string,
  snapshot?: TenantSnapshot
): SnapshotLocator {
  const text = typeof input === 'string' ? input : decodeText(input)
  const document = snapshot ?? parseSnapshot(JSON.parse(text.replace(/^\uFEFF/, '')))
  const lines = lineTable(text, document)
  const entries = new Map<string, number>()
  document.mailboxes.forEach((entry, index) => {
    const upn = normalizeAddress(entry.mailbox.UserPrincipalName)
    if (!entries.has(upn)) entries.set(upn, index)
  })
  const at = (line: number | undefined) => (line ? line : undefined)

  return {
    line(finding) {
      if (finding.type === 'transport_rule' || finding.type === 'journal_rule') {
        const list = finding.type === 'transport_rule' ? 'transportRules' : 'journalRules'
        const k = many(document[list]).findIndex((r) => r.Name === finding.rule_name)
        return at(lines.tenantRules[list][k]) ?? at(lines.tenantRuleList[list])
      }
      const i = entries.get(normalizeAddress(finding.user))
      if (i === undefined) return undefined
      const entry = document.mailboxes[i]!
      const mailbox = at(lines.fields.UserPrincipalName[i]) ?? at(lines.entries[i])
      if (finding.type === 'smtp_forwarding') {
        const raw = entry.mailbox as Record<string, unknown>
        const field = MAILBOX_FIELDS.find((name) => name !== 'UserPrincipalName' && raw[name])
        return (field && at(lines.fields[field][i])) || mailbox
      }
      for (const list of Object.keys(RULE_LISTS) as RuleList[]) {
        const field = RULE_LISTS[list]
        const rules = many(entry[list] as Record<string, unknown>[] | undefined)
        const j = rules.findIndex((rule) => (rule[field] ?? '') === (finding.rule_name ?? ''))
        if (j >= 0) return at(lines.rules[list][lines.offsets[list][i]! + j]) ?? mailbox
      }
      return mailbox
    },
  }
}

/** Lines (0 = not seen) of everything a finding can point at, indexed like the document. */
interface LineTable {
  entries: Int32Array
  fields: Record<(typeof MAILBOX_FIELDS)[number], Int32Array>
  /** Where each mailbox's rules start in `rules[list]`. */
  offsets: Record<RuleList, Int32Array>
  rules: Record<RuleList, Int32Array>
  /** Organization-level rules: the line of each one's `Name`, and of the list itself. */
  tenantRules: Record<TenantRuleList, Int32Array>
  tenantRuleList: Record<TenantRuleList, number>
}

const TENANT_RULE_LISTS = ['transportRules', 'journalRules'] as const
type TenantRuleList = (typeof TENANT_RULE_LISTS)[number]

function lineTable(text: string, document: TenantSnapshot): LineTable {
  const count = document.mailboxes.length
  const offsets = {} as LineTable['offsets']
  const rules = {} as LineTable['rules']
  for (const list of Object.keys(RULE_LISTS) as RuleList[]) {
    offsets[list] = new Int32Array(count + 1)
    document.mailboxes.forEach((entry, i) => {
      offsets[list][i + 1] = offsets[list][i]! + many(entry[list]).length
    })
    rules[list] = new Int32Array(offsets[list][count]!)
  }
  const table: LineTable = {
    entries: new Int32Array(count),
    fields: Object.fromEntries(
      MAILBOX_FIELDS.map((name) => [name, new Int32Array(count)])
    ) as LineTable['fields'],
    offsets,
    rules,
    tenantRules: {
      transportRules: new Int32Array(many(document.transportRules).length),
      journalRules: new Int32Array(many(document.journalRules).length),
    },
    tenantRuleList: { transportRules: 0, journalRules: 0 },
  }
  const rule = (list: RuleList, i: unknown, j: unknown, line: number) => {
    if (typeof i !== 'number' || typeof j !== 'number' || i >= count) return
    const slot = offsets[list][i]! + j
    if (slot < offsets[list][i + 1]!) rules[list][slot] = line
  }
  // Paths are at most 5 long: mailboxes[i].exchangeInboxRules[j].Name.
  visitJsonLines(
    text,
    {
      object(path, line) {
        const [top, i, list, j] = path
        if (top === 'mailboxes') {
          if (path.length === 2 && typeof i === 'number' && i < count) table.entries[i] = line
          // A rule object (a bare one when the list is one object), not one nested in a rule.
          else if (isRuleList(list) && path.length <= 4)
            rule(list, i, path.length === 3 ? 0 : j, line)
        } else if (isTenantRuleList(top) && path.length <= 2) {
          tenantRule(table, top, path.length === 1 ? 0 : i, line)
        }
      },
      key(path, line) {
        const key = path[path.length - 1]
        const [top, i, list, j] = path
        if (top === 'mailboxes') {
          if (path.length === 4 && list === 'mailbox' && typeof i === 'number' && i < count) {
            const field = MAILBOX_FIELDS.find((name) => name === key)
            if (field) table.fields[field][i] = line
          } else if (isRuleList(list) && key === RULE_LISTS[list] && path.length >= 4) {
            // A rule's name is the line a reviewer recognises it by.
            rule(list, i, path.length === 4 ? 0 : j, line)
          }
        } else if (isTenantRuleList(top)) {
          if (path.length === 1) table.tenantRuleList[top] = line
          else if (key === 'Name' && path.length <= 3) {
            tenantRule(table, top, path.length === 2 ? 0 : i, line)
          }
        }
      },
    },
    5
  )
  return table
}

function isRuleList(value: JsonPath[number] | undefined): value is RuleList {
  return value === 'exchangeInboxRules' || value === 'graphInboxRules'
}

function isTenantRuleList(value: JsonPath[number] | undefined): value is TenantRuleList {
  return value === 'transportRules' || value === 'journalRules'
}

function tenantRule(table: LineTable, list: TenantRuleList, k: unknown, line: number): void {
  const lines = table.tenantRules[list]
  if (typeof k === 'number' && k < lines.length) lines[k] = line
}
