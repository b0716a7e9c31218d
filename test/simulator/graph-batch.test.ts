import { describe, expect, it } from 'vitest'
import { getToken, graphBatch, useSimulator } from './test-helpers.ts'

interface ItemBody {
  error: { code: string }
  value: unknown[]
}
interface BatchResponse {
  responses: Array<{ id: string; status: number; headers: Record<string, string>; body: ItemBody }>
}

const MAILBOXES = ['adele', 'alex', 'megan', 'finance', 'diego'].map((u) => `${u}@contoso.com`)
const rulesRequest = (id: number, user: string) => ({
  id: String(id),
  method: 'GET',
  url: `/users/${user}/mailFolders/inbox/messageRules`,
})
/** 20 requests spread over 5 mailboxes: 4 per mailbox, exactly at Outlook's limit. */
const twenty = () =>
  Array.from({ length: 20 }, (_, i) => rulesRequest(i + 1, MAILBOXES[i % 5] as string))

describe('Graph $batch', () => {
  const sim = useSimulator()

  it('answers 20 requests in one 200 envelope, in shuffled order', async () => {
    const token = await getToken(sim(), 'graph')
    sim().resetRequests()
    const response = await graphBatch(sim(), token, twenty())
    expect(response.status).toBe(200)
    const body = (await response.json()) as BatchResponse
    expect(body.responses).toHaveLength(20)
    expect(body.responses.every((r) => r.status === 200)).toBe(true)
    const ids = body.responses.map((r) => r.id)
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(twenty().map((r) => r.id))
    expect(ids).not.toEqual(twenty().map((r) => r.id))
    expect(sim().requests.byRoute).toMatchObject({ graphBatch: 1, messageRules: 20 })
    expect(sim().requests.batchItems.graph).toBe(20)
    expect(sim().requests.byApi.graph).toBe(1)
  })

  it('refuses 21 requests with 400', async () => {
    const requests = [...twenty(), rulesRequest(21, 'adele@contoso.com')]
    const response = await graphBatch(sim(), await getToken(sim(), 'graph'), requests)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BadRequest')
  })

  it('evaluates items individually: per-mailbox concurrency applies inside a batch', async () => {
    const requests = Array.from({ length: 6 }, (_, i) => rulesRequest(i + 1, 'adele@contoso.com'))
    const body = (await (
      await graphBatch(sim(), await getToken(sim(), 'graph'), requests)
    ).json()) as BatchResponse
    const throttled = body.responses.filter((r) => r.status === 429)
    expect(throttled).toHaveLength(2)
    expect(throttled[0]?.body.error.code).toBe('ApplicationThrottled')
    expect(throttled[0]?.headers['Retry-After']).toBeDefined()
  })

  it('gives each item its own status: 404 for an unreadable mailbox, 400 for an absolute url', async () => {
    const requests = [
      rulesRequest(1, 'lynne@contoso.com'),
      { id: '2', method: 'GET', url: `${sim().graphEndpoint}/v1.0/users` },
      { id: '3', method: 'GET', url: 'users?$top=2&$select=id' },
    ]
    const body = (await (
      await graphBatch(sim(), await getToken(sim(), 'graph'), requests)
    ).json()) as BatchResponse
    const byId = Object.fromEntries(body.responses.map((r) => [r.id, r]))
    expect(byId['1']?.status).toBe(404)
    expect(byId['1']?.body.error.code).toBe('MailboxNotEnabledForRESTAPI')
    expect(byId['2']?.status).toBe(400)
    expect(byId['3']?.status).toBe(200)
    expect(byId['3']?.body.value).toHaveLength(2)
  })

  it('fails a dependent request with 424 when its dependency fails', async () => {
    const requests = [
      rulesRequest(1, 'nobody@contoso.com'),
      { ...rulesRequest(2, 'adele@contoso.com'), dependsOn: ['1'] },
    ]
    const body = (await (
      await graphBatch(sim(), await getToken(sim(), 'graph'), requests)
    ).json()) as BatchResponse
    expect(body.responses.find((r) => r.id === '2')?.status).toBe(424)
  })
})

describe('Graph $batch under item faults', () => {
  const sim = useSimulator({
    faults: { rate: 0.5, kinds: ['429'], batchItems: true, seed: 7, retryAfterSeconds: 0.25 },
  })

  it('returns per-item 429 TooManyRequests with a decimal Retry-After inside a 200 envelope', async () => {
    const token = await getToken(sim(), 'graph')
    // The envelope itself may draw a fault too; retry it like a client would.
    let response = await graphBatch(sim(), token, twenty())
    while (response.status === 429) response = await graphBatch(sim(), token, twenty())
    expect(response.status).toBe(200)
    const body = (await response.json()) as BatchResponse
    const throttled = body.responses.filter((r) => r.status === 429)
    expect(throttled.length).toBeGreaterThan(0)
    expect(throttled.length).toBeLessThan(20)
    expect(throttled[0]?.headers['Retry-After']).toBe('0.25')
    expect(throttled[0]?.body.error.code).toBe('TooManyRequests')
    expect(sim().requests.faults['429']).toBeGreaterThanOrEqual(throttled.length)
  })
})
