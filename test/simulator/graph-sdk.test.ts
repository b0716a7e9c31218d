import { Client } from '@microsoft/microsoft-graph-client'
import { describe, expect, it } from 'vitest'
import { getToken, useSimulator } from './test-helpers.ts'

describe('the real Graph SDK against the simulator', () => {
  const sim = useSimulator()

  it('reads messageRules over https with the Authorization header attached (customHosts)', async () => {
    const token = await getToken(sim(), 'graph')
    const client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: sim().graphEndpoint,
      customHosts: new Set(['localhost']),
    })
    sim().resetRequests()
    const body = await client.api('/users/adele@contoso.com/mailFolders/inbox/messageRules').get()
    expect(body.value[0].displayName).toBe('Forward invoices')
    // A request without the header would have been a 401 GraphError instead.
    expect(sim().requests.byStatus).toEqual({ '200': 1 })
  })

  it('surfaces a 404 as GraphError with Graph code', async () => {
    const token = await getToken(sim(), 'graph')
    const client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: sim().graphEndpoint,
      customHosts: new Set(['localhost']),
    })
    await expect(
      client.api('/users/lynne@contoso.com/mailFolders/inbox/messageRules').get()
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'MailboxNotEnabledForRESTAPI',
    })
  })
})
