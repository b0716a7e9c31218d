/**
 * The committed action bundle against the Microsoft 365 simulator over real HTTPS: GitHub OIDC
 * workload identity federation end to end (the runner's token service, Entra's federated
 * assertion check), a client secret, the drift export, and no token in any output.
 */
import { readFileSync, statSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { TenantSnapshot } from '../../core/index.ts'
import {
  type AppOptions,
  type Simulator,
  startSimulator,
  testCaFromEnv,
} from '../simulator/index.ts'
import { type OidcOptions, type OidcServer, startOidcServer } from './oidc-server.ts'
import { type ActionRun, newRunner, type Runner, runAction } from './run-action.ts'

const demo: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))
// The simulator serves no audit log.
const { auditRecords: _auditRecords, ...tenant } = demo

const SUBJECT = 'repo:contoso/tenant-config:ref:refs/heads/main'
const WORKFLOW = '.github/workflows/forwarding-audit.yml'
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function simulator(
  app: AppOptions = {},
  snapshot = tenant as TenantSnapshot
): Promise<Simulator> {
  const sim = await startSimulator({ tenant: snapshot, ca: testCaFromEnv(), app })
  cleanups.push(() => sim.close())
  return sim
}

async function oidcServer(options: OidcOptions = {}): Promise<OidcServer> {
  const server = await startOidcServer(options)
  cleanups.push(() => server.close())
  return server
}

/** The inputs that point the action at the simulator instead of Microsoft's clouds. */
const endpoints = (sim: Simulator) => ({
  'tenant-id': sim.tenantId,
  'client-id': sim.clientId,
  'authority-host': sim.authorityHost,
  'graph-endpoint': sim.graphEndpoint,
  'exchange-endpoint': sim.exchangeEndpoint,
})

const AUDIT = { 'all-users': 'true', 'include-transport-rules': 'true', 'fail-on': 'critical' }

/** Everything a run leaves for people and later steps: none of it may hold a token. */
function everyOutput(run: ActionRun): string {
  const files = ['report-path', 'sarif-path', 'snapshot-path']
    .map((name) => run.outputs[name])
    .filter((path): path is string => Boolean(path))
    .map((path) => readFileSync(path, 'utf8'))
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  return [log, run.stderr, JSON.stringify(run.outputs), run.summary, ...files].join('\n')
}

function scheduled(
  runner: Runner,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
) {
  runner.file(
    WORKFLOW,
    'on: schedule\njobs:\n  audit:\n    steps:\n      - uses: contoso/forwarding-audit@v1\n'
  )
  return runAction(runner, {
    inputs,
    event: 'schedule',
    env: { GITHUB_WORKFLOW_REF: `contoso/tenant-config/${WORKFLOW}@refs/heads/main`, ...env },
  })
}

describe('GitHub OIDC workload identity federation', () => {
  it('asks the runner for a token for api://AzureADTokenExchange and audits the live tenant with it', async () => {
    const oidc = await oidcServer()
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const runner = newRunner()
    const run = await scheduled(runner, { ...endpoints(sim), ...AUDIT }, oidc.env)
    expect(run.stderr).toBe('')
    expect(run.status, run.stdout).toBe(1)
    expect(oidc.audiences.length).toBeGreaterThan(0)
    expect(new Set(oidc.audiences)).toEqual(new Set(['api://AzureADTokenExchange']))
    expect(Number(run.outputs['total-findings'])).toBeGreaterThan(5)
    expect(run.outputs.critical).not.toBe('0')
    // Both APIs were read with tokens from the federated sign-in.
    expect(sim.requests.byApi.graph).toBeGreaterThan(0)
    expect(sim.requests.byApi.exchange).toBeGreaterThan(0)
    // Every ID token is masked, and none appears anywhere else.
    for (const token of oidc.issued) expect(run.stdout).toContain(`::add-mask::${token}`)
    const outputs = everyOutput(run)
    for (const token of oidc.issued) expect(outputs).not.toContain(token)
    expect(outputs).not.toMatch(JWT)
    expect(outputs).not.toContain(oidc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN)
  })

  it('points a live audit’s SARIF results at the workflow’s step', async () => {
    const oidc = await oidcServer()
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const run = await scheduled(newRunner(), { ...endpoints(sim), ...AUDIT }, oidc.env)
    const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8'))
    const places = new Set(
      sarif.runs[0].results.map((r: { locations: { physicalLocation: object }[] }) =>
        JSON.stringify(r.locations[0]!.physicalLocation)
      )
    )
    expect([...places]).toEqual([
      JSON.stringify({ artifactLocation: { uri: WORKFLOW }, region: { startLine: 5 } }),
    ])
  })

  it('a federated credential for another subject is refused, and the message names the job’s subject', async () => {
    const oidc = await oidcServer({ subject: 'repo:contoso/tenant-config:pull_request' })
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const run = await scheduled(newRunner(), { ...endpoints(sim), ...AUDIT }, oidc.env)
    expect(run.status).toBe(3)
    const failure = run.commands.find((c) => c.command === 'error')?.message ?? ''
    expect(failure).toMatch(/^Microsoft Entra ID refused the app's sign-in \(AADSTS70021\)/)
    expect(failure).toContain(
      "this job's GitHub OIDC token has subject repo:contoso/tenant-config:pull_request"
    )
    expect(everyOutput(run)).not.toMatch(JWT)
  })

  it('a token for another audience is refused', async () => {
    const oidc = await oidcServer({ audienceOverride: 'https://github.com/contoso' })
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const run = await scheduled(newRunner(), { ...endpoints(sim), ...AUDIT }, oidc.env)
    expect(run.status).toBe(3)
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(
      /AADSTS70021\).*audience \(api:\/\/AzureADTokenExchange\)/
    )
    expect(everyOutput(run)).not.toMatch(JWT)
  })

  it('is preferred over a client secret, and says the secret is not used', async () => {
    const oidc = await oidcServer()
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const run = await scheduled(
      newRunner(),
      { ...endpoints(sim), ...AUDIT, 'client-secret': 'not-the-apps-secret' },
      oidc.env
    )
    expect(run.status).toBe(1)
    expect(run.commands.find((c) => c.command === 'warning')?.message).toMatch(
      /^client-secret is not used: the job has a GitHub OIDC token/
    )
  })
})

describe('a client secret', () => {
  it('signs in, is masked, and appears in no output', async () => {
    const sim = await simulator()
    const run = await scheduled(newRunner(), {
      ...endpoints(sim),
      ...AUDIT,
      'client-secret': sim.clientSecret,
    })
    expect(run.status, run.stdout).toBe(1)
    expect(run.stdout).toContain(`::add-mask::${sim.clientSecret}`)
    expect(everyOutput(run)).not.toContain(sim.clientSecret)
    expect(everyOutput(run)).not.toMatch(JWT)
  })

  it('a wrong secret fails with exit status 3 and the fix, not the secret', async () => {
    const sim = await simulator()
    const run = await scheduled(newRunner(), {
      ...endpoints(sim),
      ...AUDIT,
      'client-secret': 'wrong~secret~value',
    })
    expect(run.status).toBe(3)
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(
      /AADSTS7000215\): the client secret is wrong or expired: create a new one and set client-secret$/
    )
    expect(everyOutput(run)).not.toContain('wrong~secret~value')
  })

  it('tenant-id without client-id names the missing input', async () => {
    const sim = await simulator()
    const { 'client-id': _, ...inputs } = endpoints(sim)
    const run = await scheduled(newRunner(), { ...inputs, ...AUDIT, 'client-secret': 'x' })
    expect(run.status).toBe(2)
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(
      /^client-id is not set: give the app registration's application \(client\) id$/
    )
  })
})

describe('command: snapshot (drift)', () => {
  it('exports the tenant, leaves the file alone while nothing changes, and rewrites it when something does', async () => {
    const oidc = await oidcServer()
    const sim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) })
    const runner = newRunner()
    const inputs = { ...endpoints(sim), command: 'snapshot', output: 'tenant/snapshot.json' }
    const first = await runAction(runner, { inputs, env: oidc.env })
    expect(first.status, first.stdout).toBe(0)
    const path = `${runner.workspace}/tenant/snapshot.json`
    expect(first.outputs).toMatchObject({
      'snapshot-path': path,
      failed: 'false',
      'report-path': '',
    })
    const exported = readFileSync(path, 'utf8')
    expect(JSON.parse(exported).mailboxes).toHaveLength(tenant.mailboxes.length)
    const written = statSync(path).mtimeMs

    const second = await runAction(runner, { inputs, env: oidc.env })
    expect(second.status).toBe(0)
    expect(second.stdout).toMatch(/the tenant has not changed since .* was taken: left as it is/)
    expect(readFileSync(path, 'utf8')).toBe(exported)
    expect(statSync(path).mtimeMs).toBe(written)

    // Someone adds a forward in the admin center.
    const changed = structuredClone(tenant) as TenantSnapshot
    ;(changed.mailboxes[0]!.mailbox as Record<string, unknown>).ForwardingSmtpAddress =
      'smtp:drop@evil.example'
    const changedSim = await simulator({ federatedIssuer: oidc.issuer(SUBJECT) }, changed)
    const third = await runAction(runner, {
      inputs: { ...inputs, ...endpoints(changedSim) },
      env: oidc.env,
    })
    expect(third.status).toBe(0)
    expect(readFileSync(path, 'utf8')).toContain('smtp:drop@evil.example')
    expect(everyOutput(third)).not.toMatch(JWT)
  })

  it('without a tenant says what to set', async () => {
    const run = await runAction(newRunner(), { inputs: { command: 'snapshot' } })
    expect(run.status).toBe(2)
    expect(run.commands.find((c) => c.command === 'error')?.message).toMatch(
      /^command snapshot reads the live tenant: set tenant-id and client-id/
    )
  })
})
