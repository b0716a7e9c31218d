/**
 * @module sources/live/reader
 * Reads a live tenant as raw data, the same raw data a snapshot holds: tenant settings and
 * Get-Mailbox rows first (so every forwarding target can be resolved), then each mailbox's
 * inbox rules from both Exchange (`Get-InboxRule -IncludeHidden`, `$batch` of 10) and Graph
 * (`messageRules`, `$batch` of 20). The live source audits it; the snapshot export writes it.
 */

import { isAuditError } from '../../errors/errors.ts'
import { normalizeAddress } from '../../lib/address.ts'
import { many } from '../../lib/lists.ts'
import { EXCHANGE_BATCH_LIMIT, GRAPH_BATCH_LIMIT, scanUnitSize } from '../../m365/limits.ts'
import type { ExchangeAdmin, GraphApi, ItemResult } from '../../m365/types.ts'
import type { SkipCode } from '../../model/findings.ts'
import type { RawDirectoryObject, RawMailbox, RawRecipient } from '../../normalize/raw.ts'
import { skipCodeFor } from '../../normalize/skip-code.ts'
import type { RawTenantData } from '../../normalize/tenant-data.ts'
import type { SnapshotMailboxEntry } from '../snapshot/schema.ts'
import type { MailboxScope } from '../source.ts'
import { MAILBOX_FIELDS, RECIPIENT_FIELDS } from './fields.ts'
import { type ForwardingPaths, readForwardingPaths } from './forwarding-paths.ts'
import { graphAccessCheck } from './graph-access.ts'
import { lookUpGroups, policyGroupIdentities, readMemberOf } from './group-membership.ts'
import { nameRuleFolders } from './mail-folders.ts'
import { chunks, pooled } from './pool.ts'
import { directoryKeys, lookUpUnknownTargets } from './recipient-lookup.ts'

export interface LiveReaderOptions {
  tenantId: string
  exchange: ExchangeAdmin
  graph: GraphApi
  /** The clock (epoch ms) that stamps `capturedAt`: the live context's, so tests can freeze it. */
  now: () => number
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
  /** What could not be read for this mailbox beyond its rules (its rule folders' names). */
  warnings?: string[]
}

export interface LiveReader {
  readTenant(scope: MailboxScope, includeTransportRules: boolean): Promise<LiveTenant>
  /** `unit` is `--batch`, rounded up to whole Graph batches (scanUnitSize); `concurrency` units run at once. */
  readMailboxes(
    tenant: LiveTenant,
    options: {
      unit: number
      concurrency: number
      includeInboxRules: boolean
      /** Which mailboxes get Get-InboxRule -IncludeHidden (hidden-sweep.ts); default all. */
      sweep?: (upn: string) => boolean
    }
  ): AsyncIterable<LiveMailboxEntry>
  /** Graph transitiveMemberOf of these mailboxes (group-scoped outbound spam rules). */
  readGroupMembership(
    upns: string[]
  ): Promise<{ memberOf: Map<string, RawDirectoryObject[]>; warnings: string[] }>
  sourcesRead(): string[]
}

/** Without transport rules no organization-level path is read (forwarding-paths.ts). */
const NOTHING_READ: ForwardingPaths = {}

/** A reader over the two admin APIs. */
export function liveReader({ tenantId, exchange, graph, now }: LiveReaderOptions): LiveReader {
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
        paths,
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
        includeTransportRules
          ? readForwardingPaths(exchange, warnings, (cmdlet) => read.add(cmdlet))
          : NOTHING_READ,
      ])
      // Groups that scope an outbound spam policy, so their object ids are known (§2.4).
      const groups = await lookUpGroups(exchange, policyGroupIdentities(policyRules ?? []))
      return {
        data: {
          tenant: { id: tenantId },
          capturedAt: new Date(now()).toISOString(),
          acceptedDomains: acceptedDomains as RawTenantData['acceptedDomains'],
          recipients: [...(contacts as RawRecipient[]), ...groups],
          ...(transportRules
            ? { transportRules: transportRules as RawTenantData['transportRules'] }
            : {}),
          ...(paths.journalRules
            ? { journalRules: paths.journalRules as RawTenantData['journalRules'] }
            : {}),
          ...(paths.outboundConnectors
            ? {
                outboundConnectors: paths.outboundConnectors as RawTenantData['outboundConnectors'],
              }
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

    async *readMailboxes(tenant, { unit, concurrency, includeInboxRules, sweep = () => true }) {
      const known = directoryKeys(
        tenant.mailboxes.map((m) => m.row),
        many(tenant.data.recipients)
      )
      const checkGraphAccess = graphAccessCheck(tenant.mailboxes.length)
      const units = chunks(tenant.mailboxes, scanUnitSize(unit))
      for await (const entries of pooled(units, concurrency, (slots) =>
        readUnit(slots, includeInboxRules, known, checkGraphAccess, sweep)
      )) {
        yield* entries
      }
    },

    async readGroupMembership(upns) {
      const result = await readMemberOf(graph, upns)
      read.add('transitiveMemberOf')
      return result
    },

    sourcesRead: () => [...read],
  }

  async function listedMailboxes(upns: string[]) {
    const rows: Record<string, unknown>[] = []
    const missing: string[] = []
    for (const batch of chunks(upns, EXCHANGE_BATCH_LIMIT)) {
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
    known: Set<string>,
    checkGraphAccess: (results: ItemResult<unknown>[]) => void,
    sweep: (upn: string) => boolean
  ): Promise<LiveMailboxEntry[]> {
    const upns = slots.map((slot) => slot.row.UserPrincipalName)
    if (!includeInboxRules)
      return slots.map((slot) => ({ entry: { mailbox: slot.row }, recipients: [] }))
    const swept = upns.filter((upn) => sweep(upn.toLowerCase()))
    const [graphResults, sweptResults] = await Promise.all([
      inBatches(upns, GRAPH_BATCH_LIMIT, (batch) => graph.messageRules(batch)),
      inBatches(swept, EXCHANGE_BATCH_LIMIT, (batch) =>
        exchange.invokeBatch(
          batch.map((upn) => ({
            cmdlet: 'Get-InboxRule',
            parameters: { Mailbox: upn, IncludeHidden: true },
          }))
        )
      ),
    ])
    read.add('messageRules')
    if (swept.length > 0) read.add('Get-InboxRule')
    checkGraphAccess(graphResults)
    const byUpn = new Map(swept.map((upn, i) => [upn, sweptResults[i]!]))
    const entries = slots.map((slot, i) =>
      entryOf(slot.row, graphResults[i]!, byUpn.get(slot.row.UserPrincipalName))
    )
    const [recipients, folderWarnings] = await Promise.all([
      lookUpUnknownTargets(exchange, entries, known),
      // Only rules read from Graph alone need this (a mailbox not swept too); Get-InboxRule
      // names folders itself.
      nameRuleFolders(graph, entries),
    ])
    // The unit's lookups travel with its first mailbox: the resolver learns them once.
    return entries.map((entry, i) => ({
      entry,
      recipients: i === 0 ? recipients : [],
      ...(folderWarnings[i]?.length ? { warnings: folderWarnings[i] } : {}),
    }))
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

/** Why a service could not read a mailbox, as a skip code and the service's own words. */
function unreadable(
  service: string,
  failure: { status: number; code: string; message: string }
): { code: SkipCode; reason: string } {
  return {
    code: skipCodeFor(failure.code, failure.status),
    reason: `${service} ${failure.code}: ${failure.message}`,
  }
}

/** A mailbox's entry: its rules from both views (Graph's only when not swept), or why it could not be read. */
function entryOf(
  row: RawMailbox,
  graph: ItemResult<Record<string, unknown>[]>,
  exchange: ItemResult<Record<string, unknown>[]> | undefined
): SnapshotMailboxEntry {
  if (exchange && !exchange.ok)
    return { mailbox: row, unreadable: unreadable('Exchange Online', exchange) }
  if (!graph.ok) return { mailbox: row, unreadable: unreadable('Microsoft Graph', graph) }
  return {
    mailbox: row,
    ...(exchange
      ? { exchangeInboxRules: exchange.value as SnapshotMailboxEntry['exchangeInboxRules'] }
      : {}),
    graphInboxRules: graph.value as SnapshotMailboxEntry['graphInboxRules'],
  }
}
