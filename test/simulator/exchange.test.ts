import { describe, expect, it } from 'vitest'
import {
  type Envelope,
  getToken,
  invoke,
  invokeUrl,
  smallTenant,
  useSimulator,
} from './test-helpers.ts'

interface ExoError {
  error: {
    code: string
    message: string
    details?: Array<{ code: string; target: string; message: string }>
    innererror: { internalexception: { message: string; type: string } }
  }
}

describe('Exchange InvokeCommand', () => {
  const sim = useSimulator()

  it('wraps rows in the OData envelope with an empty @adminapi.warnings array', async () => {
    const response = await invoke(sim(), await getToken(sim(), 'exchange'), 'Get-AcceptedDomain')
    expect(response.status).toBe(200)
    const body = (await response.json()) as Envelope
    expect(Object.keys(body)).toEqual([
      '@odata.context',
      'adminapi.warnings@odata.type',
      '@adminapi.warnings',
      'value',
    ])
    expect(body['@odata.context']).toMatch(/\$metadata#Collection\(Exchange\.GenericHashTable\)$/)
    expect(body['@adminapi.warnings']).toEqual([])
    expect(body.value.map((d) => d.DomainName)).toEqual(['contoso.com', 'contoso.onmicrosoft.com'])
  })

  it('shows hidden inbox rules only with IncludeHidden', async () => {
    const token = await getToken(sim(), 'exchange')
    const names = async (parameters: Record<string, unknown>) => {
      const body = (await (
        await invoke(sim(), token, 'Get-InboxRule', parameters)
      ).json()) as Envelope
      return body.value.map((r) => r.Name)
    }
    expect(await names({ Mailbox: 'alex@contoso.com' })).toEqual(['Move newsletters'])
    expect(await names({ Mailbox: 'alex@contoso.com', IncludeHidden: true })).toEqual([
      'Junk E-mail Rule',
      'Move newsletters',
      '.',
    ])
  })

  it('writes RuleIdentity as the exact integer above 2^63', async () => {
    const token = await getToken(sim(), 'exchange')
    const text = await (await invoke(sim(), token, 'Get-InboxRule', { Mailbox: 'adele' })).text()
    expect(text).toContain('"RuleIdentity":15394007230974001153')
    expect(text).toContain(
      '"Identity":"0b4f6c1e-2a3d-4e5f-9a8b-7c6d5e4f3a21\\\\15394007230974001153"'
    )
  })

  it.each([
    ['an unknown mailbox', 'nobody@contoso.com'],
    ['an unreadable snapshot mailbox', 'lynne@contoso.com'],
  ])(
    'answers Get-InboxRule for %s with 400 ManagementObjectNotFoundException',
    async (_name, mailbox) => {
      const response = await invoke(sim(), await getToken(sim(), 'exchange'), 'Get-InboxRule', {
        Mailbox: mailbox,
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as ExoError
      expect(body.error.message).toBe('Invalid Operation')
      expect(body.error.details?.[0]?.message).toMatch(
        new RegExp(
          `^Ex6F9304\\|Microsoft\\.Exchange\\.Configuration\\.Tasks\\.ManagementObjectNotFoundException\\|The operation couldn't be performed because object '${mailbox}' couldn't be found on '.+'\\.$`
        )
      )
      expect(body.error.innererror.internalexception.type).toBe(
        'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException'
      )
    }
  )

  it('pages Get-Mailbox with maxpagesize, continued by re-POSTing the same body to the nextLink', async () => {
    const token = await getToken(sim(), 'exchange')
    const prefer = { Prefer: 'odata.maxpagesize=3' }
    const names: string[] = []
    let url: string | undefined = invokeUrl(
      sim(),
      '?$select=UserPrincipalName,ForwardingSmtpAddress'
    )
    let pages = 0
    while (url) {
      const response = await invoke(
        sim(),
        token,
        'Get-Mailbox',
        { ResultSize: 'Unlimited' },
        { url, headers: prefer }
      )
      expect(response.status).toBe(200)
      const body = (await response.json()) as Envelope<{ UserPrincipalName: string }>
      names.push(...body.value.map((m) => m.UserPrincipalName))
      for (const row of body.value)
        expect(Object.keys(row)).toEqual(['UserPrincipalName', 'ForwardingSmtpAddress'])
      url = body['@odata.nextLink']
      if (url) {
        expect(url).toMatch(/InvokeCommand\?.*%24skiptoken=/)
        expect(body['@adminapi.warnings'][0]).toMatch(/^There are more results available/)
      } else {
        expect(body['@adminapi.warnings']).toEqual([])
      }
      pages++
    }
    expect(pages).toBe(3)
    expect(names).toHaveLength(7)
  })

  it('returns everything for ResultSize Unlimited without maxpagesize', async () => {
    const body = (await (
      await invoke(sim(), await getToken(sim(), 'exchange'), 'Get-Mailbox', {
        ResultSize: 'Unlimited',
      })
    ).json()) as Envelope
    expect(body.value).toHaveLength(7)
    expect(body['@odata.nextLink']).toBeUndefined()
    // Real rows carry type annotations beside their values (5.3).
    expect(body.value[0]).toMatchObject({
      'EmailAddresses@odata.type': '#Collection(String)',
      'Guid@data.type': 'System.Guid',
    })
  })

  it('rejects a nextLink replayed with another body', async () => {
    const token = await getToken(sim(), 'exchange')
    const first = (await (
      await invoke(sim(), token, 'Get-Mailbox', { ResultSize: 2 })
    ).json()) as Envelope
    const next = first['@odata.nextLink'] as string
    const response = await invoke(sim(), token, 'Get-Recipient', {}, { url: next })
    expect(response.status).toBe(400)
    const body = (await response.json()) as ExoError
    expect(body.error.innererror.internalexception.message).toMatch(
      /^Expired or Invalid pagination request/
    )
  })

  it('resolves Get-Recipient by LegacyExchangeDN', async () => {
    const token = await getToken(sim(), 'exchange')
    const dn =
      '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=a1b2c3d4e5f6-partnercontact'
    const body = (await (
      await invoke(sim(), token, 'Get-Recipient', { Identity: dn })
    ).json()) as Envelope
    expect(body.value.map((r) => r.PrimarySmtpAddress)).toEqual(['partner@fabrikam.example'])
  })

  it('returns transport rules and the default tenant forwarding controls', async () => {
    const token = await getToken(sim(), 'exchange')
    const rules = (await (await invoke(sim(), token, 'Get-TransportRule')).json()) as Envelope
    expect(rules.value[0]).toMatchObject({
      Name: 'Bcc outbound to archive',
      BlindCopyTo: ['archive@evil.example'],
    })
    const policy = (await (
      await invoke(sim(), token, 'Get-HostedOutboundSpamFilterPolicy')
    ).json()) as Envelope
    expect(policy.value[0]?.AutoForwardingMode).toBe('Automatic')
    const remote = (await (await invoke(sim(), token, 'Get-RemoteDomain')).json()) as Envelope
    expect(remote.value[0]?.AutoForwardEnabled).toBe(true)
  })

  it('answers an unknown cmdlet with 403 and a body of NUL bytes', async () => {
    const response = await invoke(sim(), await getToken(sim(), 'exchange'), 'Set-Mailbox', {
      Identity: 'adele',
    })
    expect(response.status).toBe(403)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(bytes.length).toBeGreaterThan(1000)
    expect(bytes.every((b) => b === 0)).toBe(true)
  })

  it('answers a bogus parameter with 400 Invalid Operation (AmbiguousParameterSetException)', async () => {
    const response = await invoke(sim(), await getToken(sim(), 'exchange'), 'Get-Mailbox', {
      BogusParameter: 1,
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as ExoError
    expect(body.error.details?.[0]?.message).toBe(
      '|Microsoft.Exchange.AdminApi.CommandInvocation.AmbiguousParameterSetException|Parameter set cannot be resolved using the specified named parameters. Invalid cmdlet parameters specified. BogusParameter'
    )
  })
})

describe('Exchange limits and service time', () => {
  const sim = useSimulator({
    cmdletLatencyMs: { 'Get-InboxRule': 250 },
    limits: { exchangeConcurrency: 10 },
    app: { deniedCmdlets: ['Get-Mailbox'] },
  })

  it('charges the configured service time per Get-InboxRule execution', async () => {
    const token = await getToken(sim(), 'exchange')
    const started = performance.now()
    const response = await invoke(sim(), token, 'Get-InboxRule', { Mailbox: 'adele@contoso.com' })
    expect(response.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
  })

  it('runs a $batch of 10 Get-InboxRule concurrently and refuses 11', async () => {
    const token = await getToken(sim(), 'exchange')
    const url = invokeUrl(sim())
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: String(i),
        method: 'POST',
        url,
        body: {
          CmdletInput: {
            CmdletName: 'Get-InboxRule',
            Parameters: { Mailbox: 'alex@contoso.com', IncludeHidden: true },
          },
        },
        headers: { 'Content-Type': 'application/json' },
      }))
    const post = (n: number) =>
      fetch(`${sim().exchangeEndpoint}/adminapi/beta/${sim().tenantId}/$batch`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ requests: items(n) }),
      })
    sim().resetRequests()
    const response = await post(10)
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      responses: Array<{ id: string; status: number; body: Envelope }>
    }
    expect(body.responses).toHaveLength(10)
    expect(body.responses.every((r) => r.status === 200 && r.body.value.length === 3)).toBe(true)
    expect(sim().requests.byRoute['invokeCommand:Get-InboxRule']).toBe(10)
    expect(sim().requests.batchItems.exchange).toBe(10)
    expect(sim().requests.maxConcurrency.cmdlets).toBe(10)
    expect(sim().requests.byMailbox['alex@contoso.com']).toBe(10)
    expect((await post(11)).status).toBe(400)
  })

  it('answers a cmdlet the app role does not allow with 403', async () => {
    const response = await invoke(sim(), await getToken(sim(), 'exchange'), 'Get-Mailbox')
    expect(response.status).toBe(403)
  })
})

describe('Exchange tenant concurrency', () => {
  // Each cmdlet is held long enough that all twelve overlap even on a loaded machine, where
  // opening twelve TLS connections can take longer than a realistic service time.
  const sim = useSimulator({
    cmdletLatencyMs: { 'Get-InboxRule': 2000 },
    limits: { exchangeConcurrency: 10 },
  })

  it('throttles cmdlets over the tenant concurrency cap with the plain-text 429', async () => {
    const token = await getToken(sim(), 'exchange')
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        invoke(sim(), token, 'Get-InboxRule', { Mailbox: 'megan@contoso.com' })
      )
    )
    const throttled = responses.filter((r) => r.status === 429)
    expect(throttled.length).toBeGreaterThanOrEqual(2)
    expect(throttled[0]?.headers.get('retry-after')).toBe('0.05')
    expect(await throttled[0]?.text()).toBe(
      'You have reached the maximum number of concurrent requests per tenant. Please wait and try again'
    )
  })
})

describe('Exchange journal rules and outbound connectors (docs/microsoft-apis.md §5.10, 5.11)', () => {
  const connector = (Name: string, fields: Record<string, unknown>) => ({
    Name,
    UseMXRecord: false,
    SmartHosts: [`smtp.${Name.toLowerCase()}.example`],
    ...fields,
  })
  const sim = useSimulator({
    tenant: {
      ...smallTenant(),
      journalRules: [
        { Name: 'Vault', JournalEmailAddress: 'journal@ledgerline.example', Scope: 'Global' },
      ],
      outboundConnectors: [
        connector('Plain', {}),
        connector('Scoped', { IsTransportRuleScoped: true }),
        connector('Trial', { TestMode: true }),
      ],
    },
  })
  const names = async (response: Response) =>
    ((await response.json()) as Envelope).value.map((row) => row.Name)

  it('Get-OutboundConnector filters as its page reads: both switches default to $false', async () => {
    const token = await getToken(sim(), 'exchange')
    expect(await names(await invoke(sim(), token, 'Get-OutboundConnector'))).toEqual(['Plain'])
    expect(
      await names(
        await invoke(sim(), token, 'Get-OutboundConnector', { IsTransportRuleScoped: true })
      )
    ).toEqual(['Scoped'])
    expect(
      await names(
        await invoke(sim(), token, 'Get-OutboundConnector', { IncludeTestModeConnectors: true })
      )
    ).toEqual(['Trial'])
  })

  it('Get-JournalRule returns every rule, for an unknown -Identity too (as its page warns)', async () => {
    const token = await getToken(sim(), 'exchange')
    const rows = ((await (await invoke(sim(), token, 'Get-JournalRule')).json()) as Envelope).value
    expect(rows).toEqual([
      expect.objectContaining({
        Name: 'Vault',
        Identity: 'Vault',
        JournalEmailAddress: 'journal@ledgerline.example',
        Guid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    ])
    const unknown = await invoke(sim(), token, 'Get-JournalRule', { Identity: 'Nope' })
    expect(await names(unknown)).toEqual(['Vault'])
  })
})
