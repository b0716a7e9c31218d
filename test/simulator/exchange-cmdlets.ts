/**
 * @module test/simulator/exchange-cmdlets
 * The read-only cmdlets an auditor calls through InvokeCommand, answered from the snapshot.
 * Parameter names are case-insensitive like PowerShell's; an unknown one fails the way the
 * REST layer does ("Parameter set cannot be resolved", docs/microsoft-apis.md §5.4).
 */
import type { AuditLogOptions } from './audit-records.ts'
import { AUDIT_CMDLETS } from './exchange-audit-cmdlets.ts'
import type { CmdletFailure } from './exchange-errors.ts'
import { guidFrom } from './ids.ts'
import type { TenantView } from './tenant.ts'

export type Row = Record<string, unknown>
type Params = Record<string, unknown>

export interface Cmdlet {
  name: string
  /** Accepted parameters besides the common ones. */
  params: string[]
  /** Whether the cmdlet has -ResultSize (default 1000 rows when absent). */
  resultSize: boolean
  run(tenant: TenantView, params: Params, call: CmdletCall): Row[] | CmdletFailure
}

/** What a cmdlet may need about the call: the row offset a nextLink resumes at, the log's options. */
export interface CmdletCall {
  offset: number
  auditLog: AuditLogOptions
}

const COMMON = ['ErrorAction', 'WarningAction', 'Verbose', 'Debug']
const SERVER = 'CY4PR01A001DC001.NAMPR01A001.PROD.OUTLOOK.COM'

/** `Ex6F9304|...ManagementObjectNotFoundException|...` (Microsoft365DSC#4401, 5.4). */
export const notFound = (identity: string): CmdletFailure => ({
  code: 'Ex6F9304',
  type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
  message: `The operation couldn't be performed because object '${identity}' couldn't be found on '${SERVER}'.`,
})

const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

const same = (a: unknown, b: string): boolean =>
  typeof a === 'string' &&
  a.replace(/^smtp:/i, '').toLowerCase() === b.replace(/^smtp:/i, '').toLowerCase()

/** Rows whose Identity, Name, Guid or DomainName equals `identity` (Get-X -Identity). */
function byIdentity(
  rows: Row[],
  identity: unknown,
  keys = ['Identity', 'Name', 'Guid']
): Row[] | CmdletFailure {
  if (identity === undefined) return rows
  const wanted = String(identity)
  const hits = rows.filter((row) => keys.some((key) => same(row[key], wanted)))
  return hits.length ? hits : notFound(wanted)
}

function byTypeDetails(rows: Row[], wanted: unknown): Row[] {
  if (wanted === undefined) return rows
  const types = many(wanted as string | string[]).map((t) => String(t).toLowerCase())
  return rows.filter((row) => types.includes(String(row.RecipientTypeDetails).toLowerCase()))
}

const isOn = (value: unknown): boolean => value === true || String(value).toLowerCase() === 'true'

const DEFAULT_OUTBOUND_POLICY: Row = {
  Name: 'Default',
  Identity: 'Default',
  IsDefault: true,
  Enabled: false,
  ConfigurationType: 'HostedOutboundSpamFilterPolicy',
  AutoForwardingMode: 'Automatic',
}
const DEFAULT_REMOTE_DOMAIN: Row = {
  Name: 'Default',
  Identity: 'Default',
  DomainName: '*',
  IsInternal: false,
  AllowedOOFType: 'External',
  AutoReplyEnabled: true,
  AutoForwardEnabled: true,
}

const rowsOf = (value: unknown): Row[] => many(value as Row | Row[])

const CMDLETS: Cmdlet[] = [
  {
    name: 'Get-Mailbox',
    params: ['Identity', 'ResultSize', 'RecipientTypeDetails'],
    resultSize: true,
    run: (tenant, p) => {
      // Rows are shared, never mutated: $select and annotations build new objects per page.
      if (p.Identity === undefined) {
        return byTypeDetails(
          tenant.mailboxes.map((m) => m.row),
          p.RecipientTypeDetails
        )
      }
      const mailbox = tenant.findMailbox(String(p.Identity))
      return mailbox ? [mailbox.row] : notFound(String(p.Identity))
    },
  },
  {
    name: 'Get-InboxRule',
    params: [
      'Mailbox',
      'IncludeHidden',
      'Identity',
      'BypassScopeCheck',
      'DescriptionTimeFormat',
      'DescriptionTimeZone',
      'SweepRules',
    ],
    resultSize: false,
    run: (tenant, p) => {
      if (p.Mailbox === undefined) {
        return {
          type: 'Microsoft.Exchange.Configuration.Tasks.TaskArgumentException',
          message: 'The Mailbox parameter is required when the cmdlet runs as an application.',
        }
      }
      const mailbox = tenant.findMailbox(String(p.Mailbox))
      // An unreadable snapshot mailbox answers like one Exchange cannot find.
      if (!mailbox || mailbox.unreadable) return notFound(String(p.Mailbox))
      const rules = mailbox.exchangeRules
        .filter((rule) => !rule.hidden || isOn(p.IncludeHidden))
        .map((rule) => ({ ...rule.row }))
      if (p.Identity === undefined) return rules
      const wanted = String(p.Identity).split('\\').pop() ?? ''
      const hits = rules.filter(
        (r) =>
          same(r.Name, wanted) || String((r.RuleIdentity as { digits?: string }).digits) === wanted
      )
      return hits.length ? hits : notFound(String(p.Identity))
    },
  },
  {
    name: 'Get-TransportRule',
    params: ['Identity', 'ResultSize', 'State', 'DlpPolicy'],
    resultSize: true,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.transportRules)
        .map((r): Row => ({ Identity: r.Name, Guid: guidFrom(`transport:${r.Name}`), ...r }))
        .sort((a, b) => Number(a.Priority ?? 0) - Number(b.Priority ?? 0))
      const state =
        p.State === undefined ? rows : rows.filter((r) => same(r.State, String(p.State)))
      return byIdentity(state, p.Identity)
    },
  },
  {
    name: 'Get-JournalRule',
    params: ['Identity'],
    resultSize: false,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.journalRules).map(
        (r): Row => ({ Identity: r.Name, Guid: guidFrom(`journal:${r.Name}`), ...r })
      )
      // An unknown (or null) -Identity returns every rule, as the cmdlet page warns (5.11).
      if (p.Identity === undefined || p.Identity === null) return rows
      const hits = rows.filter((row) =>
        ['Identity', 'Name', 'Guid'].some((k) => same(row[k], String(p.Identity)))
      )
      return hits.length ? hits : rows
    },
  },
  {
    name: 'Get-OutboundConnector',
    params: ['Identity', 'IncludeTestModeConnectors', 'IsTransportRuleScoped', 'ResultSize'],
    resultSize: true,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.outboundConnectors).map(
        (r): Row => ({
          Identity: r.Name,
          Guid: guidFrom(`connector:${r.Name}`),
          Enabled: true,
          ConnectorType: 'Partner',
          ConnectorSource: 'Default',
          UseMXRecord: true,
          SmartHosts: [],
          RecipientDomains: [],
          IsTransportRuleScoped: false,
          TestMode: false,
          ...r,
        })
      )
      // The page's literal reading (5.10): each filter defaults to $false, which returns only
      // the connectors that are not in test mode / not scoped to transport rules.
      const filtered = rows.filter(
        (r) =>
          isOn(r.TestMode) === isOn(p.IncludeTestModeConnectors) &&
          isOn(r.IsTransportRuleScoped) === isOn(p.IsTransportRuleScoped)
      )
      return byIdentity(filtered, p.Identity)
    },
  },
  {
    name: 'Get-AcceptedDomain',
    params: ['Identity', 'ResultSize'],
    resultSize: true,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.acceptedDomains).map((d) => ({
        Name: d.DomainName,
        Identity: d.DomainName,
        Default: false,
        ...d,
      }))
      return byIdentity(rows, p.Identity, ['Identity', 'Name', 'DomainName'])
    },
  },
  {
    name: 'Get-HostedOutboundSpamFilterPolicy',
    params: ['Identity'],
    resultSize: false,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.outboundSpamPolicies).map((r) => ({
        Identity: r.Name,
        ...r,
      }))
      return byIdentity(rows.length ? rows : [{ ...DEFAULT_OUTBOUND_POLICY }], p.Identity)
    },
  },
  {
    name: 'Get-HostedOutboundSpamFilterRule',
    params: ['Identity', 'State'],
    resultSize: false,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.outboundSpamRules).map((r) => ({
        Identity: r.Name,
        ...r,
      }))
      return byIdentity(rows, p.Identity)
    },
  },
  {
    name: 'Get-RemoteDomain',
    params: ['Identity', 'ResultSize'],
    resultSize: true,
    run: (tenant, p) => {
      const rows = rowsOf(tenant.snapshot.remoteDomains).map((r) => ({
        Name: r.DomainName,
        Identity: r.Name ?? r.DomainName,
        ...r,
      }))
      return byIdentity(rows.length ? rows : [{ ...DEFAULT_REMOTE_DOMAIN }], p.Identity, [
        'Identity',
        'Name',
        'DomainName',
      ])
    },
  },
  {
    name: 'Get-Recipient',
    params: ['Identity', 'ResultSize', 'RecipientTypeDetails'],
    resultSize: true,
    run: (tenant, p) => {
      if (p.Identity === undefined)
        return byTypeDetails(tenant.allRecipients(), p.RecipientTypeDetails)
      const hit = tenant.findRecipient(String(p.Identity))
      const rows = hit ? byTypeDetails([hit], p.RecipientTypeDetails) : []
      return rows.length ? rows : notFound(String(p.Identity))
    },
  },
  ...AUDIT_CMDLETS,
]

const BY_NAME = new Map(CMDLETS.map((cmdlet) => [cmdlet.name.toLowerCase(), cmdlet]))

export const findCmdlet = (name: string): Cmdlet | undefined => BY_NAME.get(name.toLowerCase())

/**
 * Maps parameter names to the cmdlet's spelling and checks the values PowerShell would coerce;
 * returns the failure the REST layer reports otherwise.
 */
export function bindParameters(cmdlet: Cmdlet, given: Params): Params | CmdletFailure {
  const accepted = new Map(
    [...cmdlet.params, ...COMMON, ...(cmdlet.resultSize ? ['ResultSize'] : [])].map((p) => [
      p.toLowerCase(),
      p,
    ])
  )
  const bound: Params = {}
  for (const [name, value] of Object.entries(given)) {
    const canonical = accepted.get(name.toLowerCase())
    if (!canonical) {
      const message = `Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. ${name}`
      return {
        type: 'Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException',
        message,
      }
    }
    bound[canonical] = value
  }
  if (bound.IncludeHidden !== undefined && typeof bound.IncludeHidden !== 'boolean') {
    if (!/^(true|false)$/i.test(String(bound.IncludeHidden))) {
      return transformFailure(
        'IncludeHidden',
        bound.IncludeHidden,
        'System.Management.Automation.SwitchParameter'
      )
    }
  }
  if (bound.ResultSize !== undefined && resultSizeOf(bound.ResultSize) === undefined) {
    return transformFailure(
      'ResultSize',
      bound.ResultSize,
      'Microsoft.Exchange.Data.Unlimited`1[System.UInt32]'
    )
  }
  return bound
}

/** `Unlimited` → Infinity; a positive integer (number or string) → itself; else undefined. */
export function resultSizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' && value.toLowerCase() === 'unlimited')
    return Number.POSITIVE_INFINITY
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : undefined
}

function transformFailure(parameter: string, value: unknown, type: string): CmdletFailure {
  return {
    type: 'Microsoft.Exchange.AdminApi.CommandInvocation.ParameterTransformationException',
    message: `Cannot process argument transformation on parameter '${parameter}'. Cannot convert value "${String(value)}" to type "${type}".`,
    withDetails: false,
  }
}

export const isFailure = (value: unknown): value is CmdletFailure =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  'type' in value &&
  'message' in value
