/**
 * @module sources/snapshot/source
 * The offline tenant snapshot as a TenantSource: validated once, normalized once.
 */

import type * as z from 'zod/mini'
import { InvalidInputError } from '../../errors/errors.ts'
import { normalizeAddress } from '../../lib/address.ts'
import { DEFAULT_INPUT_LIMITS, type InputLimits, parseJsonDocument } from '../../lib/bytes.ts'
import { many, optionalList } from '../../lib/lists.ts'
import { issuePath, mainIssue, safeParseInEnglish } from '../../lib/schema-check.ts'
import type { AuditLog, GroupRef, Mailbox, MailboxRead } from '../../model/tenant.ts'
import { readAuditRecords, unreadableRecordsNote } from '../../normalize/audit-record.ts'
import { normalizeMailbox } from '../../normalize/mailbox.ts'
import { normalizeMemberOf } from '../../normalize/member-of.ts'
import { settingsFromRaw, unreadableRead } from '../../normalize/tenant-data.ts'
import type { SourceOptions, TenantSource } from '../source.ts'
import { folderGaps, snapshotGaps } from './coverage.ts'
import { snapshotForwardingRules } from './rules.ts'
import {
  mailboxEntryOutline,
  SNAPSHOT_FORMAT,
  type SnapshotMailboxEntry,
  type TenantSnapshot,
  tenantSnapshotOutline,
} from './schema.ts'

/** Documents parseSnapshot already checked: a source built from one does not check it twice. */
const checked = new WeakSet<object>()

/**
 * A snapshot from the bytes of its file: UTF-8 or UTF-16 with or without a BOM, as PowerShell
 * writes it, then validated. `name` is how the user knows the file (`--snapshot tenant.json`);
 * `limits` bound its size and nesting before it is parsed (default DEFAULT_INPUT_LIMITS.snapshot).
 * @example
 * const source = snapshotSource(parseSnapshotBytes(await Deno.readFile('tenant.json')))
 */
export function parseSnapshotBytes(
  bytes: Uint8Array | string,
  name = 'snapshot',
  limits: InputLimits = DEFAULT_INPUT_LIMITS.snapshot
): TenantSnapshot {
  return parseSnapshot(
    parseJsonDocument(
      bytes,
      {
        code: 'INVALID_SNAPSHOT',
        name,
        fix: 'export it with ConvertTo-Json -Depth 10 (docs/snapshot.md)',
      },
      limits
    )
  )
}

/** Validate a parsed snapshot document; throws INVALID_SNAPSHOT naming the field. */
export function parseSnapshot(document: unknown): TenantSnapshot {
  if (typeof document === 'object' && document !== null && checked.has(document)) {
    return document as TenantSnapshot
  }
  const result = safeParseInEnglish(tenantSnapshotOutline, document)
  if (!result.success) fail(mainIssue(result.error.issues), '')
  const upns = new Map<string, number>()
  ;(document as { mailboxes: unknown[] }).mailboxes.forEach((entry, index) => {
    const checked = safeParseInEnglish(mailboxEntryOutline, entry)
    if (!checked.success) fail(mainIssue(checked.error.issues), `mailboxes[${index}]`)
    // The same mailbox twice would be audited twice, or one copy's rules would hide the other's.
    const upn = normalizeAddress((entry as SnapshotMailboxEntry).mailbox.UserPrincipalName)
    const first = upns.get(upn)
    const copy =
      first !== undefined &&
      JSON.stringify((document as { mailboxes: unknown[] }).mailboxes[first]) ===
        JSON.stringify(entry)
    if (first !== undefined && !copy) {
      const field = `mailboxes[${index}].mailbox.UserPrincipalName`
      throw new InvalidInputError(
        'INVALID_SNAPSHOT',
        `snapshot \`${field}\`: ${upn} is already mailboxes[${first}], with other content (names compare in any case): keep one entry per mailbox, with all its rules; see docs/snapshot.md`,
        field
      )
    }
    if (first === undefined) upns.set(upn, index)
  })
  // The schemas only check (no transforms), so the input is the valid document.
  checked.add(document as object)
  return document as TenantSnapshot
}

function fail(issue: z.core.$ZodIssue, prefix: string): never {
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
  const path = issuePath(unknownKey ? [...issue.path, unknownKey] : issue.path)
  const field = prefix && path && !path.startsWith('[') ? `${prefix}.${path}` : prefix + path
  if (field === 'format' || field === '') {
    throw new InvalidInputError(
      'INVALID_SNAPSHOT',
      `snapshot: not a tenant snapshot (\`format\` must be "${SNAPSHOT_FORMAT}"); see docs/snapshot.md`,
      'format'
    )
  }
  const message = unknownKey
    ? `unknown field: remove it or check its spelling`
    : issue.message.replace(/^Invalid input: /, '')
  throw new InvalidInputError(
    'INVALID_SNAPSHOT',
    `snapshot \`${field}\`: ${message}; see docs/snapshot.md`,
    field
  )
}

/**
 * A TenantSource over a snapshot document (parsed JSON, checked here if it was not already).
 * @example
 * const report = await runAudit({ all_users: true }, snapshotSource(parseSnapshotBytes(bytes)))
 */
export function snapshotSource(document: unknown, options: { label?: string } = {}): TenantSource {
  const snapshot = parseSnapshot(document)
  // An exact copy of an entry (parseSnapshot refuses a differing one) is audited once.
  const seen = new Set<string>()
  const entries = snapshot.mailboxes
    .map((entry, index) => ({ entry, index, mailbox: normalizeMailbox(entry.mailbox) }))
    .filter(({ mailbox }) => !seen.has(mailbox.upn) && seen.add(mailbox.upn))
  let addresses: Map<string, (typeof entries)[number]> | undefined
  const byAddress = () => {
    if (!addresses) {
      addresses = new Map()
      for (const item of entries) {
        for (const address of [item.mailbox.upn, ...item.mailbox.smtpAddresses])
          if (!addresses.has(address)) addresses.set(address, item)
      }
    }
    return addresses
  }
  const read = new Set<string>(['Get-Mailbox', 'Get-AcceptedDomain'])
  const views = { noGraph: 0, noExchange: 0, none: 0 }

  return {
    name: 'snapshot',
    async readSettings(sourceOptions) {
      const settings = settingsFromRaw(
        snapshot,
        entries.map((e) => e.mailbox),
        sourceOptions,
        read
      )
      const gaps = snapshotGaps(snapshot, settings, sourceOptions)
      const warnings = [...(settings.warnings ?? []), ...gaps]
      return {
        ...settings,
        ...(warnings.length > 0 ? { warnings } : {}),
        ...(options.label === undefined ? {} : { label: options.label }),
      }
    },
    async readAuditLog() {
      const log = snapshotAuditLog(snapshot)
      if (log.records.length > 0) read.add('audit log')
      return log
    },
    async countMailboxes(options) {
      if (options.scope.kind === 'all') return entries.length
      const found = new Set<number>()
      let missing = 0
      for (const upn of options.scope.upns) {
        const item = byAddress().get(normalizeAddress(upn))
        if (item) found.add(item.index)
        else missing++
      }
      return found.size + missing
    },
    async *readMailboxes(options) {
      if (options.scope.kind === 'all') {
        for (const item of entries) yield readEntry(item, options, read, views)
        return
      }
      // A mailbox named twice (by its UPN and by another of its addresses) is read once.
      const done = new Set<number>()
      for (const upn of options.scope.upns) {
        const item = byAddress().get(normalizeAddress(upn))
        if (item && done.has(item.index)) continue
        if (item) done.add(item.index)
        yield item
          ? readEntry(item, options, read, views)
          : {
              ok: false,
              address: normalizeAddress(upn),
              code: 'MAILBOX_NOT_FOUND',
              reason: 'no mailbox with this address in the snapshot',
            }
      }
    },
    sourcesRead: () => [...read].map((name) => `snapshot:${name}`),
    async readGroupMembership(upns) {
      const byUpn = new Map(entries.map((e) => [e.mailbox.upn, e.entry]))
      const memberOf = new Map<string, GroupRef[]>()
      for (const upn of upns) {
        const groups = optionalList(byUpn.get(upn)?.memberOf)
        if (groups) memberOf.set(upn, normalizeMemberOf(groups))
      }
      if (memberOf.size > 0) read.add('transitiveMemberOf')
      // A snapshot without the list is not a failed read: the verdicts say what is unknown.
      return { memberOf, warnings: [] }
    },
    gaps() {
      const lines: string[] = []
      if (views.none > 0) {
        lines.push(
          `${views.none} mailbox(es) have no inbox rules in the snapshot (neither exchangeInboxRules nor graphInboxRules): their rules were not audited`
        )
      }
      if (views.noGraph > 0) {
        lines.push(
          `${views.noGraph} mailbox(es) have no Graph view of their rules (graphInboxRules): hidden rules cannot be told from visible ones, so none of theirs is reported hidden (docs/snapshot.md)`
        )
      }
      if (views.noExchange > 0) {
        lines.push(
          `${views.noExchange} mailbox(es) have only Graph's view of their rules: rules hidden from Graph are not in it; export Get-InboxRule -IncludeHidden as exchangeInboxRules (docs/snapshot.md)`
        )
      }
      return lines
    },
  }
}

/** The snapshot's audit records; absent (not `[]`) means the exporter read no log. */
function snapshotAuditLog(snapshot: TenantSnapshot): AuditLog {
  if (snapshot.auditRecords === undefined || snapshot.auditRecords === null) {
    return {
      read: false,
      records: [],
      notes: [
        'the snapshot has no auditRecords: export it with its audit log (docs/snapshot.md) to date findings',
      ],
    }
  }
  const window = snapshot.auditLog
  const { records, unreadable } = readAuditRecords(many(snapshot.auditRecords))
  const unread = unreadableRecordsNote(unreadable)
  return {
    read: true,
    source: 'snapshot',
    ...(window?.start ? { start: new Date(window.start).toISOString() } : {}),
    ...(window?.end ? { end: new Date(window.end).toISOString() } : {}),
    records,
    notes: [
      ...(window?.source ? [`exported from ${window.source}`] : []),
      ...(unread ? [unread] : []),
    ],
  }
}

function readEntry(
  { entry, index, mailbox }: { entry: SnapshotMailboxEntry; index: number; mailbox: Mailbox },
  options: SourceOptions,
  read: Set<string>,
  views: { noGraph: number; noExchange: number; none: number }
): MailboxRead {
  const unreadable = unreadableRead(entry, mailbox)
  if (unreadable && !unreadable.ok) {
    // Marked unreadable yet holding rules: the mailbox stays skipped (the exporter says it is
    // not all there), and the rules it does hold are audited, never dropped (docs/snapshot.md).
    const held = options.includeInboxRules && (entry.exchangeInboxRules || entry.graphInboxRules)
    if (!held) return unreadable
    const inboxRules = snapshotForwardingRules(entry, index)
    return {
      ...unreadable,
      reason: `${unreadable.reason} (marked unreadable, but the rules it holds were audited)`,
      inboxRules,
    }
  }
  if (!options.includeInboxRules) return { ok: true, mailbox }
  if (entry.exchangeInboxRules) read.add('Get-InboxRule')
  if (entry.graphInboxRules) read.add('messageRules')
  // What the two views allow: hidden rules need both (normalize/mailbox-rules.ts).
  const exchange = entry.exchangeInboxRules !== undefined && entry.exchangeInboxRules !== null
  const graph = entry.graphInboxRules !== undefined && entry.graphInboxRules !== null
  if (!exchange && !graph) views.none++
  else if (!graph) views.noGraph++
  else if (!exchange) views.noExchange++
  const inboxRules = snapshotForwardingRules(entry, index)
  const warnings = folderGaps(entry)
  return { ok: true, mailbox, inboxRules, ...(warnings.length > 0 ? { warnings } : {}) }
}
