/**
 * @module sources/audit-log/identities
 * Audit records name one mailbox many ways: a UPN, a GUID, an alias, an organization path
 * (`<server>/Microsoft Exchange Hosted Organizations/<org>/<alias>`), and a rule as
 * `<mailbox>\<rule name or RuleIdentity>` (docs/microsoft-apis.md, 6.2). Without Get-Mailbox the
 * only way to know two names are one mailbox is a record that uses both: a union-find joins them.
 */
import type { AuditRecord } from '../../model/tenant.ts'

/** Names joined into groups; `root` is a stable representative of a name's group. */
export class NameGroups {
  private readonly parent = new Map<string, string>()

  /** The representative of `name`'s group (the name itself when it joined nothing). */
  root(name: string): string {
    let node = name
    for (let up = this.parent.get(node); up !== undefined && up !== node; ) {
      node = up
      up = this.parent.get(node)
    }
    // Path compression keeps later lookups short.
    for (let step = name; step !== node; ) {
      const next = this.parent.get(step) as string
      this.parent.set(step, node)
      step = next
    }
    return node
  }

  /** Put every name in one group. */
  join(names: string[]): void {
    const [first, ...rest] = names
    if (first === undefined) return
    if (!this.parent.has(first)) this.parent.set(first, first)
    for (const name of rest) {
      if (!this.parent.has(name)) this.parent.set(name, name)
      const a = this.root(first)
      const b = this.root(name)
      if (a !== b) this.parent.set(b, a)
    }
  }

  /** Every name in each group, keyed by the group's root. */
  members(): Map<string, string[]> {
    const groups = new Map<string, string[]>()
    for (const name of this.parent.keys()) {
      const root = this.root(name)
      const list = groups.get(root)
      if (list) list.push(name)
      else groups.set(root, [name])
    }
    return groups
  }
}

/** `a\b` → [`a`, `b`]; without a backslash the head is undefined. */
export function splitRulePath(value: string | undefined): { head?: string; tail?: string } {
  if (value === undefined || value === '') return {}
  const at = value.lastIndexOf('\\')
  if (at < 0) return { tail: value }
  const head = value.slice(0, at)
  return { ...(head ? { head } : {}), tail: value.slice(at + 1) }
}

/** The names a mailbox reference carries: itself and, for an organization path, its last segment. */
export function mailboxNames(value: string | undefined): string[] {
  const text = value?.trim().toLowerCase()
  if (!text) return []
  const last = text.slice(text.lastIndexOf('/') + 1)
  return last && last !== text ? [text, last] : [text]
}

/** The organization in `<server>/Microsoft Exchange Hosted Organizations/<org>/...`. */
export function organizationOf(value: string | undefined): string | undefined {
  const match = /\/Microsoft Exchange Hosted Organizations\/([^/\\]+)/i.exec(value ?? '')
  return match?.[1]?.toLowerCase()
}

/** The names of the mailbox a forwarding record acts on (empty when it names none). */
export function targetMailboxNames(record: AuditRecord): string[] {
  const op = record.operation.toLowerCase()
  const p = record.parameters
  if (op === 'set-mailbox') return [...mailboxNames(p.Identity), ...mailboxNames(record.objectId)]
  if (op === 'updateinboxrules') return mailboxNames(record.mailbox)
  // Inbox-rule cmdlets: -Mailbox, the head of `<mailbox>\<rule>`, else the caller's own mailbox
  // (without -Mailbox, Exchange applies the cmdlet to the caller's mailbox).
  const heads = [splitRulePath(p.Identity).head, splitRulePath(record.objectId).head]
  const names = [...mailboxNames(p.Mailbox), ...heads.flatMap((head) => mailboxNames(head))]
  const own = p.Mailbox === undefined && !p.Identity?.includes('\\')
  return own ? [...names, ...mailboxNames(record.actor)] : names
}
