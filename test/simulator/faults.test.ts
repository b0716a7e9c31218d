import { describe, expect, it } from 'vitest'
import { FaultPlan } from './faults.ts'
import { getToken, graphGet, invoke, useSimulator } from './test-helpers.ts'

describe('fault kinds', () => {
  const dropping = useSimulator({ faults: { rate: 1, kinds: ['drop'] } })
  const truncating = useSimulator({ faults: { rate: 1, kinds: ['truncate'] } })
  const unavailable = useSimulator({ faults: { rate: 1, kinds: ['503'], seed: 3 } })

  it('drop: the socket closes without a response', async () => {
    const token = await getToken(dropping(), 'graph')
    await expect(graphGet(dropping(), token, '/users')).rejects.toThrow(TypeError)
    expect(dropping().requests.byStatus.drop).toBe(1)
    expect(dropping().requests.faults.drop).toBe(1)
  })

  it('truncate: status 200 with half a JSON body', async () => {
    const token = await getToken(truncating(), 'exchange')
    const response = await invoke(truncating(), token, 'Get-Mailbox')
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(text.startsWith('{"@odata.context"')).toBe(true)
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
  })

  it('503: Graph error body, Retry-After sometimes absent', async () => {
    const token = await getToken(unavailable(), 'graph')
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => graphGet(unavailable(), token, '/domains'))
    )
    expect(responses.every((r) => r.status === 503)).toBe(true)
    const retryAfter = responses.map((r) => r.headers.get('retry-after'))
    expect(retryAfter).toContain(null)
    expect(retryAfter).toContain('0.05')
    const body = (await responses[0]?.json()) as { error: { code: string } }
    expect(body.error.code).toBe('serviceNotAvailable')
  })

  it('leaves the token endpoint alone unless asked', () => {
    expect(dropping().requests.byRoute.token).toBeGreaterThanOrEqual(1)
    expect(dropping().requests.byStatus['200']).toBeGreaterThanOrEqual(1)
  })
})

describe('fault plan', () => {
  it('is reproducible for a seed', () => {
    const draw = (seed: number) => {
      const plan = new FaultPlan({ rate: 0.3, seed })
      return Array.from({ length: 50 }, () => plan.forRequest()?.kind ?? '-').join(',')
    }
    expect(draw(42)).toBe(draw(42))
    expect(draw(42)).not.toBe(draw(43))
  })

  it('fails about `rate` of the calls', () => {
    const plan = new FaultPlan({ rate: 0.2, seed: 5 })
    const failures = Array.from({ length: 2000 }, () => plan.forRequest()).filter(Boolean).length
    expect(failures).toBeGreaterThan(300)
    expect(failures).toBeLessThan(500)
  })
})

describe('request log', () => {
  const sim = useSimulator()

  it('counts requests by API, route, cmdlet and mailbox, and resets', async () => {
    const graphToken = await getToken(sim(), 'graph')
    const exchangeToken = await getToken(sim(), 'exchange')
    sim().resetRequests()
    await graphGet(sim(), graphToken, '/users')
    await graphGet(sim(), graphToken, '/users/adele@contoso.com/mailFolders/inbox/messageRules')
    await invoke(sim(), exchangeToken, 'Get-InboxRule', {
      Mailbox: 'Adele@Contoso.com',
      IncludeHidden: true,
    })
    await invoke(sim(), exchangeToken, 'Get-Mailbox')
    const log = sim().requests
    expect(log.total).toBe(4)
    expect(log.byApi).toEqual({ token: 0, graph: 2, exchange: 2 })
    expect(log.byRoute).toEqual({
      users: 1,
      messageRules: 1,
      'invokeCommand:Get-InboxRule': 1,
      'invokeCommand:Get-Mailbox': 1,
    })
    expect(log.byMailbox).toEqual({ 'adele@contoso.com': 2 })
    expect(log.byStatus).toEqual({ '200': 4 })
    expect(log.maxConcurrency.overall).toBe(1)
    sim().resetRequests()
    expect(sim().requests.total).toBe(0)
    expect(sim().requests.byRoute).toEqual({})
  })
})
