/**
 * The organization-level paths a live audit reads with transport rules, against the simulator:
 * journal rules and the outbound connectors transport rules route through, in one admin
 * `$batch` (docs/microsoft-apis.md §5.10, 5.11), judged as a snapshot of the same tenant is.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  type AuditReport,
  exportSnapshot,
  runAudit,
  snapshotSource,
  type TenantSnapshot,
} from '../../core/index.ts'
import { tenant } from '../core/tenant-builder.ts'
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { connectSimulator } from './connect-simulator.ts'

const ALEX = 'alex.wilber@contoso.com'
const ORG = { all_users: true, include_transport_rules: true }
const relay = (name: string, fields: Record<string, unknown>) => ({
  Name: name,
  UseMXRecord: false,
  SmartHosts: [`smtp.${name.toLowerCase()}.example`],
  ...fields,
})

/** Four connectors, one per filter combination Get-OutboundConnector has, and a journal rule. */
const snapshot = () =>
  tenant()
    .mailbox(ALEX)
    .transportRule({ Name: 'Route to scoped', RouteMessageOutboundConnector: 'Scoped' })
    .transportRule({ Name: 'Route to trial', RouteMessageOutboundConnector: 'Trial' })
    .outboundConnector(relay('Plain', {}))
    .outboundConnector(relay('Scoped', { IsTransportRuleScoped: true }))
    .outboundConnector(relay('Trial', { TestMode: true }))
    .outboundConnector(relay('Both', { TestMode: true, IsTransportRuleScoped: true }))
    .journalRule({ Name: 'Vault', JournalEmailAddress: 'journal@ledgerline.example' })
    .build() as unknown as TenantSnapshot

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

async function simulate(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({ tenant: snapshot(), ca: testCaFromEnv(), ...options })
  return sim
}

const digest = (report: AuditReport) =>
  report.data.findings.map((f) => [f.type, f.rule_name, f.destination, f.risk_score]).sort()

describe('a live audit with transport rules', () => {
  it('reads journal rules and every outbound connector, rule-scoped and test-mode ones too, in one $batch', async () => {
    const s = await simulate()
    const reader = connectSimulator(s).reader
    const live = await reader.readTenant({ kind: 'all' }, true)
    const names = (live.data.outboundConnectors as { Name: string }[]).map((c) => c.Name).sort()
    expect(names).toEqual(['Both', 'Plain', 'Scoped', 'Trial'])
    expect(live.data.journalRules).toHaveLength(1)
    expect(s.requests.byRoute).toMatchObject({
      'invokeCommand:Get-JournalRule': 1,
      'invokeCommand:Get-OutboundConnector': 4,
    })
    expect(s.requests.batchSizes.exchange).toEqual({ '5': 1 })
    expect(live.warnings).toEqual([])
  })

  it('finds what the audit of the same tenant as a snapshot finds', async () => {
    const s = await simulate()
    const live = await runAudit(ORG, connectSimulator(s).source)
    const offline = await runAudit(ORG, snapshotSource(snapshot()))
    expect(digest(live)).toEqual(digest(offline))
    expect(digest(live)).toContainEqual([
      'transport_rule',
      'Route to scoped',
      'connector:Scoped → smtp.scoped.example',
      100,
    ])
    expect(live.data.summary.sources).toEqual(
      expect.arrayContaining(['Get-JournalRule', 'Get-OutboundConnector'])
    )
  })

  it('names a journal-rule read the app’s role refuses, and audits the rest', async () => {
    const s = await simulate({ app: { deniedCmdlets: ['Get-JournalRule'] } })
    const report = await runAudit(ORG, connectSimulator(s).source)
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.incomplete_reasons).toEqual([
      expect.stringMatching(
        /^Get-JournalRule not read: Get-JournalRule is not allowed for the app/
      ),
    ])
    expect(report.data.findings.map((f) => f.type)).not.toContain('journal_rule')
    // The connectors were still read, one call each once the batch was refused.
    expect(report.data.findings.map((f) => f.destination)).toContain(
      'connector:Scoped → smtp.scoped.example'
    )
  })
})

describe('a snapshot export', () => {
  it('carries the journal rules and the merged connectors, and audits like the live tenant', async () => {
    const s = await simulate()
    const connection = connectSimulator(s)
    const { snapshot: exported, complete } = await exportSnapshot(connection)
    expect(complete).toBe(true)
    expect(exported.journalRules).toHaveLength(1)
    expect(exported.outboundConnectors).toHaveLength(4)
    const fromExport = await runAudit(ORG, snapshotSource(exported))
    expect(digest(fromExport)).toEqual(digest(await runAudit(ORG, connection.source)))
  })
})

describe('a live audit without transport rules', () => {
  it('reads no organization-level path at all', async () => {
    const s = await simulate()
    const report = await runAudit({ all_users: true }, connectSimulator(s).source)
    expect(report.data.summary.complete).toBe(true)
    expect(s.requests.byRoute['invokeCommand:Get-JournalRule']).toBeUndefined()
    expect(s.requests.byRoute['invokeCommand:Get-OutboundConnector']).toBeUndefined()
  })
})
