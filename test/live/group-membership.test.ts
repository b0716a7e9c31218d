/**
 * Group-scoped outbound spam policies in a live audit: the groups a rule names are looked up
 * with Get-Recipient, Graph transitiveMemberOf is read (through the real Graph SDK, against the
 * simulator) only for the mailboxes that forward outside, and a missing permission leaves those
 * verdicts unknown with the fix named once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit, snapshotSource, type TenantSnapshot } from '../../core/index.ts'
import { exchangeAdmin } from '../../core/m365/exchange-admin.ts'
import { graphApi } from '../../core/m365/graph.ts'
import { budgetedFetch } from '../../core/m365/request-budget.ts'
import { liveReader } from '../../core/sources/live/reader.ts'
import { liveSource } from '../../core/sources/live/source.ts'
import {
  exTarget,
  groupIdOf,
  outboundSpamPolicy,
  outboundSpamRule,
  tenant,
} from '../core/tenant-builder.ts'
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { liveContext, simulatorTokens } from './helpers.ts'

const ALEX = 'alex.wilber@contoso.com'
const BEN = 'b.schulz@contoso.com'
const KEMAL = 'k.yilmaz@contoso.com'
const REQUEST = { all_users: true }

/** Alex (Sales) and Ben (not) forward out; Kemal forwards inside only. */
const snapshot = tenant()
  .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:alex@fabrikam.com' })
  .mailbox(BEN, { ForwardingSmtpAddress: 'smtp:ben@fabrikam.com' })
  .mailbox(KEMAL)
  .mailbox('p.novak@contoso.com')
  .inboxRule(KEMAL, { Name: 'Reports', ForwardTo: [exTarget('p.novak@contoso.com')] })
  .group('Sales Team')
  .memberOf(ALEX, ['Sales Team', 'All Staff'])
  .memberOf(BEN, ['All Staff'])
  .memberOf(KEMAL, ['Sales Team'])
  .controls({
    policies: [outboundSpamPolicy('Default', 'Automatic'), outboundSpamPolicy('Sales', 'On')],
    rules: [outboundSpamRule({ Name: 'Sales', Priority: 0, FromMemberOf: ['Sales Team'] })],
  })
  .build() as unknown as TenantSnapshot

async function withSimulator<T>(
  app: SimulatorOptions['app'],
  run: (sim: Simulator) => Promise<T>
): Promise<T> {
  const sim = await startSimulator({
    tenant: snapshot,
    ca: testCaFromEnv(),
    ...(app ? { app } : {}),
  })
  try {
    return await run(sim)
  } finally {
    await sim.close()
  }
}

function liveAudit(sim: Simulator, fetch?: typeof globalThis.fetch) {
  const tokens = simulatorTokens(() => sim)
  const context = liveContext(fetch ? { fetch } : {})
  const exchange = exchangeAdmin({
    endpoint: sim.exchangeEndpoint,
    tenantId: sim.tenantId,
    tokens,
    context,
  })
  const graph = graphApi({ endpoint: sim.graphEndpoint, tokens, context })
  const reader = liveReader({ tenantId: sim.tenantId, exchange, graph, now: Date.now })
  return runAudit(REQUEST, liveSource(reader))
}

const verdicts = (
  findings: { user: string; tenant_policy?: { external_forwarding_blocked: boolean | null } }[]
) => Object.fromEntries(findings.map((f) => [f.user, f.tenant_policy?.external_forwarding_blocked]))

describe('group membership in a live audit', () => {
  let offline: Record<string, unknown>
  beforeAll(async () => {
    offline = verdicts((await runAudit(REQUEST, snapshotSource(snapshot))).data.findings)
    expect(offline).toEqual({ [ALEX]: false, [BEN]: true, [KEMAL]: undefined })
  })

  it('decides like the offline audit, reading membership only for the mailboxes that forward out', async () => {
    await withSimulator(undefined, async (sim) => {
      const report = await liveAudit(sim)
      expect(verdicts(report.data.findings)).toEqual(offline)
      // Alex and Ben: one $batch item each; Kemal forwards inside and is not asked about.
      expect(sim.requests.byRoute.memberOf).toBe(2)
      expect(report.data.summary.sources).toContain('transitiveMemberOf')
      expect(report.data.summary.complete).toBe(true)
    })
  })

  it('without User.Read.All the audit still runs: those verdicts are unknown and the fix is named once', async () => {
    await withSimulator({ graphRoles: ['MailboxSettings.Read'] }, async (sim) => {
      const report = await liveAudit(sim)
      expect(verdicts(report.data.findings)).toEqual({
        [ALEX]: null,
        [BEN]: null,
        [KEMAL]: undefined,
      })
      const reasons = report.data.summary.incomplete_reasons
      expect(reasons.filter((r) => /User\.Read\.All/.test(r))).toHaveLength(1)
      expect(reasons.join('\n')).toMatch(/2 finding\(s\) with an unknown tenant-policy verdict/)
    })
  })

  it('a request budget spent before the membership read leaves those verdicts unknown, and the audit still reports', async () => {
    await withSimulator(undefined, async (sim) => {
      const plain = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)
      const unlimited = budgetedFetch(plain, 1_000_000)
      await liveAudit(sim, unlimited.fetch)
      // The membership batch is the last request an audit sends: one fewer leaves it out.
      const limited = budgetedFetch(plain, unlimited.budget.used() - 1)
      const report = await liveAudit(sim, limited.fetch)
      expect(verdicts(report.data.findings)).toEqual({
        [ALEX]: null,
        [BEN]: null,
        [KEMAL]: undefined,
      })
      expect(report.data.summary.incomplete_reasons.join('\n')).toMatch(
        /group membership of 2 mailbox\(es\) not read: the budget of \d+ Microsoft 365 requests/
      )
    })
  })
})

describe('graphApi.transitiveMemberOf', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ tenant: snapshot, ca: testCaFromEnv() })
  })
  afterAll(async () => {
    await sim?.close()
  })

  const connect = () => {
    const tokens = simulatorTokens(() => sim)
    return graphApi({ endpoint: sim.graphEndpoint, tokens, context: liveContext() })
  }

  it('with User.Read.All alone, groups come back with their id and type, names null', async () => {
    const [alex, nobody] = await connect().transitiveMemberOf([ALEX, 'nobody@contoso.com'])
    expect(alex).toEqual({
      ok: true,
      value: [
        expect.objectContaining({
          '@odata.type': '#microsoft.graph.group',
          id: groupIdOf('Sales Team'),
          displayName: null,
        }),
        expect.objectContaining({ id: groupIdOf('All Staff'), displayName: null }),
      ],
    })
    expect(nobody).toMatchObject({ ok: false, status: 404, code: 'Request_ResourceNotFound' })
  })
})
