/**
 * What a live audit costs in HTTP requests, counted by the simulator: `--batch` sizes a unit of
 * work, never Microsoft's batches. Graph `$batch` carries 20 requests and Exchange `$batch` 10
 * whatever `--batch` is (docs/microsoft-apis.md §3, 5.5), and at default flags a 500-mailbox
 * tenant costs at most 0.17 requests per mailbox (`npm run bench` prints the figure).
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

  it('costs at most 0.17 HTTP requests per mailbox', async () => {
    sim.resetRequests()
    const report = await runAudit({ all_users: true }, connectSimulator(sim).source)
    // The five planted attacks were found: the requests read what the audit needs.
    expect(report.data.findings.length).toBeGreaterThanOrEqual(5)
    expect(report.data.summary.mailboxes_scanned).toBe(500)
    expect(sim.requests.byStatus).toEqual({ '200': sim.requests.total })
    expect(sim.requests.total / 500).toBeLessThanOrEqual(0.17)
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
      expect(sim.requests.batchSizes).toEqual({ graph: { '20': 5 }, exchange: { '10': 10 } })
      // Each mailbox still has at most its two reads in flight (Outlook allows four, §4.1).
      expect(Math.max(...Object.values(sim.requests.maxConcurrency.byMailbox))).toBeLessThanOrEqual(
        2
      )
    }
  )
})
