/**
 * A transport rule that routes mail through an outbound connector (RouteMessageOutboundConnector)
 * is judged by where that connector delivers (Get-OutboundConnector, docs/microsoft-apis.md
 * §5.10): smart hosts outside the tenant are external, a look-alike smart host is a look-alike,
 * delivery by MX goes to the recipients themselves, and a connector made or changed just before
 * the audit is a factor of its own.
 */
import { describe, expect, it } from 'vitest'
import { normalizeOutboundConnector } from '../../core/normalize/outbound-connector.ts'
import { audit, categoriesOf, onlyFinding, tenant } from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
const ORG = { all_users: true, include_transport_rules: true }

/** A narrow rule (one subject), so the connector's own factors stand out in the score. */
const routing = (connector: string, fields: Record<string, unknown> = {}) =>
  tenant()
    .mailbox(ALEX)
    .withBothViews()
    .transportRule({
      Name: 'Route Atlas mail',
      SubjectContainsWords: ['project atlas'],
      Conditions: ['Microsoft.Exchange.MessagingPolicies.Rules.Tasks.SubjectContainsPredicate'],
      RouteMessageOutboundConnector: connector,
      ...fields,
    })

describe('Get-OutboundConnector rows', () => {
  it('the REST shape: hosts, domains, delivery, scope, times', () => {
    expect(
      normalizeOutboundConnector({
        Name: 'Relay',
        Guid: '5d0c3f1e-7a2b-4c9d-8e6f-0a1b2c3d4e5f',
        Enabled: true,
        ConnectorType: 'Partner',
        SmartHosts: ['SMTP.Relay.example', '203.0.113.9'],
        RecipientDomains: ['*.partner.example'],
        UseMXRecord: false,
        IsTransportRuleScoped: true,
        TestMode: false,
        WhenCreatedUTC: '2026-11-14T02:19:02.0000000Z',
        WhenChangedUTC: '2026-11-14T02:19:02.0000000Z',
      })
    ).toEqual({
      id: '5d0c3f1e-7a2b-4c9d-8e6f-0a1b2c3d4e5f',
      name: 'Relay',
      enabled: true,
      type: 'Partner',
      smartHosts: ['smtp.relay.example', '203.0.113.9'],
      recipientDomains: ['*.partner.example'],
      useMxRecord: false,
      transportRuleScoped: true,
      testMode: false,
      whenCreated: '2026-11-14T02:19:02.000Z',
      whenChanged: '2026-11-14T02:19:02.000Z',
    })
  })

  it('PowerShell objects, a bare string and missing defaults (enabled, by MX)', () => {
    const connector = normalizeOutboundConnector({
      Name: 'Relay',
      SmartHosts: { Address: 'smtp.relay.example', IsIPAddress: false },
      RecipientDomains: 'partner.example, other.example',
    })
    expect(connector).toMatchObject({
      enabled: true,
      useMxRecord: true,
      smartHosts: ['smtp.relay.example'],
      recipientDomains: ['partner.example', 'other.example'],
    })
  })
})

describe('a transport rule routed through a connector', () => {
  it('to smart hosts outside the tenant forwards externally, to those hosts', async () => {
    const finding = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        UseMXRecord: false,
        SmartHosts: ['smtp.mailrelay-eu.example'],
        IsTransportRuleScoped: true,
      }),
      ORG
    )
    expect(finding).toMatchObject({
      type: 'transport_rule',
      destination: 'connector:Relay → smtp.mailrelay-eu.example',
      external: true,
      action: 'outbound_connector',
      risk_score: 50,
    })
    expect(categoriesOf(finding).sort()).toEqual([
      'external_forwarding',
      'outbound_connector_route',
    ])
    expect(
      finding.risk_factors.find((f) => f.category === 'external_forwarding')?.description
    ).toBe('Connector Relay delivers to smart hosts outside the tenant: smtp.mailrelay-eu.example')
    expect(
      finding.risk_factors.find((f) => f.category === 'outbound_connector_route')?.description
    ).toBe(
      'Routes mail through connector "Relay" (Partner, used only by transport rules, to smart hosts smtp.mailrelay-eu.example)'
    )
  })

  it('to a smart host that imitates the tenant is a look-alike', async () => {
    const finding = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        UseMXRecord: false,
        SmartHosts: ['mail.c0ntoso.com'],
      }),
      ORG
    )
    expect(categoriesOf(finding)).toContain('lookalike_domain')
    expect(finding.risk_score).toBe(85)
  })

  it('to an IP address cannot be shown to stay inside: external', async () => {
    const finding = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        UseMXRecord: false,
        SmartHosts: ['203.0.113.25'],
      }),
      ORG
    )
    expect(finding).toMatchObject({ destination: 'connector:Relay → 203.0.113.25', external: true })
  })

  it('to the tenant’s own on-premises host stays inside', async () => {
    const finding = await onlyFinding(
      routing('To on-premises').outboundConnector({
        Name: 'To on-premises',
        ConnectorType: 'OnPremises',
        UseMXRecord: false,
        SmartHosts: ['mail.contoso.com'],
      }),
      ORG
    )
    expect(finding.external).toBe(false)
    expect(categoriesOf(finding)).toEqual(['outbound_connector_route'])
  })

  it('that delivers by MX still reaches only the recipients: not external', async () => {
    const finding = await onlyFinding(
      routing('TLS to partner').outboundConnector({ Name: 'TLS to partner', UseMXRecord: true }),
      ORG
    )
    expect(finding).toMatchObject({
      destination: 'connector:TLS to partner (MX of each recipient)',
      external: false,
    })
  })

  it('made days before the audit carries that as a factor; an old one does not', async () => {
    const recent = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        UseMXRecord: false,
        SmartHosts: ['smtp.mailrelay-eu.example'],
        WhenCreatedUTC: '2026-11-14T02:19:02.0000000Z',
        WhenChangedUTC: '2026-11-14T02:19:02.0000000Z',
      }),
      ORG
    )
    expect(recent.risk_factors.find((f) => f.category === 'connector_recently_changed')).toEqual({
      category: 'connector_recently_changed',
      description: 'Connector Relay was created 2026-11-14',
      score: 15,
    })
    const old = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        UseMXRecord: false,
        SmartHosts: ['smtp.mailrelay-eu.example'],
      }),
      ORG
    )
    expect(categoriesOf(old)).not.toContain('connector_recently_changed')
  })

  it('that is disabled routes nothing now', async () => {
    const finding = await onlyFinding(
      routing('Relay').outboundConnector({
        Name: 'Relay',
        Enabled: false,
        UseMXRecord: false,
        SmartHosts: ['smtp.mailrelay-eu.example'],
      }),
      ORG
    )
    expect(categoriesOf(finding)).toContain('disabled')
  })

  it('that Get-OutboundConnector does not list is of unknown destination, counted as external', async () => {
    const finding = await onlyFinding(
      routing('Ghost').outboundConnector({ Name: 'Relay', UseMXRecord: true }),
      ORG
    )
    expect(finding).toMatchObject({ destination: 'connector:Ghost', external: true })
    expect(
      finding.risk_factors.find((f) => f.category === 'outbound_connector_route')?.description
    ).toBe(
      'Routes mail through connector "Ghost", which Get-OutboundConnector does not list: where it delivers is unknown'
    )
  })
})

describe('coverage', () => {
  it('a snapshot without outboundConnectors cannot say where a routing rule delivers', async () => {
    const report = await audit(routing('Relay'), ORG)
    expect(report.data.findings[0]).toMatchObject({
      destination: 'connector:Relay',
      external: true,
    })
    expect(report.data.summary.incomplete_reasons).toEqual([
      expect.stringMatching(
        /^outbound connectors not read: .* where transport rule "Route Atlas mail" routes mail is unknown/
      ),
    ])
  })

  it('without a rule that routes through a connector, their absence is no gap', async () => {
    const report = await audit(tenant().mailbox(ALEX).withBothViews(), ORG)
    expect(report.data.summary.complete).toBe(true)
  })
})
