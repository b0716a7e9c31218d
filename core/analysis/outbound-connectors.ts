/**
 * @module analysis/outbound-connectors
 * Where a transport rule that routes mail through an outbound connector
 * (`RouteMessageOutboundConnector`) sends it: to the recipients' own mail servers when the
 * connector delivers by MX, else to its smart hosts, which are inside the tenant only when they
 * are hosts of its accepted domains (docs/microsoft-apis.md §5.10). A smart host may imitate
 * the tenant like an address can, and a connector made or changed just before the audit is a
 * sign of its own: an attacker adds the connector with the rule.
 */
import type { RiskFactor } from '../model/findings.ts'
import type { OutboundConnector, TenantSettings } from '../model/tenant.ts'
import { riskFactor } from '../risk/risk-table.ts'
import type { Destination } from './destinations.ts'
import { lookalikeMatcher } from './lookalike.ts'

/** How far back a connector's own creation or change counts as recent. */
export const CONNECTOR_RECENT_DAYS = 30

/** A connector route as a destination, with the factors that follow from the connector. */
export interface ConnectorRoute {
  destination: Destination
  factors: RiskFactor[]
  /** What the report adds to "Routes mail through connector …". */
  note?: string
}

export type ConnectorRoutes = (name: string) => ConnectorRoute

const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?|[0-9a-f:]*:[0-9a-f:]*(?:\/\d{1,3})?)$/i

/**
 * Routes over the tenant's connectors. Without them (not read) a route is a connector of unknown
 * destination, counted as leaving the tenant. `now` is the audit's reference time.
 */
export function connectorRoutes(settings: TenantSettings, now: Date | undefined): ConnectorRoutes {
  const connectors = settings.outboundConnectors
  const internal = settings.acceptedDomains
    .filter((d) => d.type !== 'ExternalRelay')
    .map((d) => d.name.toLowerCase())
  const imitates = lookalikeMatcher(settings.acceptedDomains.map((d) => d.name))
  const insideTenant = (host: string) =>
    !IP.test(host) && internal.some((d) => host === d || host.endsWith(`.${d}`))

  return (name) => {
    const label = `connector:${name}`
    if (!connectors) return { destination: unknown(label), factors: [] }
    const connector = connectors.find((c) => c.name.toLowerCase() === name.trim().toLowerCase())
    if (!connector) {
      return {
        destination: unknown(label),
        factors: [],
        note: 'which Get-OutboundConnector does not list: where it delivers is unknown',
      }
    }
    const factors = connectorFactors(connector, now)
    const note = describe(connector)
    if (connector.useMxRecord) {
      // Delivery by MX: the mail still goes to its own recipients, only by another path.
      return {
        destination: { ...unknown(`${label} (MX of each recipient)`), external: false },
        factors,
        note,
      }
    }
    const hosts = connector.smartHosts
    if (hosts.length === 0) {
      return { destination: unknown(label), factors, note: `${note}, which has no smart host` }
    }
    const outside = hosts.filter((host) => !insideTenant(host))
    // Only a host outside the tenant can imitate it (mail.contoso.com is contoso's own).
    const lookalike = outside
      .filter((host) => !IP.test(host))
      .map((host) => ({ host, brand: imitates(host.replace(/^\*\./, '')) }))
      .find((hit) => hit.brand !== undefined)
    if (outside.length > 0) {
      factors.unshift(
        riskFactor(
          'external_forwarding',
          `Connector ${name} delivers to smart hosts outside the tenant: ${outside.join(', ')}`
        )
      )
    }
    if (lookalike) {
      factors.push(
        riskFactor(
          'lookalike_domain',
          `Smart host ${lookalike.host} imitates the accepted domain ${lookalike.brand}`
        )
      )
    }
    const shown = outside[0] ?? hosts[0] ?? ''
    return {
      destination: {
        label: `${label} → ${hosts.join(', ')}`,
        ...(IP.test(shown) ? {} : { domain: shown }),
        external: outside.length > 0,
        freemail: false,
        ...(lookalike?.brand ? { imitates: lookalike.brand } : {}),
        hiddenFromAddressLists: false,
        unresolved: false,
      },
      factors,
      note,
    }
  }
}

/** What the connector is, for the route's factor: `(Partner, rule-scoped, smart hosts …)`. */
function describe(c: OutboundConnector): string {
  const parts = [
    c.type,
    ...(c.transportRuleScoped ? ['used only by transport rules'] : []),
    ...(c.testMode ? ['in test mode'] : []),
    c.useMxRecord ? 'delivering by MX' : `to smart hosts ${c.smartHosts.join(', ') || '(none)'}`,
    ...(c.recipientDomains.length > 0 ? [`for ${c.recipientDomains.join(', ')}`] : []),
  ]
  return `(${parts.join(', ')})`
}

function connectorFactors(connector: OutboundConnector, now: Date | undefined): RiskFactor[] {
  const factors: RiskFactor[] = []
  const latest = [connector.whenCreated, connector.whenChanged]
    .filter((t): t is string => t !== undefined)
    .sort()
    .at(-1)
  if (now && latest && Date.parse(latest) >= now.getTime() - CONNECTOR_RECENT_DAYS * 86_400_000) {
    const what = latest === connector.whenCreated ? 'created' : 'changed'
    factors.push(
      riskFactor(
        'connector_recently_changed',
        `Connector ${connector.name} was ${what} ${latest.slice(0, 10)}`
      )
    )
  }
  if (!connector.enabled) {
    factors.push(
      riskFactor(
        'disabled',
        `Connector ${connector.name} is disabled: no mail is routed through it now`
      )
    )
  }
  return factors
}

/** A connector whose delivery the audit cannot see: counted as leaving the tenant. */
function unknown(label: string): Destination {
  return {
    label,
    external: true,
    freemail: false,
    hiddenFromAddressLists: false,
    unresolved: false,
  }
}
