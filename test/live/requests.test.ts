/**
 * What a live audit costs in HTTP requests, counted by the simulator: `--batch` sizes a unit of
 * work, never Microsoft's batches. Graph `$batch` carries 20 requests and Exchange `$batch` 10
 * whatever `--batch` is (docs/microsoft-apis.md §3, 5.5), and at default flags a 500-mailbox
 * tenant costs at most 0.17 requests per mailbox, plus the 4 that read the audit log once per
 * audit (`npm run bench` prints the figures).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAudit } from '../../core/index.ts'
import { generateTenant } from '../bench/generate-tenant.ts'
import { type Simulator, startSimulator, testCaFromEnv } from '../simulator/index.ts'
import { connectSimulator } from './connect-simulator.ts'

describe('a live audit of 500 mailboxes at default flags', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      tenant: generateTenant({ mailboxes: 500, plantEvery: 100 }),
      ca: testCaFromEnv(),
    })
  })
  afterAll(() => sim?.close())

  it('costs at most 0.17 HTTP requests per mailbox, besides the audit log read once per audit', async () => {
    sim.resetRequests()
    const report = await runAudit({ all_users: true }, connectSimulator(sim).source)
    // The five planted attacks were found: the requests read what the audit needs.
    expect(report.data.findings.length).toBeGreaterThanOrEqual(5)
    expect(report.data.summary.mailboxes_scanned).toBe(500)
    // Every answer a success (the audit log query's creation is a 201).
    expect(sim.requests.byStatus).toEqual({ '200': sim.requests.total - 1, '201': 1 })
    // The audit log costs the same whatever the tenant's size: the audit settings' `$batch`
    // (beside 50 of Get-InboxRule) and the Graph query's create, status and records.
    const routes = sim.requests.byRoute
    const auditLog =
      (routes.exchangeBatch ?? 0) -
      50 +
      (routes.auditLogQueries ?? 0) +
      (routes.auditLogQuery ?? 0) +
      (routes.auditLogRecords ?? 0)
    expect(auditLog).toBe(4)
    expect((sim.requests.total - auditLog) / 500).toBeLessThanOrEqual(0.17)
  })
})

describe('Microsoft’s batches are full whatever --batch is', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      tenant: generateTenant({ mailboxes: 100, plantEvery: 1000 }),
      ca: testCaFromEnv(),
    })
  })
  afterAll(() => sim?.close())

  it.each([1, 7, 10, 25, 1000])(
    '--batch %i: 100 mailboxes are 5 Graph batches of 20 and 10 Exchange batches of 10',
    async (batch) => {
      sim.resetRequests()
      const report = await runAudit({ all_users: true, batch }, connectSimulator(sim).source)
      expect(report.data.summary.mailboxes_scanned).toBe(100)
      // Besides them, once per audit, the audit settings' three cmdlets share one batch.
      expect(sim.requests.batchSizes).toEqual({
        graph: { '20': 5 },
        exchange: { '10': 10, '3': 1 },
      })
      // Each mailbox still has at most its two reads in flight (Outlook allows four, §4.1).
      expect(Math.max(...Object.values(sim.requests.maxConcurrency.byMailbox))).toBeLessThanOrEqual(
        2
      )
    }
  )
})
