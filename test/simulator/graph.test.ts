import { describe, expect, it } from 'vitest'
import type { TenantSnapshot } from '../../core/index.ts'
import { tenant } from '../core/tenant-builder.ts'
import { getToken, graphGet, smallTenant, useSimulator } from './test-helpers.ts'

interface GraphError {
  error: { code: string; message: string; innerError?: Record<string, string> }
}
interface Collection<T = Record<string, unknown>> {
  '@odata.context': string
  '@odata.nextLink'?: string
  '@odata.count'?: number
  value: T[]
}

describe('Graph users and domains', () => {
  const sim = useSimulator()

  it('pages users with absolute https nextLinks carrying $skiptoken', async () => {
    const token = await getToken(sim(), 'graph')
    const seen: string[] = []
    let url: string | undefined = '/users?$top=3&$select=id,userPrincipalName,userType'
    let pages = 0
    while (url) {
      const response = await graphGet(sim(), token, url)
      expect(response.status).toBe(200)
      const page = (await response.json()) as Collection<{
        userPrincipalName: string
        userType: string
      }>
      expect(page.value.length).toBeLessThanOrEqual(3)
      for (const user of page.value) {
        expect(Object.keys(user).sort()).toEqual(['id', 'userPrincipalName', 'userType'])
        seen.push(user.userPrincipalName)
      }
      url = page['@odata.nextLink']
      if (url)
        expect(url).toMatch(new RegExp(`^${sim().graphEndpoint}/v1\\.0/users\\?.*\\$skiptoken=`))
      pages++
    }
    // Every mailbox plus two users without one (a service account and a guest).
    const mailboxes = smallTenant().mailboxes.map((m) => m.mailbox.UserPrincipalName)
    expect(seen).toEqual(expect.arrayContaining(mailboxes))
    expect(seen).toHaveLength(mailboxes.length + 2)
    expect(pages).toBe(3)
  })

  it('refuses $top=1000 with 400 Request_UnsupportedQuery', async () => {
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), '/users?$top=1000')
    expect(response.status).toBe(400)
    const body = (await response.json()) as GraphError
    expect(body.error.code).toBe('Request_UnsupportedQuery')
    expect(body.error.message).toBe(
      "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
    )
  })

  it('returns the default properties, null when unset', async () => {
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), '/users?$top=1')
    const [user] = ((await response.json()) as Collection).value
    expect(user).toMatchObject({
      userPrincipalName: 'adele@contoso.com',
      jobTitle: null,
      businessPhones: [],
    })
  })

  it('needs ConsistencyLevel and $count=true for advanced filters', async () => {
    const token = await getToken(sim(), 'graph')
    const filter = encodeURIComponent('assignedLicenses/$count ne 0')
    const plain = await graphGet(sim(), token, `/users?$filter=${filter}`)
    expect(plain.status).toBe(400)
    expect(((await plain.json()) as GraphError).error.code).toBe('Request_UnsupportedQuery')
    const advanced = await graphGet(sim(), token, `/users?$filter=${filter}&$count=true`, {
      ConsistencyLevel: 'eventual',
    })
    const body = (await advanced.json()) as Collection<{ userPrincipalName: string }>
    // Licensed = user mailboxes; shared and room mailboxes and the extra users are unlicensed.
    expect(body['@odata.count']).toBe(5)
    expect(body.value.map((u) => u.userPrincipalName)).not.toContain('finance@contoso.com')
  })

  it('lists the accepted domains as Graph domains', async () => {
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), '/domains')
    const body = (await response.json()) as Collection<{
      id: string
      isDefault: boolean
      isInitial: boolean
    }>
    expect(body.value.map((d) => [d.id, d.isDefault, d.isInitial])).toEqual([
      ['contoso.com', true, false],
      ['contoso.onmicrosoft.com', false, true],
    ])
  })

  it('answers an unknown segment like Graph', async () => {
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), '/groups')
    expect(response.status).toBe(400)
    expect(((await response.json()) as GraphError).error.message).toBe(
      "Resource not found for the segment 'groups'."
    )
  })
})

describe('Graph messageRules', () => {
  const sim = useSimulator()
  const rules = (user: string) => `/users/${user}/mailFolders/inbox/messageRules`

  it('returns the snapshot rules with @odata.context, omitting unset properties', async () => {
    const response = await graphGet(
      sim(),
      await getToken(sim(), 'graph'),
      rules('adele@contoso.com')
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as Collection
    expect(body['@odata.context']).toBe(
      `${sim().graphEndpoint}/v1.0/$metadata#users('adele@contoso.com')/mailFolders('inbox')/messageRules`
    )
    expect(body.value).toEqual([
      {
        id: 'AQAAAJ5dZp8=',
        displayName: 'Forward invoices',
        sequence: 1,
        isEnabled: true,
        hasError: false,
        isReadOnly: false,
        conditions: { subjectContains: ['invoice'] },
        actions: {
          forwardTo: [{ emailAddress: { name: 'Invoices Drop', address: 'drop@evil.example' } }],
          stopProcessingRules: false,
        },
      },
    ])
  })

  it('resolves users by object id too, and never shows hidden rules', async () => {
    const alex = smallTenant().mailboxes[1]?.mailbox.ExternalDirectoryObjectId as string
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), rules(alex))
    const body = (await response.json()) as Collection<{ displayName: string }>
    expect(body.value.map((r) => r.displayName)).toEqual(['Move newsletters'])
  })

  it('derives Graph rules from Exchange rows when the snapshot has none, resolving EX addresses', async () => {
    const response = await graphGet(
      sim(),
      await getToken(sim(), 'graph'),
      rules('diego@contoso.com')
    )
    const body = (await response.json()) as Collection<{ actions: { forwardTo: unknown[] } }>
    expect(body.value[0]?.actions.forwardTo).toEqual([
      { emailAddress: { name: 'Adele Vance', address: 'adele@contoso.com' } },
    ])
  })

  it.each([
    ['an unreadable snapshot mailbox', 'lynne@contoso.com', 'MailboxNotEnabledForRESTAPI'],
    [
      'a user without a mailbox',
      'svc-directory-sync@contoso.onmicrosoft.com',
      'MailboxNotEnabledForRESTAPI',
    ],
    ['an unknown user', 'nobody@contoso.com', 'ErrorInvalidUser'],
  ])('answers 404 for %s', async (_name, user, code) => {
    const response = await graphGet(sim(), await getToken(sim(), 'graph'), rules(user))
    expect(response.status).toBe(404)
    const body = (await response.json()) as GraphError
    expect(body.error.code).toBe(code)
    expect(Object.keys(body.error.innerError ?? {})).toEqual([
      'date',
      'request-id',
      'client-request-id',
    ])
  })
})

describe('Graph per-mailbox concurrency', () => {
  // Long enough that five calls overlap even on a loaded machine, where opening five TLS
  // connections can take longer than a realistic latency.
  const sim = useSimulator({ latencyMs: 1000 })

  it('throttles a fifth concurrent call to one mailbox with 429 ApplicationThrottled', async () => {
    const token = await getToken(sim(), 'graph')
    sim().resetRequests()
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        graphGet(sim(), token, '/users/adele@contoso.com/mailFolders/inbox/messageRules')
      )
    )
    const throttled = responses.filter((r) => r.status === 429)
    expect(throttled.length).toBeGreaterThanOrEqual(1)
    expect(throttled[0]?.headers.get('retry-after')).toBe('0.05')
    expect(await throttled[0]?.json()).toEqual({
      error: {
        code: 'ApplicationThrottled',
        message: 'Application is over its MailboxConcurrency limit.',
      },
    })
    // The log counts what the client sent: five at once.
    expect(sim().requests.maxConcurrency.byMailbox['adele@contoso.com']).toBe(5)
    expect(sim().requests.byMailbox['adele@contoso.com']).toBe(5)
    expect(sim().requests.throttled.mailboxConcurrency).toBe(throttled.length)
  })
})

describe('Graph concurrency across mailboxes', () => {
  const sim = useSimulator({ latencyMs: 300 })

  it('lets calls to different mailboxes run side by side', async () => {
    const token = await getToken(sim(), 'graph')
    const users = ['adele', 'alex', 'megan', 'finance', 'diego'].map((u) => `${u}@contoso.com`)
    const responses = await Promise.all(
      users.map((u) => graphGet(sim(), token, `/users/${u}/mailFolders/inbox/messageRules`))
    )
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
  })
})

describe('Graph transitiveMemberOf', () => {
  const ALEX = 'alex.wilber@contoso.com'
  const withGroups = () =>
    tenant()
      .mailbox(ALEX)
      .memberOf(ALEX, ['Sales Team', 'All Staff', 'Executives'])
      .build() as unknown as TenantSnapshot
  const full = useSimulator({
    tenant: withGroups(),
    app: { graphRoles: ['User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read'] },
  })
  const none = useSimulator({ tenant: withGroups(), app: { graphRoles: ['MailboxSettings.Read'] } })

  it('pages the groups with $top and absolute nextLinks; a group permission shows their names', async () => {
    const token = await getToken(full(), 'graph')
    const names: string[] = []
    let url: string | undefined = `/users/${ALEX}/transitiveMemberOf?$top=2`
    while (url) {
      const page = (await (await graphGet(full(), token, url)).json()) as Collection<{
        displayName: string
      }>
      names.push(...page.value.map((g) => g.displayName))
      url = page['@odata.nextLink']
      if (url) expect(url).toMatch(/^https:\/\/.*\/v1\.0\/users\/.*\/transitiveMemberOf\?/)
    }
    expect(names).toEqual(['Sales Team', 'All Staff', 'Executives'])
  })

  it('refuses $top=1000, and an app without User.Read.All', async () => {
    const tooMany = await graphGet(
      full(),
      await getToken(full(), 'graph'),
      `/users/${ALEX}/transitiveMemberOf?$top=1000`
    )
    expect(tooMany.status).toBe(400)
    const denied = await graphGet(
      none(),
      await getToken(none(), 'graph'),
      `/users/${ALEX}/transitiveMemberOf`
    )
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as GraphError).error.code).toBe('Authorization_RequestDenied')
  })
})

describe('Graph mail folders (docs/microsoft-apis.md §1.8)', () => {
  const sim = useSimulator({
    app: { graphRoles: ['User.Read.All', 'MailboxSettings.Read', 'Mail.ReadBasic.All'] },
  })

  it('lists a mailbox’s top-level folders ten at a time, with a nextLink for the rest', async () => {
    const token = await getToken(sim(), 'graph')
    const first = (await (
      await graphGet(sim(), token, '/users/alex@contoso.com/mailFolders?$select=id,displayName')
    ).json()) as Collection<{ id: string; displayName: string }>
    expect(first.value).toHaveLength(10)
    expect(first.value.map((f) => f.displayName)).toContain('Deleted Items')
    expect(Object.keys(first.value[0] ?? {}).sort()).toEqual(['displayName', 'id'])
    expect(first['@odata.nextLink']).toBeUndefined()
    const two = (await (
      await graphGet(sim(), token, '/users/alex@contoso.com/mailFolders?$top=4')
    ).json()) as Collection
    expect(two['@odata.nextLink']).toMatch(/^https:\/\/.*\/mailFolders\?.*(\$|%24)top=4/)
  })

  it('finds a folder by its well-known name, whatever its display name', async () => {
    const token = await getToken(sim(), 'graph')
    const response = await graphGet(
      sim(),
      token,
      '/users/alex@contoso.com/mailFolders/DeletedItems'
    )
    expect(response.status).toBe(200)
    const folder = (await response.json()) as { id: string; displayName: string }
    expect(folder.displayName).toBe('Deleted Items')
    expect(folder.id).toMatch(/^AAMkAD/)
    expect(folder).not.toHaveProperty('wellKnownName')
  })

  it('an unknown folder is ErrorItemNotFound', async () => {
    const token = await getToken(sim(), 'graph')
    const response = await graphGet(sim(), token, '/users/alex@contoso.com/mailFolders/AAMkADnope')
    expect(response.status).toBe(404)
    expect(((await response.json()) as GraphError).error.code).toBe('ErrorItemNotFound')
  })
})

describe('Graph mail folders without a Mail permission', () => {
  const sim = useSimulator()

  it('are refused with ErrorAccessDenied: MailboxSettings.Read does not cover them', async () => {
    const token = await getToken(sim(), 'graph')
    const response = await graphGet(sim(), token, '/users/alex@contoso.com/mailFolders')
    expect(response.status).toBe(403)
    expect(((await response.json()) as GraphError).error.code).toBe('ErrorAccessDenied')
  })
})
