/**
 * @module sources/live/reader
 * Reads a live tenant as raw data, the same raw data a snapshot holds: tenant settings and
 * Get-Mailbox rows first (so every forwarding target can be resolved), then each mailbox's
 * inbox rules from both Exchange (`Get-InboxRule -IncludeHidden`, `$batch` of 10) and Graph
 * (`messageRules`, `$batch` of 20). The live source audits it; the snapshot export writes it.
 */
import { isAuditError } from '../../errors.ts'
import { graphNotAllowed } from '../../live/graph.ts'
import type { ExchangeAdmin, GraphApi, ItemResult } from '../../live/types.ts'
import type { RawMailbox, RawRecipient } from '../../normalize/raw.ts'
import { parseRecipientList } from '../../normalize/recipients.ts'
import { normalizeAddress } from '../../request/upn.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import type { MailboxScope } from '../source.ts'
import type { RawTenantData } from '../tenant-data.ts'
import { MAILBOX_FIELDS, RECIPIENT_FIELDS } from './fields.ts'
import { chunks, pooled } from './pool.ts'

const GRAPH_BATCH = 20
/** Mailboxes read without one Graph success, some refused, that mean a missing permission. */
const DENIALS_BEFORE_STOP = 50
const EXCHANGE_BATCH = 10

export interface LiveReaderOptions {
  tenantId: string
  exchange: ExchangeAdmin
  graph: GraphApi
}

/** Tenant-level raw data plus the mailbox rows in scope. */
export interface LiveTenant {
  data: RawTenantData
  mailboxes: { row: RawMailbox; unreadable?: { code: string; reason: string } }[]
  /** Requested mailboxes that do not exist. */
  missing: string[]
  warnings: string[]
}

/** One mailbox's raw entry, plus recipients looked up to resolve its forwarding targets. */
export interface LiveMailboxEntry {
  entry: SnapshotMailboxEntry
  recipients: RawRecipient[]
}

export interface LiveReader {
  readTenant(scope: MailboxScope, includeTransportRules: boolean): Promise<LiveTenant>
  readMailboxes(
    tenant: LiveTenant,
    options: { unit: number; concurrency: number; includeInboxRules: boolean }
  ): AsyncIterable<LiveMailboxEntry>
  sourcesRead(): string[]
}

/** A reader over the two admin APIs. */
export function liveReader({ tenantId, exchange, graph }: LiveReaderOptions): LiveReader {
  const read = new Set<string>()
  const invoke = async (cmdlet: string, parameters: Record<string, unknown>, select?: string[]) => {
    const rows = await exchange.invoke(cmdlet, parameters, select)
    read.add(cmdlet)
    return rows
  }
  /** Tenant controls are context, not findings: without the role, say so and go on. */
  const optional = async (cmdlet: string, warnings: string[]) => {
    try {
      return await invoke(cmdlet, {})
    } catch (error) {
      if (!isAuditError(error) || error.code !== 'PERMISSION_DENIED') throw error
      warnings.push(`${cmdlet} not read: ${error.message}`)
      return undefined
    }
  }

  let graphAccess = { granted: 0, denied: 0, seen: 0, needed: DENIALS_BEFORE_STOP }

  return {
    async readTenant(scope, includeTransportRules) {
      const warnings: string[] = []
      const [
        acceptedDomains,
        transportRules,
        policies,
        policyRules,
        remoteDomains,
        contacts,
        listed,
      ] = await Promise.all([
        invoke('Get-AcceptedDomain', {}),
        includeTransportRules
          ? invoke('Get-TransportRule', { ResultSize: 'Unlimited' })
          : undefined,
        optional('Get-HostedOutboundSpamFilterPolicy', warnings),
        optional('Get-HostedOutboundSpamFilterRule', warnings),
        optional('Get-RemoteDomain', warnings),
        invoke(
          'Get-Recipient',
          { RecipientTypeDetails: ['MailContact', 'MailUser'], ResultSize: 'Unlimited' },
          RECIPIENT_FIELDS
        ),
        scope.kind === 'all'
          ? invoke('Get-Mailbox', { ResultSize: 'Unlimited' }, MAILBOX_FIELDS).then((rows) => ({
              rows,
              missing: [],
            }))
          : listedMailboxes(scope.upns),
      ])
      return {
        data: {
          tenant: { id: tenantId },
          capturedAt: new Date().toISOString(),
          acceptedDomains: acceptedDomains as RawTenantData['acceptedDomains'],
          recipients: contacts as RawRecipient[],
          ...(transportRules
            ? { transportRules: transportRules as RawTenantData['transportRules'] }
            : {}),
          ...(policies
            ? { outboundSpamPolicies: policies as RawTenantData['outboundSpamPolicies'] }
            : {}),
          ...(policyRules
            ? { outboundSpamRules: policyRules as RawTenantData['outboundSpamRules'] }
            : {}),
          ...(remoteDomains
            ? { remoteDomains: remoteDomains as RawTenantData['remoteDomains'] }
            : {}),
        },
        mailboxes: listed.rows.map((row) => ({ row: row as RawMailbox })),
        missing: listed.missing,
        warnings,
      }
    },

    async *readMailboxes(tenant, { unit, concurrency, includeInboxRules }) {
      const known = directoryKeys(tenant)
      graphAccess = {
        granted: 0,
        denied: 0,
        seen: 0,
        needed: Math.min(DENIALS_BEFORE_STOP, tenant.mailboxes.length),
      }
      const units = chunks(tenant.mailboxes, Math.max(unit, 1))
      for await (const entries of pooled(units, concurrency, (slots) =>
        readUnit(slots, includeInboxRules, known)
      )) {
        yield* entries
      }
    },

    sourcesRead: () => [...read],
  }

  async function listedMailboxes(upns: string[]) {
    const rows: Record<string, unknown>[] = []
    const missing: string[] = []
    for (const batch of chunks(upns, EXCHANGE_BATCH)) {
      const results = await exchange.invokeBatch(
        batch.map((upn) => ({
          cmdlet: 'Get-Mailbox',
          parameters: { Identity: upn },
          select: MAILBOX_FIELDS,
        }))
      )
      results.forEach((result, i) => {
        if (result.ok && result.value.length > 0) rows.push(...result.value)
        else missing.push(normalizeAddress(batch[i] as string))
      })
    }
    read.add('Get-Mailbox')
    return { rows, missing }
  }

  async function readUnit(
    slots: LiveTenant['mailboxes'],
    includeInboxRules: boolean,
    known: Set<string>
  ): Promise<LiveMailboxEntry[]> {
    const upns = slots.map((slot) => slot.row.UserPrincipalName)
    if (!includeInboxRules)
      return slots.map((slot) => ({ entry: { mailbox: slot.row }, recipients: [] }))
    const [graphResults, exchangeResults] = await Promise.all([
      inBatches(upns, GRAPH_BATCH, (batch) => graph.messageRules(batch)),
      inBatches(upns, EXCHANGE_BATCH, (batch) =>
        exchange.invokeBatch(
          batch.map((upn) => ({
            cmdlet: 'Get-InboxRule',
            parameters: { Mailbox: upn, IncludeHidden: true },
          }))
        )
      ),
    ])
    read.add('messageRules').add('Get-InboxRule')
    checkGraphAccess(graphResults)
    const entries = slots.map((slot, i) => entryOf(slot.row, graphResults[i]!, exchangeResults[i]!))
    const recipients = await lookUpUnknownTargets(entries, known)
    // The unit's lookups travel with its first mailbox: the resolver learns them once.
    return entries.map((entry, i) => ({ entry, recipients: i === 0 ? recipients : [] }))
  }

  /**
   * One mailbox refused (403) is an application access policy at work; every mailbox refused
   * is a missing permission, reported once instead of as thousands of skipped mailboxes.
   */
  function checkGraphAccess(results: ItemResult<unknown>[]): void {
    for (const result of results) {
      if (result.ok) graphAccess.granted++
      else if (result.status === 403) graphAccess.denied++
    }
    if (graphAccess.granted === 0 && graphAccess.denied >= graphAccess.needed)
      throw graphNotAllowed()
  }

  /** Forwarding targets nobody in the directory answers to, looked up once each. */
  async function lookUpUnknownTargets(
    entries: SnapshotMailboxEntry[],
    known: Set<string>
  ): Promise<RawRecipient[]> {
    const unknown = new Set<string>()
    for (const entry of entries) {
      const values: unknown[] = [entry.mailbox.ForwardingAddress]
      for (const rule of Array.isArray(entry.exchangeInboxRules) ? entry.exchangeInboxRules : []) {
        values.push(rule.ForwardTo, rule.RedirectTo, rule.ForwardAsAttachmentTo)
      }
      for (const ref of values.flatMap(parseRecipientList)) {
        const key = ref.legacyDn ?? ref.identity
        if (key && !known.has(key.toLowerCase())) unknown.add(key)
      }
    }
    if (unknown.size === 0) return []
    const found: RawRecipient[] = []
    for (const batch of chunks([...unknown], EXCHANGE_BATCH)) {
      const results = await exchange.invokeBatch(
        batch.map((identity) => ({
          cmdlet: 'Get-Recipient',
          parameters: { Identity: identity },
          select: RECIPIENT_FIELDS,
        }))
      )
      for (const result of results) if (result.ok) found.push(...(result.value as RawRecipient[]))
    }
    for (const key of unknown) known.add(key.toLowerCase())
    return found
  }
}

/** Run `call` over `items` in batches, keeping the results in the items' order. */
async function inBatches<T, R>(
  items: T[],
  size: number,
  call: (batch: T[]) => Promise<R[]>
): Promise<R[]> {
  const results = await Promise.all(chunks(items, size).map(call))
  return results.flat()
}

/** A mailbox's entry: its rules from both views, or why it could not be read. */
function entryOf(
  row: RawMailbox,
  graph: ItemResult<Record<string, unknown>[]>,
  exchange: ItemResult<Record<string, unknown>[]>
): SnapshotMailboxEntry {
  if (!exchange.ok)
    return { mailbox: row, unreadable: { code: exchange.code, reason: exchange.message } }
  if (!graph.ok) return { mailbox: row, unreadable: { code: graph.code, reason: graph.message } }
  return {
    mailbox: row,
    exchangeInboxRules: exchange.value as SnapshotMailboxEntry['exchangeInboxRules'],
    graphInboxRules: graph.value as SnapshotMailboxEntry['graphInboxRules'],
  }
}

/** Every name the directory already answers to, lower-case. */
function directoryKeys(tenant: LiveTenant): Set<string> {
  const keys = new Set<string>()
  const add = (value: unknown) => {
    if (typeof value === 'string' && value !== '') keys.add(value.toLowerCase())
  }
  for (const { row } of tenant.mailboxes) {
    for (const field of [
      'UserPrincipalName',
      'PrimarySmtpAddress',
      'Alias',
      'Name',
      'Identity',
      'DisplayName',
      'LegacyExchangeDN',
    ] as const) {
      add((row as Record<string, unknown>)[field])
    }
  }
  for (const recipient of (tenant.data.recipients as RawRecipient[] | undefined) ?? []) {
    for (const field of [
      'Identity',
      'Name',
      'Alias',
      'PrimarySmtpAddress',
      'LegacyExchangeDN',
    ] as const)
      add(recipient[field])
  }
  return keys
}
