/**
 * The worker's HTTP suite, run over HTTP against the app inside real Deno (its TypeScript
 * source, as Deno Deploy runs it) and inside real workerd (dist/worker.js, the bundle
 * `wrangler deploy` uploads), with the Microsoft 365 simulator and the token issuer behind
 * them over HTTPS. Each runtime starts once and hosts every configuration the cases need
 * (harness/fixtures.ts); the cases are the same for both (suite/*.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditReport } from '../../core/index.ts'
import { runCliAsync } from '../cli/run-cli.ts'
import type { Simulator } from '../simulator/index.ts'
import { suiteContext } from './harness/client.ts'
import { type Fixtures, startFixtures } from './harness/fixtures.ts'
import type { RuntimeName } from './harness/runtimes.ts'
import { authCases } from './suite/auth.ts'
import { creditCases } from './suite/credits.ts'
import { httpCases } from './suite/http.ts'
import { liveCases } from './suite/live.ts'

let fixtures: Fixtures
let cliReport: AuditReport

/** The CLI's audit of the simulated tenant: what the worker must find too. */
async function auditWithCli(sim: Simulator): Promise<AuditReport> {
  const out = join(mkdtempSync(join(tmpdir(), 'fa-worker-')), 'cli.json')
  const flags = ['--all-users', '--include-transport-rules', '--flag-freemail']
  const cli = await runCliAsync([...flags, '--format', 'json', '--output', out], {
    AZURE_TENANT_ID: sim.tenantId,
    AZURE_CLIENT_ID: sim.clientId,
    AZURE_CLIENT_SECRET: sim.clientSecret,
    AZURE_AUTHORITY_HOST: sim.authorityHost,
    GRAPH_ENDPOINT: sim.graphEndpoint,
    EXCHANGE_ENDPOINT: sim.exchangeEndpoint,
  })
  if (cli.status !== 0) throw new Error(`the CLI failed: ${cli.stderr}`)
  return JSON.parse(readFileSync(out, 'utf8'))
}

beforeAll(async () => {
  const started = await startFixtures((sims) => auditWithCli(sims.main))
  fixtures = started.fixtures
  cliReport = started.alongside
}, 180_000)

afterAll(async () => {
  await fixtures?.close()
})

/** Every status the API documents, each of which the cases provoke in each runtime. */
const STATUSES = [200, 204, 400, 401, 402, 403, 404, 413, 415, 422, 429, 502, 504]

describe.each(['deno', 'workerd'] as RuntimeName[])('the worker on %s', (runtime) => {
  const ctx = suiteContext(runtime, () => fixtures)
  authCases(ctx)
  httpCases(ctx)
  creditCases(ctx)
  liveCases(ctx, () => cliReport)

  describe('over the whole run', () => {
    it('every documented status code was answered', () => {
      const seen = new Set(
        fixtures.responses.filter((r) => r.runtime === runtime).map((r) => r.status)
      )
      expect([...seen].sort()).toEqual(expect.arrayContaining(STATUSES))
      expect([...seen].filter((status) => !STATUSES.includes(status))).toEqual([])
    })

    it('every log line is one JSON object carrying its request id', () => {
      const lines = fixtures.runtimes[runtime].lines.filter((line) => !line.startsWith('{"ready"'))
      expect(lines.length).toBeGreaterThan(100)
      for (const line of lines) {
        const record = JSON.parse(line)
        expect(record, line).toMatchObject({ level: expect.any(String), msg: expect.any(String) })
        expect(record.request_id, line).toMatch(/^[\w-]+$/)
      }
    })

    it('no response and no log line carries a secret or a token; no response a stack trace or a path', () => {
      const key = fixtures.appCertificate.keyPem
      const secrets = [
        ...Object.values(fixtures.sims).map((sim) => sim.clientSecret),
        // The certificate's private key, by a line from its middle.
        key.split('\n')[5] as string,
      ]
      const jwt = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}/
      const responses = fixtures.responses
        .filter((r) => r.runtime === runtime)
        .map((r) => `${r.status} ${r.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n${r.body}`)
      const lines = fixtures.runtimes[runtime].lines
      expect(responses.length).toBeGreaterThan(100)
      expect(lines.length).toBeGreaterThan(100)
      for (const text of [...responses, ...lines]) {
        for (const secret of secrets) expect(text).not.toContain(secret)
        expect(text).not.toMatch(jwt)
        expect(text).not.toMatch(/Bearer ey/)
      }
      for (const text of responses) {
        expect(text).not.toMatch(/\n\s+at |\.(ts|js|mjs):\d+|node_modules|file:\/\//)
        expect(text).not.toContain(process.cwd())
      }
    })
  })
})
