/**
 * @module sources/live/forwarding-paths
 * The organization-level forwarding paths besides transport rules, read with them: journal
 * rules, and the outbound connectors a transport rule can route mail through
 * (docs/microsoft-apis.md §5.10, 5.11), in one admin `$batch`. Like
 * the tenant controls they must not stop an audit when the app's role lacks them: what could
 * not be read is named in the summary, and the audit goes on without it.
 */
import { AuditError } from '../../errors/errors.ts'
import type { ExchangeAdmin, ItemResult } from '../../m365/types.ts'

type Row = Record<string, unknown>

interface Call {
  cmdlet: string
  parameters: Record<string, unknown>
  /** How the summary names this call when it fails. */
  label: string
}

/**
 * Get-OutboundConnector filters on test mode and on transport-rule scope, and its page calls
 * `$false` the default of both: read literally, a plain call omits the connectors only a
 * transport rule uses, the ones that matter here. Whether it does is unconfirmed, so every
 * combination is asked for and the answers merged by Guid (§5.10).
 */
export const CONNECTOR_QUERIES: Record<string, unknown>[] = [
  {},
  { IsTransportRuleScoped: true },
  { IncludeTestModeConnectors: true },
  { IncludeTestModeConnectors: true, IsTransportRuleScoped: true },
]

/** Raw journal rules and outbound connectors; a data set that could not be read is absent. */
export interface ForwardingPaths {
  journalRules?: Row[]
  outboundConnectors?: Row[]
}

/** Read the paths; failures become `warnings`, successes are reported to `read`. */
export async function readForwardingPaths(
  exchange: ExchangeAdmin,
  warnings: string[],
  read: (cmdlet: string) => void
): Promise<ForwardingPaths> {
  const calls: Call[] = [
    { cmdlet: 'Get-JournalRule', parameters: {}, label: 'Get-JournalRule' },
    ...CONNECTOR_QUERIES.map((parameters) => ({
      cmdlet: 'Get-OutboundConnector',
      parameters,
      label: connectorLabel(parameters),
    })),
  ]
  const results = await run(exchange, calls)
  const journal = results[0]
  const connectors = results.slice(1)
  calls.forEach((call, i) => {
    const result = results[i] as ItemResult<Row[]>
    if (result.ok) read(call.cmdlet)
    else warnings.push(`${call.label} not read: ${result.message}`)
  })
  const readConnectors = connectors.filter((r): r is { ok: true; value: Row[] } => r.ok)
  return {
    ...(journal?.ok ? { journalRules: journal.value } : {}),
    ...(readConnectors.length > 0
      ? { outboundConnectors: mergeByGuid(readConnectors.flatMap((r) => r.value)) }
      : {}),
  }
}

/**
 * One `$batch` when there are several calls. A refused item refuses the whole batch
 * (exchange-admin.ts), so then each call is made on its own and judged on its own.
 */
async function run(exchange: ExchangeAdmin, calls: Call[]): Promise<ItemResult<Row[]>[]> {
  if (calls.length > 1) {
    try {
      return await exchange.invokeBatch(calls)
    } catch (error) {
      if (!(error instanceof AuditError && error.code === 'PERMISSION_DENIED')) throw error
    }
  }
  return Promise.all(calls.map((call) => one(exchange, call)))
}

async function one(exchange: ExchangeAdmin, call: Call): Promise<ItemResult<Row[]>> {
  try {
    return { ok: true, value: await exchange.invoke(call.cmdlet, call.parameters) }
  } catch (error) {
    // A missing role (403) or a cmdlet Exchange refused (400): context lost, not the audit.
    if (
      !(error instanceof AuditError) ||
      !['PERMISSION_DENIED', 'SOURCE_UNAVAILABLE'].includes(error.code)
    ) {
      throw error
    }
    return { ok: false, status: 0, code: error.code, message: error.message }
  }
}

function connectorLabel(parameters: Record<string, unknown>): string {
  const switches = Object.entries(parameters).map(([name, value]) => ` -${name} $${value}`)
  return `Get-OutboundConnector${switches.join('')}`
}

/** The four queries overlap however the filters really work: one row per connector. */
function mergeByGuid(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>()
  for (const row of rows) {
    const key = [row.Guid, row.Identity, row.Name].find((v) => typeof v === 'string' && v !== '')
    const id = typeof key === 'string' ? key.toLowerCase() : JSON.stringify(row)
    if (!byKey.has(id)) byKey.set(id, row)
  }
  return [...byKey.values()]
}
