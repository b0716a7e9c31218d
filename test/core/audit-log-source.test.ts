/**
 * `forwarding-audit events`: an audit-log export read in every wrapper, replayed into tenant
 * facts and judged by the same engine as a live audit. What the log cannot show (conditions of
 * a rule made before it, the tenant's accepted domains) stays unknown or is said to be inferred.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type AuditReport,
  auditLogSource,
  isAuditError,
  parseAuditExport,
  runAudit,
} from '../../core/index.ts'
import { stripPort } from '../../core/normalize/audit-record.ts'

const ORG = 'contoso.onmicrosoft.com'
const PATH = `EURPR05A003.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/${ORG}`
let counter = 0

/** An ExchangeAdmin record as the Management Activity API and Search-UnifiedAuditLog give it. */
function adminRecord(
  operation: string,
  time: string,
  objectId: string,
  parameters: Record<string, string>,
  extra: Record<string, unknown> = {}
): Record<string, unknown> {
  counter++
  return {
    CreationTime: time,
    Id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    Operation: operation,
    OrganizationId: '4f8e2a61-3b9c-4d7e-a512-8c0d6e9f1b23',
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: '1003994C54AA6A2A',
    UserType: 2,
    Workload: 'Exchange',
    ClientIP: '198.51.100.23:53390',
    ObjectId: objectId,
    UserId: 'alex.wilber@contoso.com',
    OrganizationName: ORG,
    Parameters: Object.entries(parameters).map(([Name, Value]) => ({ Name, Value })),
    ...extra,
  }
}

const setMailbox = (time: string, parameters: Record<string, string>) =>
  adminRecord('Set-Mailbox', time, 'b3a1f0c2-9d8e-4f7a-8b6c-5d4e3f2a1b0c', {
    Identity: `${PATH}/b3a1f0c2-9d8e-4f7a-8b6c-5d4e3f2a1b0c`,
    ...parameters,
  })

async function events(
  records: Record<string, unknown>[],
  request: Record<string, unknown> = {}
): Promise<AuditReport> {
  return runAudit(
    { all_users: true, include_transport_rules: true, ...request },
    auditLogSource({ format: 'json', records }, { name: 'audit.json' }),
    { now: () => new Date('2026-11-30T12:00:00Z') }
  )
}

const categories = (report: AuditReport, index = 0) =>
  report.data.findings[index]?.risk_factors.map((f) => f.category) ?? []

describe('parseAuditExport', () => {
  const record = { CreationTime: '2026-11-02T10:00:00', Id: 'r1', Operation: 'Set-Mailbox' }

  it('reads a Search-UnifiedAuditLog CSV: AuditData a JSON string with doubled quotes, US dates', () => {
    const csv = [
      '"RecordType","CreationDate","UserIds","Operations","AuditData","ResultIndex"',
      `"ExchangeAdmin","11/2/2026 10:00:00 AM","a@contoso.com","Set-Mailbox","${JSON.stringify(record).replaceAll('"', '""')}","1"`,
      '',
    ].join('\r\n')
    const exported = parseAuditExport(new TextEncoder().encode(csv), 'audit.csv')
    expect(exported.format).toBe('csv')
    expect(exported.records).toEqual([
      expect.objectContaining({ Operations: 'Set-Mailbox', AuditData: JSON.stringify(record) }),
    ])
  })

  it('reads a CSV cell holding a line break, as multi-line AuditData can', () => {
    const data = JSON.stringify({ ...record, OriginatingServer: 'AM8PR05 (15.20)\r\n' })
    const csv = `"Operations","AuditData"\n"Set-Mailbox","${data.replaceAll('"', '""').replace('\\r\\n', '\r\n')}"\n`
    expect(parseAuditExport(csv).records).toHaveLength(1)
  })

  it('reads ConvertTo-Json output: UTF-8 with a BOM, CRLF, one bare object or an array', () => {
    const text = `\uFEFF${JSON.stringify([{ AuditData: record }], null, 4).replaceAll('\n', '\r\n')}`
    expect(parseAuditExport(new TextEncoder().encode(text)).records).toHaveLength(1)
    expect(parseAuditExport(JSON.stringify(record)).records).toEqual([record])
  })

  it('reads UTF-16 LE with a BOM, as Windows PowerShell 5 writes it', () => {
    const text = `\uFEFF${JSON.stringify([record])}`
    const bytes = new Uint8Array(text.length * 2)
    for (let i = 0; i < text.length; i++) {
      bytes[i * 2] = text.charCodeAt(i) & 0xff
      bytes[i * 2 + 1] = text.charCodeAt(i) >> 8
    }
    expect(parseAuditExport(bytes).records).toEqual([record])
  })

  it('reads JSON lines and a Graph auditLogRecord page', () => {
    const lines = `${JSON.stringify(record)}\n${JSON.stringify({ ...record, Id: 'r2' })}\n`
    expect(parseAuditExport(lines).format).toBe('json-lines')
    expect(parseAuditExport(lines).records).toHaveLength(2)
    const page = { '@odata.context': 'x', value: [{ id: 'r1', auditData: record }] }
    expect(parseAuditExport(JSON.stringify(page)).records).toEqual(page.value)
  })

  it.each([
    ['', /audit.json is empty/],
    ['Operation,When\nSet-Mailbox,today', /no AuditData column|neither JSON nor a CSV/],
    ['{"Operation": "Set-Mailbox",', /not valid JSON/],
    [`${JSON.stringify(record)}\n{broken\n`, /line 2 is not valid JSON/],
    ['[1, 2]', /\[0\] is not an audit record/],
    ['"Operations","AuditData"\n"Set-Mailbox","{unterminated\n', /line 2: Quoted field/],
    ['"Operations","AuditData"\n"a","b"\n"c"\n', /record 2: Too few fields/],
  ])('rejects %j with INVALID_AUDIT_LOG naming where and how to fix it', (text, message) => {
    try {
      parseAuditExport(text, 'audit.json')
      expect.unreachable()
    } catch (error) {
      expect(isAuditError(error) && error.code).toBe('INVALID_AUDIT_LOG')
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message).toMatch(/Search-UnifiedAuditLog/)
    }
  })
})

describe('ClientIP in the shapes the log writes it', () => {
  it.each([
    ['198.51.100.77-52014', '198.51.100.77'],
    ['[::ffff:198.51.100.77]:52015', '198.51.100.77'],
    ['[2001:db8:4f::12]:50123', '2001:db8:4f::12'],
  ])('%s is %s', (raw, ip) => {
    expect(stripPort(raw)).toBe(ip)
  })
})

describe('events: mailbox forwarding', () => {
  it('is dated and attributed by the Set-Mailbox that set it', async () => {
    const report = await events([
      setMailbox('2026-11-20T08:00:00', {
        ForwardingSmtpAddress: 'smtp:drop@proton.me',
        DeliverToMailboxAndForward: 'False',
      }),
    ])
    const [finding] = report.data.findings
    expect(finding).toMatchObject({
      type: 'smtp_forwarding',
      destination: 'drop@proton.me',
      external: true,
      is_enabled: true,
      created_at: '2026-11-20T08:00:00.000Z',
    })
    expect(finding?.provenance?.[0]).toMatchObject({ actor: 'alex.wilber@contoso.com' })
    expect(categories(report)).toEqual(
      expect.arrayContaining(['external_forwarding', 'no_copy_kept', 'recently_created'])
    )
  })

  it('set and later cleared is still reported, disabled since the clearing', async () => {
    const report = await events([
      setMailbox('2026-11-20T08:00:00', { ForwardingSmtpAddress: 'smtp:drop@proton.me' }),
      setMailbox('2026-11-21T08:00:00', { ForwardingSmtpAddress: '' }),
    ])
    expect(report.data.findings).toHaveLength(1)
    expect(report.data.findings[0]).toMatchObject({
      destination: 'drop@proton.me',
      is_enabled: false,
    })
    const disabled = report.data.findings[0]?.risk_factors.find((f) => f.category === 'disabled')
    expect(disabled?.description).toMatch(/Cleared or replaced 2026-11-21/)
  })

  it('replaced by another address: both are findings, only the newer one active', async () => {
    const report = await events([
      setMailbox('2026-11-20T08:00:00', { ForwardingSmtpAddress: 'smtp:first@proton.me' }),
      setMailbox('2026-11-21T08:00:00', { ForwardingSmtpAddress: 'smtp:second@proton.me' }),
    ])
    const byDestination = Object.fromEntries(
      report.data.findings.map((f) => [f.destination, f.is_enabled])
    )
    expect(byDestination).toEqual({ 'first@proton.me': false, 'second@proton.me': true })
  })

  it('a failed Set-Mailbox changed nothing and is counted as ignored', async () => {
    const failed = setMailbox('2026-11-20T08:00:00', {
      ForwardingSmtpAddress: 'smtp:x@evil.example',
    })
    failed.ResultStatus = 'False'
    const report = await events([failed])
    expect(report.data.findings).toEqual([])
    expect(report.data.summary.sources.join()).toMatch(/1 failed cmdlets ignored/)
  })

  it('forwarding to a domain the log shows as the tenant’s is internal', async () => {
    const report = await events([
      adminRecord('Set-Mailbox', '2026-11-20T08:00:00', 'a.w', {
        Identity: 'alex.wilber@contoso.com',
        ForwardingSmtpAddress: 'smtp:assistant@contoso.com',
      }),
    ])
    expect(report.data.findings[0]).toMatchObject({
      user: 'alex.wilber@contoso.com',
      external: false,
    })
    expect(report.data.summary.sources.join()).toMatch(
      /accepted domains taken from the log: contoso.com, contoso.onmicrosoft.com/
    )
  })

  it('duplicates (same Id) count once', async () => {
    const record = setMailbox('2026-11-20T08:00:00', { ForwardingSmtpAddress: 'smtp:d@proton.me' })
    const report = await events([record, { ...record }])
    expect(report.data.findings).toHaveLength(1)
    expect(report.data.summary.sources.join()).toMatch(/1 duplicates counted once/)
  })

  it('a log merged from two tenants is refused: one tenant’s domain would make the other’s forward internal', async () => {
    const forward = setMailbox('2026-11-20T08:00:00', {
      ForwardingSmtpAddress: 'smtp:drop@fabrikam.com',
    })
    const other = adminRecord(
      'Set-Mailbox',
      '2026-11-20T09:00:00',
      'bob',
      { Identity: 'bob@fabrikam.com', HiddenFromAddressListsEnabled: 'True' },
      {
        OrganizationId: '11111111-2222-4333-8444-555555555555',
        OrganizationName: 'fabrikam.onmicrosoft.com',
      }
    )
    const error = await events([forward, other]).catch((caught: unknown) => caught)
    expect(isAuditError(error) && error.code).toBe('INVALID_AUDIT_LOG')
    expect((error as Error).message).toMatch(
      /2 tenants .*4f8e2a61-3b9c-4d7e-a512-8c0d6e9f1b23.*11111111-2222-4333-8444-555555555555.*one tenant per file/
    )
  })

  it('a record that shares its Id with a different record is not dropped as a duplicate', async () => {
    const benign = setMailbox('2026-11-20T08:00:00', { DeliverToMailboxAndForward: 'True' })
    const forward = setMailbox('2026-11-20T08:05:00', { ForwardingSmtpAddress: 'smtp:d@proton.me' })
    const report = await events([benign, { ...forward, Id: benign.Id }])
    expect(report.data.findings.map((f) => f.destination)).toEqual(['d@proton.me'])
    expect(report.data.summary.incomplete_reasons.join()).toMatch(
      /1 record\(s\) of audit.json share an Id/
    )
  })
})

describe('events: inbox rules', () => {
  const newRule = (time: string, name: string, parameters: Record<string, string>) =>
    adminRecord('New-InboxRule', time, `${PATH}/awilber\\${name}`, {
      AlwaysDeleteOutlookRulesBlob: 'False',
      Force: 'False',
      Name: name,
      ...parameters,
    })

  it('a New-InboxRule is judged like Get-InboxRule: words, deletion, catch-all names', async () => {
    const report = await events([
      newRule('2026-11-20T08:00:00', '..', {
        SubjectOrBodyContainsWords: 'invoice;payment',
        ForwardTo: 'ap.contoso@gmail.com',
        DeleteMessage: 'True',
      }),
    ])
    expect(report.data.findings[0]).toMatchObject({
      type: 'inbox_rule',
      user: 'alex.wilber@contoso.com',
      rule_name: '..',
      conditions: ["subject or body contains 'invoice' or 'payment'"],
    })
    expect(categories(report)).toEqual(
      expect.arrayContaining(['sensitive_keywords', 'deletes_messages', 'suspicious_rule_name'])
    )
  })

  it('a rule only changed in the log has unknown conditions, never "matches everything"', async () => {
    const report = await events([
      adminRecord('Set-InboxRule', '2026-11-20T08:00:00', 'b3a1f0c2\\17639250888751054849', {
        Identity: 'Project files',
        RedirectTo: 'lynne@fabrikam.example',
      }),
    ])
    expect(report.data.findings[0]?.conditions.join()).toMatch(/conditions unknown/)
    expect(categories(report)).not.toContain('match_all_forwarding')
  })

  it('a forward moved elsewhere by Set-InboxRule keeps the old destination, disabled', async () => {
    const report = await events([
      newRule('2026-11-20T08:00:00', 'Backup', { ForwardTo: 'first@proton.me' }),
      adminRecord('Set-InboxRule', '2026-11-22T08:00:00', 'b3a1f0c2\\1764', {
        Identity: 'Backup',
        ForwardTo: 'second@proton.me',
      }),
    ])
    const state = Object.fromEntries(report.data.findings.map((f) => [f.destination, f.is_enabled]))
    expect(state).toEqual({ 'first@proton.me': false, 'second@proton.me': true })
  })

  it('an Outlook rule (UpdateInboxRules) made without conditions forwards everything', async () => {
    const record = {
      CreationTime: '2026-11-20T08:00:00',
      Id: 'c7d1e2f3-0000-4000-8000-000000000001',
      Operation: 'UpdateInboxRules',
      RecordType: 2,
      ResultStatus: 'Succeeded',
      UserId: 'diego@contoso.com',
      MailboxOwnerUPN: 'diego@contoso.com',
      ClientIP: '203.0.113.88',
      OperationProperties: [
        { Name: 'RuleOperation', Value: 'AddMailboxRule' },
        { Name: 'RuleId', Value: '0' },
        { Name: 'RuleState', Value: 'Enabled' },
        { Name: 'RuleCondition', Value: '' },
        { Name: 'RuleName', Value: 'Sync' },
        {
          Name: 'RuleActions',
          Value: '[{"ActionType":"Forward","Recipients":["SMTP:Diego.Archive@outlook.com"]}]',
        },
      ],
    }
    const report = await events([record])
    expect(report.data.findings[0]).toMatchObject({
      destination: 'diego.archive@outlook.com',
      action: 'forward',
      created_at: '2026-11-20T08:00:00.000Z',
    })
    expect(categories(report)).toContain('match_all_forwarding')
  })
})

describe('events: transport rules and the request', () => {
  const bccRule = adminRecord('New-TransportRule', '2026-11-20T08:00:00', 'Copy all', {
    Name: 'Copy all',
    BlindCopyTo: 'all@evil.example',
  })

  it('a New-TransportRule Bcc to outside the tenant is an organization-wide finding', async () => {
    const report = await events([bccRule])
    expect(report.data.findings[0]).toMatchObject({ type: 'transport_rule', user: 'organization' })
    expect(categories(report)).toEqual(
      expect.arrayContaining(['organization_wide', 'external_forwarding'])
    )
  })

  it('--since keeps what the log dates after it and drops what it dates before', async () => {
    const report = await events(
      [bccRule, setMailbox('2026-11-25T08:00:00', { ForwardingSmtpAddress: 'smtp:d@proton.me' })],
      { since: '2026-11-24T00:00:00Z' }
    )
    expect(report.data.findings.map((f) => f.destination)).toEqual(['d@proton.me'])
    expect(report.data.summary.filtered_out).toBe(1)
  })

  it('a record without operation or time is named in the summary and makes it incomplete', async () => {
    const report = await events([bccRule, { Id: 'broken', Operation: 'Set-Mailbox' }])
    expect(report.data.findings).toHaveLength(1)
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.incomplete_reasons[0]).toMatch(
      /1 record\(s\).*could not be read.*record 2/
    )
  })

  it('--user narrows to one mailbox; one the log never names is read and has nothing', async () => {
    const records = [
      setMailbox('2026-11-25T08:00:00', { ForwardingSmtpAddress: 'smtp:d@proton.me' }),
    ]
    const report = await events(records, { all_users: false, user: 'nobody@contoso.com' })
    expect(report.data.findings).toEqual([])
    expect(report.data.summary.mailboxes_scanned).toBe(1)
  })

  it('reads the fixture exports end to end', async () => {
    const bytes = readFileSync('test/fixtures/audit-log/search-unifiedauditlog.csv')
    const report = await runAudit(
      { all_users: true },
      auditLogSource(parseAuditExport(bytes, 'search-unifiedauditlog.csv'))
    )
    expect(report.meta.tenant).toBe('northwindtraders.onmicrosoft.com')
    expect(report.data.findings.map((f) => f.destination).sort()).toEqual([
      'ap.northwind@gmail.com',
      'megan.b.home@proton.me',
    ])
  })
})
