/**
 * @module test/simulator/exchange-audit-cmdlets
 * The audit cmdlets an auditor calls through InvokeCommand (docs/microsoft-apis.md 6.3, 6.4):
 * Search-UnifiedAuditLog with its session paging (`SessionId` + `SessionCommand ReturnLargeSet`:
 * up to 5,000 rows a call, 50,000 a session, unsorted, some rows twice; without a session at
 * most 100 rows), and Get-AdminAuditLogConfig, Get-OrganizationConfig and
 * Get-MailboxAuditBypassAssociation, answered from the snapshot or with the service defaults.
 */
import { asSearchRow, type Classic, searchRecords } from './audit-records.ts'
import type { Cmdlet, Row } from './exchange-cmdlets.ts'
import type { CmdletFailure } from './exchange-errors.ts'
import type { TenantView } from './tenant.ts'

interface Session {
  rows: Row[]
  offset: number
  /** The last call's answer, replayed when the client follows a nextLink of it. */
  last: Row[]
}

const sessions = new WeakMap<TenantView, Map<string, Session>>()

const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

function dateParam(name: string, value: unknown): number | CmdletFailure {
  const text = typeof value === 'string' ? value : ''
  // A date without a zone is UTC; a date without a time is midnight (6.3).
  const parsed = Date.parse(
    /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`
  )
  if (Number.isNaN(parsed)) {
    return {
      type: 'Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException',
      message: `Cannot process argument transformation on parameter '${name}'. Cannot convert value "${text}" to type "Microsoft.Exchange.ExchangeSystem.ExDateTime".`,
      withDetails: false,
    }
  }
  return parsed
}

/** Rows in "unsorted" ReturnLargeSet order, with every fifth record returned twice. */
function resultSet(records: Classic[], duplicates: boolean): Row[] {
  const picked: Classic[] = []
  records.forEach((record, i) => {
    picked.push(record)
    if (duplicates && i % 5 === 0) picked.push(record)
  })
  // Unsorted, but deterministic: by record Id.
  picked.sort((a, b) => String(a.Id).localeCompare(String(b.Id)))
  return picked.map((record, i) => asSearchRow(record, i + 1, picked.length))
}

const searchUnifiedAuditLog: Cmdlet = {
  name: 'Search-UnifiedAuditLog',
  params: [
    'StartDate',
    'EndDate',
    'Operations',
    'RecordType',
    'UserIds',
    'ObjectIds',
    'IPAddresses',
    'FreeText',
    'Formatted',
    'SessionId',
    'SessionCommand',
  ],
  resultSize: true,
  run: (tenant, p, call) => {
    const start = dateParam('StartDate', p.StartDate)
    const end = dateParam('EndDate', p.EndDate)
    if (typeof start !== 'number') return start
    if (typeof end !== 'number') return end
    const size = Math.min(Number(p.ResultSize ?? 100) || 100, 5000)
    const records = () =>
      searchRecords(tenant, {
        start,
        end,
        operations: many(p.Operations as string | string[]).map(String),
      })
    const duplicates = call.auditLog.duplicates !== false
    if (p.SessionId === undefined || p.SessionCommand === undefined) {
      return resultSet(records(), duplicates).slice(0, Math.min(size, 100))
    }
    let bySession = sessions.get(tenant)
    if (!bySession) {
      bySession = new Map()
      sessions.set(tenant, bySession)
    }
    const id = String(p.SessionId)
    let session = bySession.get(id)
    if (!session) {
      session = {
        rows: resultSet(records(), duplicates).slice(0, 50_000),
        offset: 0,
        last: [],
      }
      bySession.set(id, session)
    }
    // A nextLink of the previous call replays it; a new call advances the session.
    if (call.offset > 0) return session.last
    session.last = session.rows.slice(session.offset, session.offset + size)
    session.offset += session.last.length
    return session.last
  },
}

const firstRow = (value: unknown): Row | undefined => many(value as Row | Row[])[0]

const AUDIT_SETTINGS: Cmdlet[] = [
  {
    name: 'Get-AdminAuditLogConfig',
    params: ['Identity'],
    resultSize: false,
    run: (tenant) => [
      {
        Name: 'Admin Audit Log Settings',
        Identity: 'Admin Audit Log Settings',
        AdminAuditLogEnabled: true,
        UnifiedAuditLogIngestionEnabled: true,
        UnifiedAuditLogFirstOptInDate: '2021-03-02T10:14:53.0000000Z',
        ...firstRow(tenant.snapshot.adminAuditLogConfig),
      },
    ],
  },
  {
    name: 'Get-OrganizationConfig',
    params: ['Identity'],
    resultSize: false,
    run: (tenant) => [
      {
        Name: tenant.initialDomain.split('.')[0],
        Identity: tenant.initialDomain,
        AuditDisabled: false,
        ...firstRow(tenant.snapshot.organizationConfig),
      },
    ],
  },
  {
    name: 'Get-MailboxAuditBypassAssociation',
    params: ['Identity'],
    resultSize: true,
    run: (tenant) => {
      const bypassed = new Set(
        many(tenant.snapshot.mailboxAuditBypass)
          .filter((row) => row.AuditBypassEnabled === true)
          .map((row) => String(row.Name ?? row.Identity).toLowerCase())
      )
      // One row per recipient, bypassed or not, as the cmdlet lists them.
      const rows: Row[] = tenant.mailboxes.map((m) => {
        const name = String(m.row.Name ?? m.row.Alias)
        return {
          Name: name,
          Identity: name,
          AuditBypassEnabled: bypassed.delete(name.toLowerCase()),
        }
      })
      for (const name of bypassed)
        rows.push({ Name: name, Identity: name, AuditBypassEnabled: true })
      return rows
    },
  },
]

/** The audit cmdlets, for exchange-cmdlets.ts to register. */
export const AUDIT_CMDLETS: Cmdlet[] = [searchUnifiedAuditLog, ...AUDIT_SETTINGS]
