/**
 * @module test/live/helpers
 * Plumbing for the live-client tests against the simulator: a test-only token provider (plain
 * client-credentials POST with the secret, counting fetches and invalidations) and a LiveContext
 * with real time but tiny delays.
 */
import type { LiveContext, TokenProvider } from '../../core/m365/types.ts'
import type { Simulator } from '../simulator/index.ts'
import { abortableSleep, type RetryInfo } from './fake-context.ts'

export interface TestTokens extends TokenProvider {
  /** Token requests actually sent to the simulator. */
  fetched: number
  /** Resources invalidated, in order. */
  invalidated: string[]
}

/**
 * Tokens from the simulator's token endpoint. `audience` picks the root whose `/.default` scope
 * is requested for a resource: pass a fixed root to hand an API the wrong token.
 */
export function simulatorTokens(
  sim: () => Simulator,
  audience: (resource: string) => string = (resource) => resource
): TestTokens {
  const cache = new Map<string, Promise<string>>()
  const tokens: TestTokens = {
    fetched: 0,
    invalidated: [],
    token(resource, signal) {
      let token = cache.get(resource)
      if (!token) {
        token = fetchToken(sim(), audience(resource), signal)
        tokens.fetched++
        cache.set(resource, token)
        token.catch(() => cache.delete(resource))
      }
      return token
    },
    invalidate(resource) {
      tokens.invalidated.push(resource)
      cache.delete(resource)
    },
  }
  return tokens
}

async function fetchToken(sim: Simulator, root: string, signal?: AbortSignal): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
    scope: `${root}/.default`,
  })
  const url = `${sim.authorityHost}/${sim.tenantId}/oauth2/v2.0/token`
  const response = await fetch(url, { method: 'POST', body, ...(signal ? { signal } : {}) })
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`)
  return ((await response.json()) as { access_token: string }).access_token
}

export interface TestContext extends LiveContext {
  retries: RetryInfo[]
}

/** Real fetch and clock; retries fast (base 5 ms, cap 200 ms) and logged. */
export function liveContext(overrides: Partial<LiveContext> = {}): TestContext {
  const retries: RetryInfo[] = []
  return {
    // Node's fetch trusts the simulator's CA through NODE_EXTRA_CA_CERTS (test/global-setup.ts).
    fetch: (input, init) => fetch(input, init),
    sleep: abortableSleep,
    random: () => 0.5,
    now: Date.now,
    retry: { maxRetries: 6, baseDelayMs: 5, maxDelayMs: 200 },
    onRetry: (info) => retries.push(info),
    ...overrides,
    retries,
  }
}

/** Rows without OData annotation keys (`X@odata.type`), as the normalizers read them. */
export function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !k.includes('@')))
  )
}
