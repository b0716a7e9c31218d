/**
 * `forwarding-audit status`: before the first audit, a newcomer learns exactly what the app has
 * and what to grant, from the same check the API's status endpoint uses.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { TenantSnapshot } from '../../core/index.ts'
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { oneCleanLine, runCliAsync } from './run-cli.ts'

const tenant: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))

/** Every Graph permission a live audit can use, optional ones too. */
const EVERY_GRAPH_ROLE = [
  'User.Read.All',
  'MailboxSettings.Read',
  'Mail.ReadBasic.All',
  'AuditLogsQuery.Read.All',
]

async function status(options: Partial<SimulatorOptions> = {}) {
  const sim: Simulator = await startSimulator({ tenant, ca: testCaFromEnv(), ...options })
  try {
    return await runCliAsync(['status'], {
      AZURE_TENANT_ID: sim.tenantId,
      AZURE_CLIENT_ID: sim.clientId,
      AZURE_CLIENT_SECRET: sim.clientSecret,
      AZURE_AUTHORITY_HOST: sim.authorityHost,
      GRAPH_ENDPOINT: sim.graphEndpoint,
      EXCHANGE_ENDPOINT: sim.exchangeEndpoint,
    })
  } finally {
    await sim.close()
  }
}

describe('forwarding-audit status', () => {
  it('an app with every permission and role is ready: exit 0, every check ok', async () => {
    const result = await status({ app: { graphRoles: EVERY_GRAPH_ROLE } })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^ok\s+MailboxSettings\.Read/m)
    expect(result.stdout).toMatch(/^ok\s+Exchange\.ManageAsApp/m)
    expect(result.stdout).toMatch(/^ok\s+Exchange role \(Get-InboxRule\)/m)
    expect(result.stdout).toMatch(/^ok\s+Graph messageRules/m)
    expect(result.stdout).toMatch(
      /^ok\s+Graph transitiveMemberOf \(User\.Read\.All\) \(optional\)/m
    )
    expect(result.stdout).not.toMatch(/MISSING/)
    expect(result.stdout).toMatch(/ready: the app can run a live audit/)
  })

  it('probes what journal rules, outbound connectors and folder names need, which audits read', async () => {
    const result = await status({ app: { graphRoles: EVERY_GRAPH_ROLE } })
    expect(result.status, result.stderr).toBe(0)
    for (const cmdlet of ['Get-TransportRule', 'Get-JournalRule', 'Get-OutboundConnector']) {
      expect(result.stdout).toMatch(
        new RegExp(`^ok\\s+Exchange role \\(${cmdlet}\\) \\(optional\\)`, 'm')
      )
    }
    expect(result.stdout).toMatch(/^ok\s+Graph mailFolders \(Mail\.ReadBasic\.All\) \(optional\)/m)
  })

  it('a role without Get-JournalRule or Get-OutboundConnector, or no Mail.ReadBasic.All, is named with its fix', async () => {
    const result = await status({
      app: {
        graphRoles: ['User.Read.All', 'MailboxSettings.Read'],
        deniedCmdlets: ['Get-JournalRule', 'Get-OutboundConnector'],
      },
    })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^MISSING\s+Exchange role \(Get-JournalRule\) \(optional\)/m)
    expect(result.stdout).toMatch(
      /^MISSING\s+Exchange role \(Get-OutboundConnector\) \(optional\)/m
    )
    expect(result.stdout).toMatch(
      /fix: assign the app the Global Reader role.*--include-transport-rules/
    )
    expect(result.stdout).toMatch(
      /^MISSING\s+Graph mailFolders \(Mail\.ReadBasic\.All\) \(optional\)/m
    )
    expect(result.stdout).toMatch(
      /fix: grant the Microsoft Graph application permission Mail\.ReadBasic\.All/
    )
    expect(result.stdout).toMatch(/ready: the app can run a live audit/)
  })

  it('a missing Graph permission is named with the grant that fixes it: exit 3', async () => {
    const result = await status({ app: { graphRoles: ['User.Read.All'] } })
    expect(result.status).toBe(3)
    expect(result.stdout).toMatch(/^MISSING\s+MailboxSettings\.Read: not in the token$/m)
    expect(result.stdout).toMatch(
      /fix: grant the Microsoft Graph application permission MailboxSettings\.Read/
    )
    expect(result.stdout).toMatch(/not ready/)
  })

  it('without User.Read.All the app is still ready: the group-membership check is optional', async () => {
    const result = await status({ app: { graphRoles: ['MailboxSettings.Read'] } })
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /^MISSING\s+Graph transitiveMemberOf \(User\.Read\.All\) \(optional\)/m
    )
    expect(result.stdout).toMatch(/fix: grant .*User\.Read\.All.*scoped to groups/)
    expect(result.stdout).toMatch(/ready: the app can run a live audit/)
  })

  it('a missing Exchange permission and a missing role are named too', async () => {
    const noExchange = await status({ app: { exchangeManageAsApp: false } })
    expect(noExchange.status).toBe(3)
    expect(noExchange.stdout).toMatch(/^MISSING\s+Exchange\.ManageAsApp/m)
    const noRole = await status({ app: { deniedCmdlets: ['Get-InboxRule'] } })
    expect(noRole.status).toBe(3)
    expect(noRole.stdout).toMatch(/^MISSING\s+Exchange role \(Get-InboxRule\)/m)
    expect(noRole.stdout).toMatch(/fix: assign the app the Global Reader role/)
  })

  it('the audit log is optional: without AuditLogsQuery the Search-UnifiedAuditLog fallback is probed', async () => {
    const graphRoles = ['User.Read.All', 'MailboxSettings.Read']
    const fallback = await status({ app: { graphRoles } })
    expect(fallback.status, fallback.stderr).toBe(0)
    expect(fallback.stdout).toMatch(
      /^ok\s+Audit log \(AuditLogsQuery-Exchange\.Read\.All\) \(optional\): not in the token, but Search-UnifiedAuditLog answers/m
    )
    const neither = await status({ app: { graphRoles, deniedCmdlets: ['Search-UnifiedAuditLog'] } })
    expect(neither.status, neither.stderr).toBe(0)
    expect(neither.stdout).toMatch(
      /^MISSING\s+Audit log .*\(optional\): .*findings will be undated/m
    )
    expect(neither.stdout).toMatch(
      /fix: grant the Microsoft Graph application permission AuditLogsQuery-Exchange\.Read\.All/
    )
    expect(neither.stdout).toMatch(/ready: the app can run a live audit/)
  })

  it('a wrong secret fails the token check, naming the setting, never the secret', async () => {
    const sim = await startSimulator({ tenant, ca: testCaFromEnv() })
    try {
      const result = await runCliAsync(['status'], {
        AZURE_TENANT_ID: sim.tenantId,
        AZURE_CLIENT_ID: sim.clientId,
        AZURE_CLIENT_SECRET: 'not-the-secret-1234',
        AZURE_AUTHORITY_HOST: sim.authorityHost,
        GRAPH_ENDPOINT: sim.graphEndpoint,
        EXCHANGE_ENDPOINT: sim.exchangeEndpoint,
      })
      expect(result.status).toBe(3)
      expect(result.stdout).toMatch(/^MISSING\s+Microsoft Graph token: .*AZURE_CLIENT_SECRET/m)
      expect(result.stdout + result.stderr).not.toContain('not-the-secret-1234')
    } finally {
      await sim.close()
    }
  })

  it('without credentials it says what to set, in one line: exit 2', async () => {
    const result = await runCliAsync(['status'])
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toMatch(/status checks a live tenant: set AZURE_TENANT_ID/)
  })
})
