/**
 * The simulator's unified audit log, over HTTP as a client sees it: Graph's audit log query
 * (create, poll, page) and Exchange's Search-UnifiedAuditLog session paging, with the failure
 * modes docs/microsoft-apis.md 6.3 records.
 */
import { describe, expect, it } from 'vitest'
import type { TenantSnapshot } from '../../core/sources/snapshot/schema.ts'
import { getToken, graphGet, invoke, smallTenant, useSimulator } from './test-helpers.ts'

const DAY = 86_400_000
const BASE = Date.parse('2026-11-01T00:00:00Z')

/** `count` Set-Mailbox records an hour apart from BASE, classic AuditData shape. */
function records(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    CreationTime: new Date(BASE + i * 3_600_000).toISOString().slice(0, 19),
    Id: `0000${i.toString(16).padStart(4, '0')}-8de0-4ef5-ab48-c9fcf52edcc6`,
    Operation: i % 4 === 3 ? 'Set-MailboxAutoReplyConfiguration' : 'Set-Mailbox',
    OrganizationId: '4f8e2a61-3b9c-4d7e-a512-8c0d6e9f1b23',
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: '1003994C54AA6A2A',
    UserType: 2,
    Workload: 'Exchange',
    ClientIP: '198.51.100.23:53390',
    ObjectId: 'adele',
    UserId: 't.becker@contoso.com',
    Parameters: [
      { Name: 'Identity', Value: 'adele@contoso.com' },
      { Name: 'ForwardingSmtpAddress', Value: `smtp:x${i}@fabrikam.example` },
    ],
  }))
}

const tenantWith = (count: number, extra: Partial<TenantSnapshot> = {}): TenantSnapshot => ({
  ...smallTenant(),
  auditRecords: records(count),
  ...extra,
})

const queryBody = (days = 60) => ({
  displayName: 'test',
  filterStartDateTime: new Date(BASE - DAY).toISOString().slice(0, 19),
  filterEndDateTime: new Date(BASE + days * DAY).toISOString().slice(0, 19),
  operationFilters: ['Set-Mailbox'],
  recordTypeFilters: ['exchangeAdmin'],
})

async function post(sim: ReturnType<ReturnType<typeof useSimulator>>, path: string, body: unknown) {
  const token = await getToken(sim, 'graph')
  return fetch(`${sim.graphEndpoint}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('Graph audit log query', () => {
  const sim = useSimulator({ tenant: tenantWith(40), auditLog: { queryMs: 150, pageSize: 10 } })

  it('runs for a while before it succeeds, then pages its records by $top and nextLink', async () => {
    const created = await post(sim(), '/beta/security/auditLog/queries', queryBody())
    expect(created.status).toBe(201)
    const query = (await created.json()) as { id: string; status: string }
    expect(query.status).toBe('notStarted')
    const token = await getToken(sim(), 'graph')
    const early = await graphGet(
      sim(),
      token,
      `${sim().graphEndpoint}/beta/security/auditLog/queries/${query.id}/records`
    )
    expect(early.status).toBe(400)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const done = (await (
      await graphGet(
        sim(),
        token,
        `${sim().graphEndpoint}/beta/security/auditLog/queries/${query.id}`
      )
    ).json()) as { status: string; isRecordCountLimitExceeded: boolean }
    expect(done).toMatchObject({ status: 'succeeded', isRecordCountLimitExceeded: false })
    const seen: Array<Record<string, unknown>> = []
    let url: string | undefined =
      `${sim().graphEndpoint}/beta/security/auditLog/queries/${query.id}/records?$top=12`
    while (url) {
      const page = (await (await graphGet(sim(), token, url)).json()) as {
        value: Array<Record<string, unknown>>
        '@odata.nextLink'?: string
      }
      seen.push(...page.value)
      url = page['@odata.nextLink']
    }
    // 30 of the 40 are Set-Mailbox; the auto-reply changes are filtered out.
    expect(seen).toHaveLength(30)
    expect(seen[0]).toMatchObject({
      auditLogRecordType: 'ExchangeAdmin',
      operation: 'Set-Mailbox',
      userType: 'Admin',
      // Crossed, as on the wire (6.3).
      userId: '1003994C54AA6A2A',
      userPrincipalName: 't.becker@contoso.com',
      auditData: { '@odata.type': '#microsoft.graph.security.defaultAuditData', ObjectId: 'adele' },
    })
  })

  it('answers the documented v1.0 path with 404 UnknownError, as observed', async () => {
    const response = await post(sim(), '/v1.0/security/auditLog/queries', queryBody())
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UnknownError')
  })
})

describe('Graph audit log query refusals', () => {
  const noRole = useSimulator({
    tenant: tenantWith(3),
    app: { graphRoles: ['User.Read.All', 'MailboxSettings.Read'] },
  })
  const disabled = useSimulator({
    tenant: tenantWith(3, {
      adminAuditLogConfig: { UnifiedAuditLogIngestionEnabled: false },
    } as Partial<TenantSnapshot>),
  })
  const busy = useSimulator({ tenant: tenantWith(3), auditLog: { createIntervalMs: 60_000 } })

  it('refuses an app without an AuditLogsQuery permission with 403', async () => {
    const response = await post(noRole(), '/beta/security/auditLog/queries', queryBody())
    expect(response.status).toBe(403)
  })

  it('says AuditingDisabledTenant inside an UnknownError message when the log is off', async () => {
    const response = await post(disabled(), '/beta/security/auditLog/queries', queryBody())
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('UnknownError')
    expect(JSON.parse(body.error.message)).toMatchObject({ Status: 'AuditingDisabledTenant' })
  })

  it('throttles queries created in quick succession', async () => {
    expect((await post(busy(), '/beta/security/auditLog/queries', queryBody())).status).toBe(201)
    const second = await post(busy(), '/beta/security/auditLog/queries', queryBody())
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe('1')
  })
})

describe('Search-UnifiedAuditLog', () => {
  const sim = useSimulator({ tenant: tenantWith(400) })
  const search = async (parameters: Record<string, unknown>) => {
    const token = await getToken(sim(), 'exchange')
    const rows: Array<Record<string, unknown>> = []
    let url: string | undefined
    for (;;) {
      const response = await invoke(sim(), token, 'Search-UnifiedAuditLog', parameters, {
        ...(url ? { url } : {}),
        headers: { Prefer: 'odata.maxpagesize=100' },
      })
      expect(response.status).toBe(200)
      const body = (await response.json()) as {
        value: Array<Record<string, unknown>>
        '@odata.nextLink'?: string
      }
      rows.push(...body.value)
      url = body['@odata.nextLink']
      if (!url) return rows
    }
  }
  const window = {
    StartDate: new Date(BASE - DAY).toISOString(),
    EndDate: new Date(BASE + 60 * DAY).toISOString(),
    Operations: ['Set-Mailbox'],
  }

  it('returns at most 100 rows without a session', async () => {
    expect(await search({ ...window, ResultSize: 5000 })).toHaveLength(100)
  })

  it('pages a ReturnLargeSet session call by call until a call returns nothing, with duplicates', async () => {
    const session = {
      ...window,
      SessionId: 's-1',
      SessionCommand: 'ReturnLargeSet',
      ResultSize: 200,
    }
    const first = await search(session)
    const second = await search(session)
    const third = await search(session)
    expect(first).toHaveLength(200)
    expect(second.length).toBeGreaterThan(0)
    expect(await search(session)).toEqual([])
    const all = [...first, ...second, ...third]
    // 300 Set-Mailbox records, every fifth twice.
    expect(all).toHaveLength(360)
    expect(new Set(all.map((r) => r.Identity)).size).toBe(300)
    expect(all[0]).toMatchObject({ RecordType: 'ExchangeAdmin', ResultIndex: 1, ResultCount: 360 })
    expect(typeof all[0]?.AuditData).toBe('string')
  })
})

describe('audit settings cmdlets', () => {
  const sim = useSimulator({
    tenant: tenantWith(0, {
      organizationConfig: { AuditDisabled: true },
      mailboxAuditBypass: [{ Name: 'alex', AuditBypassEnabled: true }],
    } as Partial<TenantSnapshot>),
  })

  it('answer from the snapshot, and with the service defaults where it says nothing', async () => {
    const token = await getToken(sim(), 'exchange')
    const rows = async (cmdlet: string) =>
      (
        (await (await invoke(sim(), token, cmdlet, {})).json()) as {
          value: Record<string, unknown>[]
        }
      ).value
    expect((await rows('Get-AdminAuditLogConfig'))[0]).toMatchObject({
      UnifiedAuditLogIngestionEnabled: true,
    })
    expect((await rows('Get-OrganizationConfig'))[0]).toMatchObject({ AuditDisabled: true })
    const bypass = await rows('Get-MailboxAuditBypassAssociation')
    expect(bypass.filter((r) => r.AuditBypassEnabled === true).map((r) => r.Name)).toEqual(['alex'])
    expect(bypass.length).toBe(smallTenant().mailboxes.length)
  })
})
