/**
 * @module test/core/tenant-builder
 * Builds offline tenant snapshots for the core tests. Every row is the raw shape Microsoft
 * returns (Get-Mailbox, Get-InboxRule -IncludeHidden, Graph messageRule, Get-TransportRule,
 * Get-Recipient, unified audit log AuditData), so the tests drive the same normalizers a
 * real export does. Identities are derived from the UPN, so a test can name them.
 */
import type { AuditDependencies } from '../../core/audit/run-audit.ts'
import { type AuditReport, type Finding, runAudit, snapshotSource } from '../../core/index.ts'

/** A raw cmdlet or Graph row. */
export type Row = Record<string, unknown>

export interface SnapshotMailboxEntry {
  mailbox: Row
  exchangeInboxRules?: Row[] | Row
  graphInboxRules?: Row[] | Row
  mailFolders?: Row[] | Row
  unreadable?: { code: string; reason: string }
  memberOf?: Row[]
}

export interface SnapshotDocument {
  format: string
  version: number
  tenant: { id: string; name?: string }
  capturedAt?: string
  acceptedDomains: Row[] | Row
  mailboxes: SnapshotMailboxEntry[]
  recipients?: Row[]
  transportRules?: Row[] | Row
  /** Read by default (an empty list): a snapshot without them is incomplete. */
  journalRules?: Row[] | Row | null
  outboundConnectors?: Row[] | Row
  auditRecords?: Row[]
  [key: string]: unknown
}

export const TENANT_ID = '4f8e2a61-3b9c-4d7e-a512-8c0d6e9f1b23'
export const CAPTURED_AT = '2026-11-20T09:00:00Z'
/** The frozen clock: half an hour after the capture. */
export const NOW = new Date('2026-11-20T09:30:00Z')

const ORG =
  'EURPR05A003.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com'
const FIRST_RULE_IDENTITY = 9271031570951569409n

/** A stable 32-hex-digit value for a string, so ids follow from the UPN. */
function hex32(seed: string): string {
  let out = ''
  let h = 2166136261
  for (let round = 0; out.length < 32; round++) {
    for (const ch of `${round}:${seed}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0
    out += h.toString(16).padStart(8, '0')
  }
  return out.slice(0, 32)
}

const guidOf = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`

/** The mailbox alias Exchange derives from a UPN (`alex.wilber@contoso.com` → `alex.wilber`). */
export const aliasOf = (upn: string) => upn.slice(0, upn.indexOf('@')).toLowerCase()
/** The mailbox's Entra object id, which audit records use as its ObjectId. */
export const objectIdOf = (upn: string) => guidOf(hex32(`object:${upn.toLowerCase()}`))
/** The mailbox's Exchange legacy DN, which Get-InboxRule shows as `[EX:...]`. */
export const legacyDnOf = (upn: string) =>
  `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${hex32(`dn:${upn.toLowerCase()}`)}-${aliasOf(upn)}`
/** A group's Entra object id (Get-Recipient ExternalDirectoryObjectId, Graph `id`). */
export const groupIdOf = (name: string) => guidOf(hex32(`group:${name.toLowerCase()}`))

/** A group as Graph's transitiveMemberOf lists it; `limited` without the properties an app may not read. */
export function directoryGroup(name: string, limited = false): Row {
  const alias = name.replace(/\W/g, '').toLowerCase()
  const id = groupIdOf(name)
  if (limited) {
    return { '@odata.type': '#microsoft.graph.group', id, displayName: null, mail: null }
  }
  return {
    '@odata.type': '#microsoft.graph.group',
    id,
    deletedDateTime: null,
    createdDateTime: '2024-03-11T09:14:02Z',
    description: null,
    displayName: name,
    groupTypes: [],
    mail: `${alias}@contoso.com`,
    mailEnabled: true,
    mailNickname: alias,
    proxyAddresses: [`SMTP:${alias}@contoso.com`],
    securityEnabled: false,
    visibility: null,
  }
}

/** A Get-HostedOutboundSpamFilterRule row as the admin REST API returns it; unset lists are null. */
export function outboundSpamRule(fields: Row & { Name: string; Priority: number }): Row {
  return {
    'Priority@data.type': 'System.Int32',
    Identity: fields.Name,
    HostedOutboundSpamFilterPolicy: fields.Name,
    State: 'Enabled',
    Comments: null,
    Description: '',
    Conditions: null,
    Exceptions: null,
    From: null,
    FromMemberOf: null,
    SenderDomainIs: null,
    ExceptIfFrom: null,
    ExceptIfFromMemberOf: null,
    ExceptIfSenderDomainIs: null,
    RuleVersion: '15.0.5.2',
    Guid: guidOf(hex32(`outbound:${fields.Name}`)),
    IsValid: true,
    ObjectState: 'Unchanged',
    WhenChanged: '2025-02-24T13:18:52.0000000+00:00',
    ...fields,
  }
}

/** A Get-HostedOutboundSpamFilterPolicy row. */
export function outboundSpamPolicy(name: string, mode: 'Automatic' | 'On' | 'Off'): Row {
  return {
    Name: name,
    Identity: name,
    IsDefault: name === 'Default',
    ConfigurationType: 'HostedOutboundSpamFilterPolicy',
    Enabled: name !== 'Default',
    AutoForwardingMode: mode,
    RecipientLimitExternalPerHour: 0,
    RecipientLimitInternalPerHour: 0,
    RecipientLimitPerDay: 0,
    ActionWhenThresholdReached: 'BlockUserForToday',
  }
}

/** `"Name" [EX:/o=...]`, as Get-InboxRule writes an internal recipient. */
export const exTarget = (upn: string, name = aliasOf(upn)) => `"${name}" [EX:${legacyDnOf(upn)}]`
/** `"Name" [SMTP:x]`, as Get-InboxRule writes an external recipient. */
export const smtpTarget = (address: string, name = address) => `"${name}" [SMTP:${address}]`
/** A Graph recipient. */
export const graphRecipient = (address: string, name = address) => ({
  emailAddress: { name, address },
})

/** Audit log time: `days` before the capture, zone-less like `CreationTime`. */
export function daysBeforeCapture(days: number): string {
  return new Date(Date.parse(CAPTURED_AT) - days * 86_400_000).toISOString().slice(0, 19)
}

export class TenantBuilder {
  readonly snapshot: SnapshotDocument = {
    format: 'forwarding-audit/tenant-snapshot',
    version: 1,
    tenant: { id: TENANT_ID, name: 'contoso.onmicrosoft.com' },
    capturedAt: CAPTURED_AT,
    acceptedDomains: [acceptedDomain('contoso.com', 'Authoritative', true)],
    mailboxes: [],
    journalRules: [],
  }
  private nextRule = 0

  constructor() {
    this.acceptedDomain('contoso.onmicrosoft.com', 'Authoritative')
  }

  /** Add a Get-AcceptedDomain row. */
  acceptedDomain(name: string, type: string | number): this {
    this.domains().push(acceptedDomain(name, type, false))
    return this
  }

  /** Add a Get-Mailbox row; `fields` override the defaults (forwarding is off by default). */
  mailbox(upn: string, fields: Row = {}): this {
    const alias = aliasOf(upn)
    const domain = upn.slice(upn.indexOf('@') + 1)
    const guid = guidOf(hex32(`guid:${upn.toLowerCase()}`))
    this.snapshot.mailboxes.push({
      mailbox: {
        UserPrincipalName: upn,
        PrimarySmtpAddress: upn,
        DisplayName: alias,
        Alias: alias,
        Identity: alias,
        Name: alias,
        RecipientType: 'UserMailbox',
        RecipientTypeDetails: 'UserMailbox',
        HiddenFromAddressListsEnabled: false,
        'EmailAddresses@odata.type': '#Collection(String)',
        EmailAddresses: [
          `SMTP:${upn}`,
          `smtp:${alias}@${domain === 'contoso.com' ? 'contoso.onmicrosoft.com' : domain}`,
          `SIP:${upn}`,
        ],
        LegacyExchangeDN: legacyDnOf(upn),
        ExternalDirectoryObjectId: objectIdOf(upn),
        'Guid@data.type': 'System.Guid',
        Guid: guid,
        ExchangeObjectId: guid,
        ForwardingAddress: null,
        ForwardingSmtpAddress: null,
        DeliverToMailboxAndForward: false,
        WhenChanged: '2026-05-04T13:22:08.0000000+00:00',
        WhenChangedUTC: '2026-05-04T13:22:08.0000000Z',
        ...fields,
      },
    })
    return this
  }

  /** Add a Get-InboxRule -IncludeHidden row to a mailbox; Identity and RuleIdentity are filled in. */
  inboxRule(upn: string, rule: Row & { Name: string }): this {
    const entry = this.entry(upn)
    const identity = (FIRST_RULE_IDENTITY + BigInt(this.nextRule) * 4294967296n).toString()
    const list = asList(entry.exchangeInboxRules)
    list.push({
      Enabled: true,
      Identity: `${aliasOf(upn)}\\${identity}`,
      ErrorType: 'None',
      Priority: list.length,
      // JSON.parse rounds this 64-bit number, exactly as it does with the real REST output.
      RuleIdentity: Number(identity),
      SupportedByTask: true,
      MailboxOwnerId: aliasOf(upn),
      IsValid: true,
      ObjectState: 'Unchanged',
      ...rule,
    })
    entry.exchangeInboxRules = list
    this.nextRule++
    return this
  }

  /** Add a Graph messageRule to a mailbox (Graph was read for it). */
  graphRule(upn: string, rule: Row & { displayName: string }): this {
    const entry = this.entry(upn)
    const list = asList(entry.graphInboxRules)
    list.push({
      id: `AQAAAJ5dZ${String.fromCharCode(65 + list.length)}8=`,
      sequence: list.length + 1,
      isEnabled: true,
      hasError: false,
      isReadOnly: false,
      ...rule,
    })
    entry.graphInboxRules = list
    return this
  }

  /** Graph's mail folder list for a mailbox (`GET /users/{id}/mailFolders`). */
  mailFolders(upn: string, folders: Row[]): this {
    this.entry(upn).mailFolders = folders
    return this
  }

  /** Graph was read for this mailbox and returned no rules: every Exchange rule is hidden. */
  noGraphRules(upn: string): this {
    this.entry(upn).graphInboxRules = []
    return this
  }

  /**
   * Both views of every mailbox's rules, as a full export has them: Get-InboxRule (an empty
   * list where none was added) and Graph, which shows every Exchange rule by name (none hidden).
   */
  withBothViews(): this {
    for (const entry of this.snapshot.mailboxes) {
      const exchange = asList(entry.exchangeInboxRules)
      entry.exchangeInboxRules = exchange
      entry.graphInboxRules ??= exchange.map((rule, i) => ({
        id: `AQAAAJ5dZ${String.fromCharCode(65 + i)}8=`,
        displayName: rule.Name,
        sequence: i + 1,
        isEnabled: true,
      }))
    }
    return this
  }

  /** The exporter could not read this mailbox. */
  unreadable(upn: string, code: string, reason: string): this {
    this.mailbox(upn)
    this.entry(upn).unreadable = { code, reason }
    return this
  }

  /** Add a Get-TransportRule row. */
  transportRule(rule: Row & { Name: string }): this {
    const list = asList(this.snapshot.transportRules)
    list.push({
      'Priority@data.type': 'System.Int32',
      Priority: list.length,
      CreatedBy: 'Thomas Becker',
      LastModifiedBy: 'Thomas Becker',
      Description: '',
      Conditions: null,
      Exceptions: null,
      State: 'Enabled',
      Mode: 'Enforce',
      RuleErrorAction: 'Ignore',
      SenderAddressLocation: 'Header',
      FromScope: null,
      SentToScope: null,
      BlindCopyTo: null,
      CopyTo: null,
      RedirectMessageTo: null,
      AddToRecipients: null,
      RouteMessageOutboundConnector: null,
      DeleteMessage: false,
      Identity: rule.Name,
      Guid: guidOf(hex32(`rule:${rule.Name}`)),
      IsValid: true,
      WhenChanged: '2026-03-14T10:26:48.0000000+00:00',
      ...rule,
    })
    this.snapshot.transportRules = list
    return this
  }

  /** Add a Get-JournalRule row, as the REST API returns it (enums as names, dates ISO). */
  journalRule(rule: Row & { Name: string; JournalEmailAddress: unknown }): this {
    const list = asList(this.snapshot.journalRules ?? [])
    list.push({
      Identity: rule.Name,
      Guid: guidOf(hex32(`journal:${rule.Name}`)),
      Recipient: null,
      Scope: 'Global',
      Enabled: true,
      IsValid: true,
      ObjectState: 'Unchanged',
      WhenChanged: '2026-03-14T10:26:48.0000000+00:00',
      WhenChangedUTC: '2026-03-14T10:26:48.0000000Z',
      WhenCreated: '2026-03-14T10:26:48.0000000+00:00',
      WhenCreatedUTC: '2026-03-14T10:26:48.0000000Z',
      ...rule,
    })
    this.snapshot.journalRules = list
    return this
  }

  /** The snapshot was exported without Get-JournalRule. */
  noJournalRules(): this {
    delete this.snapshot.journalRules
    return this
  }

  /** Add a Get-OutboundConnector row, as the REST API returns it. */
  outboundConnector(connector: Row & { Name: string }): this {
    const list = asList(this.snapshot.outboundConnectors ?? [])
    list.push({
      Identity: connector.Name,
      Guid: guidOf(hex32(`connector:${connector.Name}`)),
      Enabled: true,
      ConnectorType: 'Partner',
      ConnectorSource: 'Default',
      Comment: null,
      RecipientDomains: [],
      SmartHosts: [],
      UseMXRecord: true,
      TlsSettings: null,
      TlsDomain: null,
      IsTransportRuleScoped: false,
      RouteAllMessagesViaOnPremises: false,
      CloudServicesMailEnabled: false,
      AllAcceptedDomains: false,
      TestMode: false,
      IsValid: true,
      WhenChanged: '2025-02-03T08:11:40.0000000+00:00',
      WhenChangedUTC: '2025-02-03T08:11:40.0000000Z',
      WhenCreated: '2025-02-03T08:11:40.0000000+00:00',
      WhenCreatedUTC: '2025-02-03T08:11:40.0000000Z',
      ...connector,
    })
    this.snapshot.outboundConnectors = list
    return this
  }

  /** Add a Get-Recipient row (mail contact, mail user, group). */
  recipient(row: Row): this {
    this.snapshot.recipients = [...(this.snapshot.recipients ?? []), row]
    return this
  }

  /** Add a mail contact whose mail leaves the tenant. */
  mailContact(name: string, externalAddress: string, fields: Row = {}): this {
    const alias = name.replace(/\W/g, '')
    return this.recipient({
      Identity: name,
      Name: name,
      Alias: alias,
      DisplayName: `${name} (external)`,
      PrimarySmtpAddress: externalAddress,
      ExternalEmailAddress: `SMTP:${externalAddress}`,
      LegacyExchangeDN: `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${hex32(name)}-${alias}`,
      RecipientType: 'MailContact',
      RecipientTypeDetails: 'MailContact',
      HiddenFromAddressListsEnabled: false,
      EmailAddresses: [`SMTP:${externalAddress}`],
      ...fields,
    })
  }

  /** Add a Get-Recipient row of a mail-enabled group, as FromMemberOf names it. */
  group(name: string, fields: Row = {}): this {
    const alias = name.replace(/\W/g, '').toLowerCase()
    return this.recipient({
      Identity: name,
      Name: name,
      Alias: alias,
      DisplayName: name,
      PrimarySmtpAddress: `${alias}@contoso.com`,
      ExternalEmailAddress: null,
      RecipientType: 'MailUniversalDistributionGroup',
      RecipientTypeDetails: 'MailUniversalDistributionGroup',
      HiddenFromAddressListsEnabled: false,
      'EmailAddresses@odata.type': '#Collection(String)',
      EmailAddresses: [`SMTP:${alias}@contoso.com`],
      ExternalDirectoryObjectId: groupIdOf(name),
      ...fields,
    })
  }

  /**
   * The mailbox's Graph transitiveMemberOf objects. `limited` is what an app with only
   * User.Read.All sees: the id and type of each group, every other property null.
   */
  memberOf(upn: string, groups: string[], options: { limited?: boolean } = {}): this {
    this.entry(upn).memberOf = groups.map((name) => directoryGroup(name, options.limited))
    return this
  }

  /** Add unified audit log records. */
  audit(...records: Row[]): this {
    this.snapshot.auditRecords = [...(this.snapshot.auditRecords ?? []), ...records]
    return this
  }

  /**
   * What the tenant logs: Get-AdminAuditLogConfig, Get-OrganizationConfig and
   * Get-MailboxAuditBypassAssociation rows, as a snapshot holds them.
   */
  auditing(settings: { ingestion?: boolean; auditDisabled?: boolean; bypass?: string[] }): this {
    const snapshot = this.snapshot as Record<string, unknown>
    if (settings.ingestion !== undefined)
      snapshot.adminAuditLogConfig = {
        Name: 'Admin Audit Log Settings',
        UnifiedAuditLogIngestionEnabled: settings.ingestion,
        AdminAuditLogEnabled: true,
      }
    if (settings.auditDisabled !== undefined)
      snapshot.organizationConfig = {
        Name: 'contoso.onmicrosoft.com',
        AuditDisabled: settings.auditDisabled,
      }
    if (settings.bypass !== undefined)
      snapshot.mailboxAuditBypass = settings.bypass.map((name) => ({
        Name: name,
        Identity: name,
        AuditBypassEnabled: true,
      }))
    return this
  }

  /** Tenant forwarding controls: outbound spam policies, their rules, remote domains. */
  controls(controls: { policies?: Row[]; rules?: Row[]; remoteDomains?: Row[] }): this {
    const snapshot = this.snapshot as Record<string, unknown>
    if (controls.policies) snapshot.outboundSpamPolicies = controls.policies
    if (controls.rules) snapshot.outboundSpamRules = controls.rules
    if (controls.remoteDomains) snapshot.remoteDomains = controls.remoteDomains
    return this
  }

  /** The snapshot document, as a JSON round trip (what a file would give). */
  build(): SnapshotDocument {
    return JSON.parse(JSON.stringify(this.snapshot)) as SnapshotDocument
  }

  private domains(): Row[] {
    const list = asList(this.snapshot.acceptedDomains)
    this.snapshot.acceptedDomains = list
    return list
  }

  private entry(upn: string): SnapshotMailboxEntry {
    const entry = this.snapshot.mailboxes.find(
      (e) => String(e.mailbox.UserPrincipalName).toLowerCase() === upn.toLowerCase()
    )
    if (!entry) throw new Error(`tenant-builder: add mailbox ${upn} first`)
    return entry
  }
}

/** A new tenant: contoso.com and contoso.onmicrosoft.com, captured at CAPTURED_AT. */
export function tenant(): TenantBuilder {
  return new TenantBuilder()
}

/** Run the audit over a snapshot with the frozen clock. */
export function audit(
  snapshot: SnapshotDocument | TenantBuilder,
  request: unknown = { all_users: true },
  dependencies: AuditDependencies = {}
): Promise<AuditReport> {
  const document = snapshot instanceof TenantBuilder ? snapshot.build() : snapshot
  return runAudit(request, snapshotSource(document), { now: () => NOW, ...dependencies })
}

/** The findings of an audit, suppressed ones included. */
export async function findingsOf(
  snapshot: SnapshotDocument | TenantBuilder,
  request?: unknown
): Promise<Finding[]> {
  return (await audit(snapshot, request)).data.findings
}

/** The one finding an audit makes; fails when there are none or several. */
export async function onlyFinding(
  snapshot: SnapshotDocument | TenantBuilder,
  request?: unknown
): Promise<Finding> {
  const findings = await findingsOf(snapshot, request)
  if (findings.length !== 1) {
    throw new Error(
      `expected one finding, got ${findings.length}: ${findings.map((f) => `${f.user} → ${f.destination}`).join('; ')}`
    )
  }
  return findings[0] as Finding
}

/** The categories of a finding's risk factors. */
export const categoriesOf = (finding: Finding) => finding.risk_factors.map((f) => f.category)

// ---- unified audit log records (classic AuditData shape, as the Management Activity API gives) ----

interface RecordBase {
  /** Zone-less UTC, like `CreationTime`. */
  time: string
  actor: string
  /** With a port, as ExchangeAdmin records carry it. */
  clientIp?: string
  id?: string
}

let recordCounter = 0
const recordId = () => guidOf(hex32(`record:${recordCounter++}`))
const nameValues = (values: Record<string, string>) =>
  Object.entries(values).map(([Name, Value]) => ({ Name, Value }))

function exchangeAdmin(operation: string, base: RecordBase, objectId: string, parameters: Row) {
  return {
    CreationTime: base.time,
    Id: base.id ?? recordId(),
    Operation: operation,
    OrganizationId: TENANT_ID,
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: '1003994C54AA6A2A',
    UserType: 2,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: base.clientIp ?? '198.51.100.23:53390',
    ObjectId: objectId,
    UserId: base.actor,
    AppId: '00000002-0000-0ff1-ce00-000000000000',
    ClientAppId: '',
    ExternalAccess: false,
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'AM8PR05MB7251 (15.20.8722.014)',
    Parameters: nameValues(parameters as Record<string, string>),
  }
}

/** Any ExchangeAdmin record (a cmdlet run): the classic AuditData shape. */
export function cmdletRecord(
  operation: string,
  base: RecordBase & { objectId: string; parameters?: Record<string, string>; userType?: number }
): Row {
  return {
    ...exchangeAdmin(operation, base, base.objectId, base.parameters ?? {}),
    ...(base.userType !== undefined ? { UserType: base.userType } : {}),
  }
}

/** New-InboxRule made in OWA: ObjectId `<org path>/<alias>\<rule name>`. */
export function newInboxRuleRecord(
  base: RecordBase & { mailbox: string; ruleName: string; parameters?: Record<string, string> }
): Row {
  return {
    ...exchangeAdmin('New-InboxRule', base, `${ORG}/${aliasOf(base.mailbox)}\\${base.ruleName}`, {
      AlwaysDeleteOutlookRulesBlob: 'False',
      Force: 'False',
      Name: base.ruleName,
      ...base.parameters,
    }),
    AppPoolName: 'MSExchangeOWAAppPool',
  }
}

/** Set-InboxRule: ObjectId `<mailbox object id>\<RuleIdentity>`; the parameters need not name it. */
export function setInboxRuleRecord(
  base: RecordBase & { mailbox: string; ruleIdentity: string; parameters?: Record<string, string> }
): Row {
  return exchangeAdmin('Set-InboxRule', base, `${objectIdOf(base.mailbox)}\\${base.ruleIdentity}`, {
    AlwaysDeleteOutlookRulesBlob: 'False',
    Force: 'False',
    ...base.parameters,
  })
}

/** Disable-InboxRule: ObjectId and Identity `<alias>\<RuleIdentity>`. */
export function disableInboxRuleRecord(
  base: RecordBase & { mailbox: string; ruleIdentity: string }
): Row {
  const identity = `${aliasOf(base.mailbox)}\\${base.ruleIdentity}`
  return exchangeAdmin('Disable-InboxRule', base, identity, {
    Identity: identity,
    Confirm: 'False',
    AlwaysDeleteOutlookRulesBlob: 'False',
  })
}

/** Set-Mailbox: Identity is the org path to the mailbox object id; ObjectId is the object id. */
export function setMailboxRecord(
  base: RecordBase & { mailbox: string; parameters: Record<string, string> }
): Row {
  return exchangeAdmin('Set-Mailbox', base, objectIdOf(base.mailbox), {
    Identity: `APCPR03A010.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/${objectIdOf(base.mailbox)}`,
    ...base.parameters,
  })
}

/** New-TransportRule: ObjectId is the rule name. */
export function newTransportRuleRecord(
  base: RecordBase & { ruleName: string; parameters?: Record<string, string> }
): Row {
  return exchangeAdmin('New-TransportRule', base, base.ruleName, {
    Name: base.ruleName,
    ...base.parameters,
  })
}

/** New-JournalRule: ObjectId is the rule name, as for transport rules. */
export function newJournalRuleRecord(
  base: RecordBase & { ruleName: string; parameters?: Record<string, string> }
): Row {
  return exchangeAdmin('New-JournalRule', base, base.ruleName, {
    Name: base.ruleName,
    ...base.parameters,
  })
}

/** UpdateInboxRules from Outlook (MAPI): a mailbox audit record, rule details in OperationProperties. */
export function updateInboxRulesRecord(
  base: RecordBase & { mailbox: string; ruleName?: string; ruleOperation?: string; ruleId?: string }
): Row {
  const body: Record<string, string> =
    base.ruleName === undefined
      ? { RuleOperation: base.ruleOperation ?? 'ModifyMailboxRule', RuleId: base.ruleId ?? '0' }
      : {
          RuleOperation: base.ruleOperation ?? 'AddMailboxRule',
          RuleId: base.ruleId ?? '0',
          RuleState: 'Enabled, ExitAfterExecution',
          RuleCondition: '{}',
          RuleName: base.ruleName,
          RuleProvider: 'RuleOrganizer',
          RuleActions: '[{"ActionType":"Forward"}]',
        }
  return {
    CreationTime: base.time,
    Id: base.id ?? recordId(),
    Operation: 'UpdateInboxRules',
    OrganizationId: TENANT_ID,
    RecordType: 2,
    ResultStatus: 'Succeeded',
    UserKey: '100378155E90360A',
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: base.clientIp ?? '198.51.100.23',
    UserId: base.actor,
    ClientIPAddress: base.clientIp ?? '198.51.100.23',
    ClientInfoString: 'Client=MSExchangeRPC',
    ExternalAccess: false,
    LogonType: 0,
    MailboxGuid: guidOf(hex32(`guid:${base.mailbox.toLowerCase()}`)),
    MailboxOwnerUPN: base.mailbox,
    OrganizationName: 'contoso.onmicrosoft.com',
    ObjectId: '',
    OperationProperties: nameValues(body),
    ParentFolder: { Name: 'Inbox', Path: '\\Inbox' },
  }
}

function acceptedDomain(name: string, type: string | number, isDefault: boolean): Row {
  return {
    Name: name,
    Identity: name,
    DomainName: name,
    DomainType: type,
    Default: isDefault,
    InitialDomain: name.endsWith('.onmicrosoft.com'),
    MatchSubDomains: false,
    AuthenticationType: 'Managed',
  }
}

function asList(value: Row[] | Row | undefined | null): Row[] {
  if (value === undefined || value === null) return []
  return Array.isArray(value) ? value : [value]
}
