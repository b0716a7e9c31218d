import { afterEach, describe, expect, it, vi } from 'vitest'
import { graphApi } from '../../core/m365/graph.ts'
import type { LiveContext } from '../../core/m365/types.ts'
import { generateTenant } from '../bench/generate-tenant.ts'
import type { Simulator } from '../simulator/index.ts'
import { getToken, graphBatch, useSimulator } from '../simulator/test-helpers.ts'
import { liveContext, simulatorTokens, type TestTokens } from './helpers.ts'

function connect(
  sim: () => Simulator,
  options: { tokens?: TestTokens; context?: Partial<LiveContext> } = {}
) {
  const tokens = options.tokens ?? simulatorTokens(sim)
  const context = liveContext(options.context)
  const graph = graphApi({ endpoint: sim().graphEndpoint, tokens, context })
  return { graph, tokens, context }
}

const rulesPath = (upn: string) =>
  `/users/${encodeURIComponent(upn)}/mailFolders/inbox/messageRules`

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('graphApi against the simulator', () => {
  const sim = useSimulator()

  it('reads inbox rules through the SDK with the Authorization header attached (customHosts)', async () => {
    const { graph } = connect(sim)
    sim().resetRequests()
    const [adele, lynne, nobody] = await graph.messageRules([
      'adele@contoso.com',
      'lynne@contoso.com',
      'nobody@contoso.com',
    ])
    expect(adele).toMatchObject({ ok: true, value: [{ displayName: 'Forward invoices' }] })
    expect(lynne).toEqual({
      ok: false,
      status: 404,
      code: 'MailboxNotEnabledForRESTAPI',
      message: 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
    })
    expect(nobody).toMatchObject({ ok: false, status: 404, code: 'ErrorInvalidUser' })
    // Without the header the simulator answers 401, as Graph does.
    expect(sim().requests.byApi.graph).toBe(1)
    expect(sim().requests.byRoute.graphBatch).toBe(1)
    expect(sim().requests.byStatus['401']).toBeUndefined()
  })

  it('retries only the items over the per-mailbox concurrency limit', async () => {
    const { graph, context } = connect(sim)
    sim().resetRequests()
    const results = await graph.messageRules(Array.from({ length: 6 }, () => 'adele@contoso.com'))
    const [first] = results
    expect(first?.ok).toBe(true)
    for (const result of results) expect(result).toEqual(first)
    // Outlook admits 4 at once per mailbox (4.1); the other 2 come back 429 ApplicationThrottled.
    expect(sim().requests.throttled.mailboxConcurrency).toBe(2)
    expect(sim().requests.batchItems.graph).toBe(8)
    expect(sim().requests.byRoute.graphBatch).toBe(2)
    expect(context.retries).toEqual([{ api: 'graph', status: 429, delayMs: 50 }])
  })

  it('follows an item nextLink through the SDK and honours a lower-case decimal retry-after', async () => {
    // The SDK sends through the context's fetch: the test swaps what that fetch does.
    let transport: typeof fetch = (input, init) => fetch(input, init)
    const { graph, context } = connect(sim, {
      context: { fetch: (input, init) => transport(input, init) },
    })
    const [adele, alex, megan] = await graph.messageRules([
      'adele@contoso.com',
      'alex@contoso.com',
      'megan@contoso.com',
    ])
    // The simulator neither pages messageRules nor sends lower-case item headers: doctor the
    // first $batch answer on its way to the SDK.
    const realFetch = transport
    let doctored = false
    transport = async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await realFetch(input, init)
      if (doctored || !String(input).endsWith('/$batch')) return response
      doctored = true
      const body = (await response.json()) as {
        responses: Array<{ id: string; status: number; headers: object; body: object }>
      }
      for (const item of body.responses) {
        if (item.id === '0') {
          item.body = {
            ...item.body,
            '@odata.nextLink': `${sim().graphEndpoint}/v1.0${rulesPath('alex@contoso.com')}`,
          }
        }
        if (item.id === '1') {
          item.status = 429
          item.headers = { 'retry-after': '0.03' }
          item.body = { error: { code: 'TooManyRequests', message: 'Please retry again later.' } }
        }
      }
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      })
    }
    sim().resetRequests()
    const doctoredResults = await graph.messageRules(['adele@contoso.com', 'megan@contoso.com'])
    expect(doctored).toBe(true)
    expect(adele?.ok && alex?.ok).toBe(true)
    expect(doctoredResults).toEqual([
      { ok: true, value: [...(adele?.ok ? adele.value : []), ...(alex?.ok ? alex.value : [])] },
      megan,
    ])
    expect(context.retries).toEqual([{ api: 'graph', status: 429, delayMs: 30 }])
    // Two batches (the second for megan alone) and the nextLink GET.
    expect(sim().requests.byRoute).toMatchObject({ graphBatch: 2, messageRules: 4 })
  })

  it('sends through the context’s fetch and never the global one', async () => {
    const realFetch = globalThis.fetch
    let calls = 0
    const counted: typeof fetch = (input, init) => {
      calls++
      return realFetch(input, init)
    }
    const { graph, tokens } = connect(sim, { context: { fetch: counted } })
    await tokens.token(sim().graphEndpoint)
    vi.stubGlobal('fetch', () => Promise.reject(new Error('the global fetch was called')))
    const [adele] = await graph.messageRules(['adele@contoso.com'])
    expect(adele?.ok).toBe(true)
    expect(calls).toBe(1)
  })

  it('refuses more than 20 mailboxes and answers none with none', async () => {
    const { graph } = connect(sim)
    await expect(
      graph.messageRules(Array.from({ length: 21 }, (_, i) => `u${i}@x`))
    ).rejects.toThrow(RangeError)
    await expect(graph.messageRules([])).resolves.toEqual([])
  })

  it('gives up on an Exchange token after one fresh try: AUTH_FAILED', async () => {
    const tokens = simulatorTokens(sim, () => sim().exchangeEndpoint)
    const { graph } = connect(sim, { tokens })
    sim().resetRequests()
    const error = await graph.messageRules(['adele@contoso.com']).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'AUTH_FAILED',
      userFixable: true,
      message: expect.stringMatching(/^Microsoft Graph rejected the app's token: /),
    })
    expect(tokens.invalidated).toEqual([sim().graphEndpoint])
    expect(tokens.fetched).toBe(2)
    expect(sim().requests.byStatus).toEqual({ '200': 2, '401': 2 })
    const token = await tokens.token(sim().graphEndpoint)
    expect((error as Error).message).not.toContain(token)
  })
})

describe('graphApi without MailboxSettings.Read', () => {
  const sim = useSimulator({ app: { graphRoles: ['User.Read.All'] } })

  it('reports each refused mailbox as a 403 item, for the reader to judge', async () => {
    const results = await connect(sim).graph.messageRules(['adele@contoso.com'])
    expect(results).toEqual([
      expect.objectContaining({
        ok: false,
        status: 403,
        message: expect.stringMatching(/access policy/),
      }),
    ])
  })
})

describe('graphApi on 25 mailboxes', () => {
  const tenant = generateTenant({ mailboxes: 25, plantEvery: 5 })
  const upns = tenant.mailboxes.map((entry) => String(entry.mailbox.UserPrincipalName))
  const clean = useSimulator({ tenant })
  // Seed 9 draws all four fault kinds (429, 503, drop, truncate) in this scan.
  const faulty = useSimulator({
    tenant,
    faults: { rate: 0.2, seed: 9, batchItems: true, retryAfterSeconds: 0.01 },
  })

  it('returns a $batch of 20 in input order although the responses come shuffled', async () => {
    const first20 = upns.slice(0, 20)
    const raw = await graphBatch(
      clean(),
      await getToken(clean(), 'graph'),
      first20.map((upn, i) => ({ id: String(i), method: 'GET', url: rulesPath(upn) }))
    )
    const ids = ((await raw.json()) as { responses: Array<{ id: string }> }).responses.map(
      (item) => item.id
    )
    expect(ids).not.toEqual(first20.map((_, i) => String(i)))

    const { graph } = connect(clean)
    const results = await graph.messageRules(first20)
    expect(results).toHaveLength(20)
    for (const [i, upn] of first20.entries()) {
      expect(results[i]).toEqual((await graph.messageRules([upn]))[0])
    }
    expect(results.some((result) => result.ok && result.value.length > 0)).toBe(true)
  })

  async function scan(sim: () => Simulator) {
    const { graph, context } = connect(sim)
    const results = []
    for (let i = 0; i < upns.length; i += 5) {
      results.push(...(await graph.messageRules(upns.slice(i, i + 5))))
    }
    return { results, retries: context.retries }
  }

  it('returns exactly what a fault-free run returns under 20% faults', async () => {
    const expected = await scan(clean)
    expect(expected.retries).toEqual([])
    expect(expected.results.every((result) => result.ok)).toBe(true)
    faulty().resetRequests()
    const actual = await scan(faulty)
    expect(actual.results).toEqual(expected.results)
    expect(Object.keys(faulty().requests.faults).sort()).toEqual(['429', '503', 'drop', 'truncate'])
    expect(new Set(actual.retries.map((retry) => retry.status))).toEqual(
      new Set([429, 503, 'network', 'invalid_json'])
    )
  })
})

describe('graphApi cancelled', () => {
  const sim = useSimulator({ limits: { perMailboxConcurrency: 1, retryAfterSeconds: 30 } })

  it('stops an SDK request in flight with DEADLINE_EXCEEDED (fetchOptions.signal)', async () => {
    // A $batch that never answers: only the signal passed to fetch can end it.
    const hanging: typeof fetch = (input, init) => {
      if (!String(input).endsWith('/$batch')) return fetch(input, init)
      return new Promise((_, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })
      })
    }
    const { graph, tokens } = connect(sim, {
      context: { signal: AbortSignal.timeout(100), fetch: hanging },
    })
    await tokens.token(sim().graphEndpoint)
    const started = Date.now()
    await expect(graph.messageRules(['adele@contoso.com'])).rejects.toMatchObject({
      code: 'DEADLINE_EXCEEDED',
    })
    // The call would never end without the deadline; the margin absorbs a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('stops waiting out an item Retry-After with DEADLINE_EXCEEDED', async () => {
    // The deadline strikes while the item's 30 s Retry-After is being waited out.
    const deadline = new AbortController()
    const retries: unknown[] = []
    const { graph } = connect(sim, {
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
      graph.messageRules(['adele@contoso.com', 'adele@contoso.com'])
    ).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' })
    // Far less than the 30 s it was asked to wait: the wait itself was cut short.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(retries).toEqual([{ api: 'graph', status: 429, delayMs: 30_000 }])
  })
})
