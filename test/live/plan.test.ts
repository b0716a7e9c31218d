/**
 * The request plan is what the reader really sends: counted against the simulator's own request
 * log, for every shape of request. When the reader changes its calls (a new cmdlet, another
 * batch), these tests fail until core/sources/live/plan.ts counts the same.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AuditReport,
  type AuditRequestInput,
  connectLive,
  type LiveSettings,
  liveContext,
  liveRequestPlan,
  liveSettings,
  parseAuditRequest,
  requestPlanError,
  runAudit,
  sourceOptions,
  type TenantSnapshot,
} from '../../core/index.ts'
import { type Simulator, startSimulator, testCaFromEnv } from '../simulator/index.ts'

const small: TenantSnapshot = JSON.parse(
  readFileSync('test/simulator/fixtures/small-tenant.json', 'utf8')
)

let sim: Simulator
let settings: LiveSettings
const fast = { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 50 }

beforeAll(async () => {
  sim = await startSimulator({ tenant: small, ca: testCaFromEnv() })
  settings = settingsFor(sim)
})
afterAll(() => sim?.close())

function settingsFor(simulator: Simulator): LiveSettings {
  return liveSettings({
    tenantId: simulator.tenantId,
    clientId: simulator.clientId,
    clientSecret: simulator.clientSecret,
    authorityHost: simulator.authorityHost,
    graphEndpoint: simulator.graphEndpoint,
    exchangeEndpoint: simulator.exchangeEndpoint,
  }) as LiveSettings
}

const mailboxesOf = (tenant: TenantSnapshot) =>
  tenant.mailboxes.map((entry) => String(entry.mailbox.UserPrincipalName))

/** Runs one audit on a fresh connection and returns the requests the simulator received. */
async function requestsFor(input: AuditRequestInput, requestBudget?: number) {
  sim.resetRequests()
  const context = liveContext({ retry: fast, ...(requestBudget ? { requestBudget } : {}) })
  const report = await runAudit(input, connectLive(settings, context).source)
  return { report, sent: sim.requests.total }
}

/** Why a scan stopped early, if it did (the small tenant always has one unreadable mailbox). */
const stopReasons = (report: AuditReport) =>
  report.data.summary.incomplete_reasons.filter((reason) => /budget|deadline/.test(reason))

const planFor = (input: AuditRequestInput, mailboxes?: number) =>
  liveRequestPlan(sourceOptions(parseAuditRequest(input)), mailboxes)

describe('the live request plan', () => {
  const all = mailboxesOf(small)
  const shapes: [string, AuditRequestInput, number | undefined][] = [
    ['every mailbox', { all_users: true }, all.length],
    ['every mailbox and transport rules', { all_users: true, include_transport_rules: true }, 7],
    ['every mailbox, batches of 2', { all_users: true, batch: 2 }, all.length],
    ['every mailbox without inbox rules', { all_users: true, include_inbox_rules: false }, 7],
    ['one listed mailbox', { user: all[0] as string }, undefined],
    ['three listed mailboxes, batches of 2', { users: all.slice(0, 3), batch: 2 }, undefined],
  ]

  it.each(shapes)('counts every request an audit of %s sends', async (_name, input, count) => {
    const { sent, report } = await requestsFor(input)
    expect(stopReasons(report)).toEqual([])
    expect(planFor(input, count).total).toBe(sent)
  })

  it('grows with the scope: units of `batch` mailboxes, 20 per Graph batch, 10 per Exchange batch', () => {
    const users = (n: number) => ({ users: Array.from({ length: n }, (_, i) => `u${i}@x.com`) })
    // 45 mailboxes, --batch 10: units rounded up to 20 (20, 20, 5), 3 Graph and 5 Exchange batches.
    expect(planFor({ ...users(45), batch: 10 }).scan).toBe(8)
    // --batch 45 is a unit of 60: one unit, the same 3 Graph batches and 5 Exchange batches.
    expect(planFor({ ...users(45), batch: 45 }).scan).toBe(8)
    // --batch 50 is a unit of 60 too; --batch 1 one of 20: never more batches than mailboxes need.
    expect(planFor({ ...users(45), batch: 1 }).scan).toBe(8)
    // Listing 45 addresses takes 5 Exchange batches of Get-Mailbox; the audit settings one more.
    expect(planFor({ ...users(45) }).tenant).toBe(5 + 5 + 1)
    // Every mailbox: one Get-Mailbox page and one audit-bypass page per 1,000 rows.
    expect(planFor({ all_users: true }, 2500).tenant).toBe(5 + 3 + 1 + 2)
    // The audit log costs a Graph token and a query, even without inbox rules; none when not read.
    expect(planFor({ all_users: true, include_inbox_rules: false }, 2500)).toMatchObject({
      tokens: 2,
      scan: 0,
      auditLog: 3,
    })
    expect(
      planFor({ all_users: true, include_inbox_rules: false, audit_log_days: 0 }, 2500)
    ).toMatchObject({ tokens: 1, scan: 0, auditLog: 0 })
    // `changed` sweeps no mailbox for sure: at the least, Graph's 3 batches alone.
    expect(planFor({ ...users(45), batch: 10, hidden_sweep: 'changed' }).scan).toBe(3)
  })
})

describe('a live audit under a request budget', () => {
  const input = { all_users: true }

  it('that fits runs to the end', async () => {
    const budget = planFor(input, mailboxesOf(small).length).total
    const { report, sent } = await requestsFor(input, budget)
    expect(stopReasons(report)).toEqual([])
    expect(report.data.summary.mailboxes_scanned + report.data.summary.mailboxes_skipped).toBe(
      mailboxesOf(small).length
    )
    expect(sent).toBe(budget)
  })

  it('one request short, stops before the first inbox rule is read, naming the limit and the fix', async () => {
    const unitOfOne = { all_users: true, batch: 1 }
    const budget = planFor(unitOfOne, mailboxesOf(small).length).total - 1
    const error = await requestsFor(unitOfOne, budget).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SUBREQUEST_BUDGET_EXCEEDED', userFixable: true })
    // --batch 1 is still a unit of 20: 2 tokens, 5 tenant reads, 1 Get-Mailbox page, the audit
    // settings' batch, one Graph and one Exchange batch and 3 audit log requests. No smaller
    // `users` list costs less, so only the limit can move.
    expect((error as Error).message).toBe(
      `auditing 7 mailboxes needs at least 14 Microsoft 365 requests, more than the ${budget} allowed per audit here: run where more requests are allowed`
    )
    expect(sim.requests.byRoute['invokeCommand:Get-InboxRule']).toBeUndefined()
    expect(sim.requests.total).toBeLessThanOrEqual(budget)
  })

  it('a listed scope that cannot fit is refused before any request is sent', () => {
    const request = parseAuditRequest({ users: mailboxesOf(small) })
    const plan = liveRequestPlan(sourceOptions(request))
    expect(requestPlanError(sourceOptions(request), undefined, plan.total)).toBeUndefined()
    const error = requestPlanError(sourceOptions(request), undefined, plan.total - 1)
    expect(error?.code).toBe('SUBREQUEST_BUDGET_EXCEEDED')
    expect(error?.message).toMatch(/^auditing 7 mailboxes needs at least \d+ Microsoft 365/)
  })

  it('spent mid-scan by retries no plan can know, returns what was read, marked incomplete', async () => {
    // One Graph operation at a time: of a batch's two items one is throttled, and retried.
    const throttling = await startSimulator({
      tenant: small,
      ca: testCaFromEnv(),
      limits: { graphConcurrency: 1, retryAfterSeconds: 0.01 },
    })
    try {
      const busy = { all_users: true, batch: 2, concurrency: 1 }
      const budget = planFor(busy, mailboxesOf(small).length).total
      const context = liveContext({ retry: fast, requestBudget: budget })
      const report = await runAudit(busy, connectLive(settingsFor(throttling), context).source)
      expect(throttling.requests.throttled.graphConcurrency).toBeGreaterThan(0)
      expect(throttling.requests.total).toBeLessThanOrEqual(budget)
      const summary = report.data.summary
      expect(summary.complete).toBe(false)
      expect(stopReasons(report)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^the budget of ${budget} Microsoft 365 requests per audit was spent after \\d+ mailboxes: \\d+ not read$`
          )
        ),
      ])
      expect(summary.mailboxes_scanned).toBeLessThan(mailboxesOf(small).length)
    } finally {
      await throttling.close()
    }
  })
})
