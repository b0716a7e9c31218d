import { describe, expect, it } from 'vitest'
import { AuditRunError } from '../../core/errors/errors.ts'
import { exchangeAdmin } from '../../core/m365/exchange-admin.ts'
import { ExchangeCommandError } from '../../core/m365/exchange-errors.ts'
import type { ExchangeAdmin, LiveContext } from '../../core/m365/types.ts'
import { generateTenant } from '../bench/generate-tenant.ts'
import type { Simulator } from '../simulator/index.ts'
import { useSimulator } from '../simulator/test-helpers.ts'
import { liveContext, plain, simulatorTokens, type TestTokens } from './helpers.ts'

const SMALL_UPNS = [
  'adele@contoso.com',
  'alex@contoso.com',
  'megan@contoso.com',
  'finance@contoso.com',
  'lynne@contoso.com',
  'boardroom@contoso.com',
  'diego@contoso.com',
]

function connect(
  sim: () => Simulator,
  options: { pageSize?: number; tokens?: TestTokens; context?: Partial<LiveContext> } = {}
) {
  const tokens = options.tokens ?? simulatorTokens(sim)
  const context = liveContext(options.context)
  const admin = exchangeAdmin({
    endpoint: sim().exchangeEndpoint,
    tenantId: sim().tenantId,
    tokens,
    context,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  })
  return { admin, tokens, context }
}

type Call = Parameters<ExchangeAdmin['invokeBatch']>[0][number]

const names = (rows: Record<string, unknown>[]) => rows.map((row) => row.Name)

describe('exchangeAdmin against the simulator', () => {
  const sim = useSimulator({ cmdletLatencyMs: { 'Get-InboxRule': 15 } })

  it('sends InvokeCommand with the app-only headers and the CmdletInput body (5.1)', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; body: unknown }> = []
    const { admin } = connect(sim, {
      context: {
        fetch: (input, init) => {
          seen.push({
            url: String(input),
            headers: init?.headers as Record<string, string>,
            body: JSON.parse(String(init?.body)),
          })
          return fetch(input, init)
        },
      },
    })
    await admin.invoke('Get-AcceptedDomain', {})
    expect(seen).toHaveLength(1)
    const [call] = seen
    expect(call?.url).toBe(
      `${sim().exchangeEndpoint}/adminapi/beta/${sim().tenantId}/InvokeCommand`
    )
    expect(call?.headers).toMatchObject({
      'X-AnchorMailbox': `APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${sim().tenantId}`,
      Prefer: 'odata.maxpagesize=1000',
      'Content-Type': 'application/json',
      Authorization: expect.stringMatching(/^Bearer ey/),
    })
    expect(call?.body).toEqual({
      CmdletInput: { CmdletName: 'Get-AcceptedDomain', Parameters: {} },
    })
  })

  it('follows Get-Mailbox nextLinks by re-POSTing the same body and returns every row', async () => {
    const whole = await connect(sim).admin.invoke('Get-Mailbox', { ResultSize: 'Unlimited' })
    sim().resetRequests()
    const paged = await connect(sim, { pageSize: 2 }).admin.invoke('Get-Mailbox', {
      ResultSize: 'Unlimited',
    })
    expect(paged.map((row) => row.UserPrincipalName)).toEqual(SMALL_UPNS)
    expect(paged).toEqual(whole)
    // 7 rows at 2 a page; the token request goes to the token server.
    expect(sim().requests.byRoute['invokeCommand:Get-Mailbox']).toBe(4)
  })

  it('passes $select on every page', async () => {
    const rows = await connect(sim, { pageSize: 3 }).admin.invoke('Get-Mailbox', {}, [
      'UserPrincipalName',
      'ForwardingSmtpAddress',
    ])
    expect(rows.map((row) => row.UserPrincipalName)).toEqual(SMALL_UPNS)
    for (const row of plain(rows)) {
      expect(Object.keys(row).sort()).toEqual(['ForwardingSmtpAddress', 'UserPrincipalName'])
    }
  })

  it('returns the hidden inbox rules with IncludeHidden', async () => {
    const { admin } = connect(sim)
    expect(names(await admin.invoke('Get-InboxRule', { Mailbox: 'alex@contoso.com' }))).toEqual([
      'Move newsletters',
    ])
    const all = await admin.invoke('Get-InboxRule', {
      Mailbox: 'alex@contoso.com',
      IncludeHidden: true,
    })
    expect(names(all)).toEqual(['Junk E-mail Rule', 'Move newsletters', '.'])
  })

  it('reports an unknown mailbox with the real message and ManagementObjectNotFound', async () => {
    const error = await connect(sim)
      .admin.invoke('Get-InboxRule', { Mailbox: 'nobody@contoso.com' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ExchangeCommandError)
    expect(error).toMatchObject({
      code: 'SOURCE_UNAVAILABLE',
      status: 400,
      cmdlet: 'Get-InboxRule',
      errorCode: 'ManagementObjectNotFound',
      exceptionType: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    })
    const message = (error as Error).message
    expect(message).toMatch(
      /^Exchange Online could not run Get-InboxRule: The operation couldn't be performed because object 'nobody@contoso.com' couldn't be found on '.+'\.$/
    )
    expect(message).not.toContain('|')
  })

  it('maps a $batch of 10 back to input order although items complete out of order', async () => {
    const order: string[][] = []
    const { admin } = connect(sim, {
      context: {
        fetch: async (input, init) => {
          const response = await fetch(input, init)
          if (String(input).endsWith('/$batch')) {
            const body = (await response.clone().json()) as { responses: Array<{ id: string }> }
            order.push(body.responses.map((item) => item.id))
          }
          return response
        },
      },
    })
    const calls: Call[] = [
      ...SMALL_UPNS.map((upn) => ({
        cmdlet: 'Get-InboxRule',
        parameters: { Mailbox: upn, IncludeHidden: true },
      })),
      { cmdlet: 'Get-InboxRule', parameters: { Mailbox: 'nobody@contoso.com' } },
      { cmdlet: 'Get-Mailbox', parameters: { Identity: 'adele' }, select: ['UserPrincipalName'] },
      { cmdlet: 'Get-AcceptedDomain', parameters: {} },
    ]
    const results = await admin.invokeBatch(calls)
    // Get-InboxRule takes 15 ms here, so the last two answer first.
    expect(order[0]?.slice(0, 2).sort()).toEqual(['8', '9'])
    expect(results).toHaveLength(10)
    for (const [i, call] of calls.entries()) {
      const result = results[i]
      const alone = await admin
        .invoke(call.cmdlet, call.parameters, call.select)
        .then((value) => ({ ok: true, value }))
        .catch((error: ExchangeCommandError) => ({
          ok: false,
          status: error.status,
          code: error.errorCode,
        }))
      expect(result).toMatchObject(alone)
    }
    expect(results[4]).toMatchObject({ ok: false, status: 400, code: 'ManagementObjectNotFound' })
    expect(results[7]).toMatchObject({
      ok: false,
      status: 400,
      code: 'ManagementObjectNotFound',
      message: expect.stringMatching(/^The operation couldn't be performed because object 'nobody/),
    })
  })

  it('continues an item nextLink in the next batch', async () => {
    sim().resetRequests()
    const [mailboxes, rules] = await connect(sim, { pageSize: 2 }).admin.invokeBatch([
      { cmdlet: 'Get-Mailbox', parameters: {}, select: ['UserPrincipalName'] },
      { cmdlet: 'Get-InboxRule', parameters: { Mailbox: 'alex@contoso.com', IncludeHidden: true } },
    ])
    expect(mailboxes?.ok && mailboxes.value.map((row) => row.UserPrincipalName)).toEqual(SMALL_UPNS)
    expect(rules?.ok && names(rules.value)).toEqual(['Junk E-mail Rule', 'Move newsletters', '.'])
    // Pages 1-4 of Get-Mailbox; alex's second page rides along in round 2.
    expect(sim().requests.byRoute.exchangeBatch).toBe(4)
    expect(sim().requests.batchItems.exchange).toBe(6)
  })

  it('refuses more than 10 cmdlets and answers none with none', async () => {
    const { admin } = connect(sim)
    const call = { cmdlet: 'Get-AcceptedDomain', parameters: {} }
    await expect(admin.invokeBatch(Array.from({ length: 11 }, () => call))).rejects.toThrow(
      RangeError
    )
    await expect(admin.invokeBatch([])).resolves.toEqual([])
  })

  it('gives up on a Graph token after one fresh try: AUTH_FAILED naming Exchange.ManageAsApp', async () => {
    const tokens = simulatorTokens(sim, () => sim().graphEndpoint)
    const { admin } = connect(sim, { tokens })
    sim().resetRequests()
    const error = await admin.invoke('Get-Mailbox', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuditRunError)
    expect(error).toMatchObject({
      code: 'AUTH_FAILED',
      userFixable: true,
      message:
        "Exchange Online rejected the app's token: grant the Office 365 Exchange Online application permission Exchange.ManageAsApp and admin-consent it",
    })
    expect(tokens.invalidated).toEqual([sim().exchangeEndpoint])
    expect(tokens.fetched).toBe(2)
    expect(sim().requests.byStatus).toEqual({ '200': 2, '401': 2 })
    await expect(
      admin.invokeBatch([{ cmdlet: 'Get-Mailbox', parameters: {} }])
    ).rejects.toMatchObject({ code: 'AUTH_FAILED' })
  })
})

describe('exchangeAdmin without the role for a cmdlet', () => {
  const sim = useSimulator({ app: { deniedCmdlets: ['Get-InboxRule'] } })

  it('throws PERMISSION_DENIED naming the cmdlet, for a call and for a batch item', async () => {
    const { admin } = connect(sim)
    const fix =
      'Get-InboxRule is not allowed for the app: assign it the Global Reader role (Exchange Administrator for Get-InboxRule if Global Reader is refused) in Entra ID'
    await expect(
      admin.invoke('Get-InboxRule', { Mailbox: 'adele@contoso.com' })
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED', userFixable: true, message: fix })
    await expect(
      admin.invokeBatch([
        { cmdlet: 'Get-Mailbox', parameters: {} },
        { cmdlet: 'Get-InboxRule', parameters: { Mailbox: 'adele@contoso.com' } },
      ])
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: fix })
    // The role gap is per cmdlet: Get-Mailbox still runs.
    await expect(admin.invoke('Get-Mailbox', {})).resolves.toHaveLength(7)
  })
})

describe('exchangeAdmin under the tenant concurrency limit', () => {
  const sim = useSimulator({ limits: { exchangeConcurrency: 3, retryAfterSeconds: 0.01 } })

  it('retries only the throttled items, after their Retry-After', async () => {
    const { admin, context } = connect(sim)
    const calls = Array.from({ length: 10 }, (_, i) => ({
      cmdlet: 'Get-InboxRule',
      parameters: { Mailbox: SMALL_UPNS[i % 4] as string },
    }))
    sim().resetRequests()
    const results = await admin.invokeBatch(calls)
    expect(results.every((result) => result.ok)).toBe(true)
    expect(results.map((result) => result.ok && names(result.value).length)).toEqual([
      1, 1, 0, 0, 1, 1, 0, 0, 1, 1,
    ])
    // 3 of 10 run, then 3 of the 7 left, 3 of 4, the last one: 10 + 7 + 4 + 1 items sent.
    expect(sim().requests.throttled.exchangeConcurrency).toBe(12)
    expect(sim().requests.batchItems.exchange).toBe(22)
    expect(sim().requests.byRoute.exchangeBatch).toBe(4)
    expect(context.retries).toEqual([
      { api: 'exchange', status: 429, delayMs: 10 },
      { api: 'exchange', status: 429, delayMs: 10 },
      { api: 'exchange', status: 429, delayMs: 10 },
    ])
  })
})

describe('exchangeAdmin with 20% faults', () => {
  const tenant = generateTenant({ mailboxes: 25, plantEvery: 5 })
  const clean = useSimulator({ tenant })
  // Seed 2 draws all four fault kinds (429, 503, drop, truncate) in this scan.
  const faulty = useSimulator({
    tenant,
    faults: { rate: 0.2, seed: 2, batchItems: true, retryAfterSeconds: 0.01 },
  })

  async function scan(sim: () => Simulator) {
    const { admin, context } = connect(sim, { pageSize: 5 })
    const mailboxes = await admin.invoke('Get-Mailbox', { ResultSize: 'Unlimited' }, [
      'UserPrincipalName',
      'ForwardingSmtpAddress',
    ])
    const rules = []
    for (let i = 0; i < mailboxes.length; i += 10) {
      const chunk = mailboxes.slice(i, i + 10).map((row) => ({
        cmdlet: 'Get-InboxRule',
        parameters: { Mailbox: String(row.UserPrincipalName), IncludeHidden: true },
      }))
      rules.push(...(await admin.invokeBatch(chunk)))
    }
    return { result: { mailboxes, rules }, retries: context.retries }
  }

  it('returns exactly what a fault-free run returns', async () => {
    const expected = await scan(clean)
    expect(expected.retries).toEqual([])
    expect(expected.result.mailboxes).toHaveLength(25)
    expect(expected.result.rules.every((r) => r.ok)).toBe(true)
    const actual = await scan(faulty)
    expect(actual.result).toEqual(expected.result)
    const faults = faulty().requests.faults
    expect(Object.keys(faults).sort()).toEqual(['429', '503', 'drop', 'truncate'])
    expect(new Set(actual.retries.map((r) => r.status))).toEqual(
      new Set([429, 503, 'network', 'invalid_json'])
    )
  })
})

describe('exchangeAdmin cancelled', () => {
  const slow = useSimulator({ cmdletLatencyMs: { 'Get-Mailbox': 5_000 } })
  const throttling = useSimulator({ limits: { exchangeConcurrency: 1, retryAfterSeconds: 30 } })

  it('stops a call in flight with DEADLINE_EXCEEDED', async () => {
    const { admin } = connect(slow, { context: { signal: AbortSignal.timeout(100) } })
    const started = Date.now()
    await expect(admin.invoke('Get-Mailbox', {})).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
    })
    // Get-Mailbox takes 5 s here: ending well before that means the call was cut short.
    expect(Date.now() - started).toBeLessThan(4_000)
  })

  it('stops waiting out an item Retry-After with DEADLINE_EXCEEDED', async () => {
    // The deadline strikes while the item's 30 s Retry-After is being waited out.
    const deadline = new AbortController()
    const retries: unknown[] = []
    const { admin } = connect(throttling, {
      context: {
        signal: deadline.signal,
        retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 60_000 },
        onRetry: (info) => {
          retries.push(info)
          setTimeout(() => deadline.abort(new Error('deadline')), 20)
        },
      },
    })
    const started = Date.now()
    await expect(
      admin.invokeBatch([
        { cmdlet: 'Get-AcceptedDomain', parameters: {} },
        { cmdlet: 'Get-AcceptedDomain', parameters: {} },
      ])
    ).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' })
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(retries).toEqual([{ api: 'exchange', status: 429, delayMs: 30_000 }])
  })
})
