/**
 * @module test/simulator/test-helpers
 * Shared plumbing for the simulator's own tests: the fixture tenant, a started simulator per
 * test file, tokens and the two request shapes.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll } from 'vitest'
import { type TenantSnapshot, tenantSnapshot } from '../../core/sources/snapshot/schema.ts'
import { type Simulator, type SimulatorOptions, startSimulator, testCaFromEnv } from './index.ts'

export function smallTenant(): TenantSnapshot {
  const text = readFileSync(new URL('./fixtures/small-tenant.json', import.meta.url), 'utf8')
  const data: unknown = JSON.parse(text)
  // Validated against the real snapshot schema; the raw JSON is what the simulator serves.
  tenantSnapshot.parse(data)
  return data as TenantSnapshot
}

/** Starts a simulator for the enclosing describe block; read it through the returned getter. */
export function useSimulator(options: Partial<SimulatorOptions> = {}): () => Simulator {
  let sim: Simulator | undefined
  beforeAll(async () => {
    sim = await startSimulator({ tenant: smallTenant(), ca: testCaFromEnv(), ...options })
  })
  afterAll(async () => {
    await sim?.close()
  })
  return () => {
    if (!sim) throw new Error('simulator not started')
    return sim
  }
}

export type Resource = 'graph' | 'exchange'

export function tokenForm(sim: Simulator, resource: Resource, extra: Record<string, string> = {}) {
  const endpoint = resource === 'graph' ? sim.graphEndpoint : sim.exchangeEndpoint
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: `${endpoint}/.default`,
    ...extra,
  })
}

export function postToken(sim: Simulator, form: URLSearchParams, tenant = sim.tenantId) {
  return fetch(`${sim.authorityHost}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: form })
}

export async function getToken(sim: Simulator, resource: Resource): Promise<string> {
  const response = await postToken(sim, tokenForm(sim, resource))
  if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { access_token: string }).access_token
}

export function graphGet(
  sim: Simulator,
  token: string,
  path: string,
  headers: Record<string, string> = {}
) {
  const url = path.startsWith('https://') ? path : `${sim.graphEndpoint}/v1.0${path}`
  return fetch(url, { headers: { Authorization: `Bearer ${token}`, ...headers } })
}

export function graphBatch(sim: Simulator, token: string, requests: object[]) {
  return fetch(`${sim.graphEndpoint}/v1.0/$batch`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ requests }),
  })
}

export const invokeUrl = (sim: Simulator, query = '') =>
  `${sim.exchangeEndpoint}/adminapi/beta/${sim.tenantId}/InvokeCommand${query}`

export function invoke(
  sim: Simulator,
  token: string,
  cmdlet: string,
  parameters: Record<string, unknown> = {},
  options: { url?: string; headers?: Record<string, string> } = {}
) {
  return fetch(options.url ?? invokeUrl(sim), {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...options.headers,
    },
    body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: parameters } }),
  })
}

export interface Envelope<T = Record<string, unknown>> {
  '@odata.context': string
  '@odata.nextLink'?: string
  '@adminapi.warnings': string[]
  value: T[]
}
