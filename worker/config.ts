/**
 * @module worker/config
 * The worker's settings, from the platform's environment (Deno's env, Cloudflare's bindings)
 * to one checked object. Every setting is read here and nowhere else; every problem is
 * collected, so an operator sees one line per missing or bad setting at start, not one per
 * deploy. Set-but-empty is an error, never "unset" (a secret that did not resolve).
 */
import {
  AZURE_SETTING_NAMES,
  type LiveSettingValues,
  liveSettings,
  type SettingNames,
  UsageError,
} from '../core/index.ts'
import { isTenantGuid } from './auth/tenant.ts'

/** What an entry point hands over: names to string values (Cloudflare vars may be numbers). */
export type WorkerEnv = Record<string, unknown>

/** Where the worker runs, for the defaults that differ. */
export type Runtime = 'deno' | 'cloudflare'

/** Where the JWT signing keys come from. */
export type KeySource =
  | { kind: 'jwks'; url: URL }
  | { kind: 'pem'; pem: string }
  | { kind: 'jwk'; keys: Record<string, unknown>[] }

export interface AuthConfig {
  /** Expected `iss`; `{tenantid}` in it stands for the token's own `tid` (Entra multi-tenant). */
  issuer: string
  audience: string[]
  keys: KeySource
  algorithms: string[]
  clockToleranceSeconds: number
  /** The scope (or app role) every API call needs. */
  scope: string
}

export type Tenancy =
  /** One tenant, from AZURE_TENANT_ID; a token naming another tenant (`tid`) is refused. */
  | { mode: 'single'; tenantId: string | undefined }
  /** The tenant in each caller's `tid`, optionally only those listed. */
  | { mode: 'multi'; allowed: string[] | undefined }

export type CreditStore = 'memory' | 'kv' | 'durable-object'

export interface WorkerConfig {
  auth: AuthConfig
  tenancy: Tenancy
  /** The live tenant's credentials and endpoints; undefined serves the bundled demo tenant. */
  live: LiveSettingValues | undefined
  /** `kvPath`: where Deno KV keeps its file (DENO_KV_PATH); unset: Deno's default (Deploy's store). */
  credits: { start: number; store: CreditStore; kvPath: string | undefined }
  /** Requests per caller per minute; 0 turns the limit off. */
  rateLimitPerMinute: number
  /** Origins allowed to call from a browser; empty: no CORS headers at all. */
  corsOrigins: string[]
  deadlineMs: number
  /** Outgoing requests one incoming request may make (Cloudflare's subrequest limit); undefined: no cap. */
  subrequestBudget: number | undefined
}

/** The worker's names for the live settings: the CLI's variables, the certificate as a PEM secret. */
export const WORKER_SETTING_NAMES: SettingNames = {
  ...AZURE_SETTING_NAMES,
  clientCertificate: 'AZURE_CLIENT_CERTIFICATE',
  cloud: 'AZURE_CLOUD',
}

/** Each setting's default where the runtimes differ. */
const DEFAULTS: Record<Runtime, { store: CreditStore; budget: number | undefined }> = {
  deno: { store: 'kv', budget: undefined },
  // The free plan's limit; a paid plan allows 10,000 (developers.cloudflare.com/workers/platform/limits).
  cloudflare: { store: 'durable-object', budget: 50 },
}

const ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
])

/** Every problem with the worker's settings, one line each. */
export class WorkerSettingsError extends UsageError {
  constructor(readonly problems: string[]) {
    super(`the worker's settings are wrong:\n${problems.map((p) => `- ${p}`).join('\n')}`)
  }
}

/**
 * Check the environment and return the worker's settings; throws WorkerSettingsError naming
 * every missing or bad setting.
 * @example
 * const config = workerConfig(Deno.env.toObject(), 'deno')
 */
export function workerConfig(env: WorkerEnv, runtime: Runtime): WorkerConfig {
  const problems: string[] = []
  const read = reader(env, problems)
  const auth = authConfig(read, problems)
  const tenancy = tenancyConfig(read, problems)
  const live = liveConfig(read, tenancy, problems)
  if (auth.issuer.includes('{tenantid}') && tenancy.mode !== 'multi') {
    problems.push('JWT_ISSUER contains {tenantid}, which only TENANT_MODE=multi fills in')
  }
  const defaults = DEFAULTS[runtime]
  const store = read.choice('CREDITS_STORE', ['memory', 'kv', 'durable-object']) ?? defaults.store
  const config: WorkerConfig = {
    auth,
    tenancy,
    live,
    credits: {
      start: read.integer('CREDITS_START', 0, 1e12) ?? 1000,
      store,
      kvPath: read.optional('DENO_KV_PATH'),
    },
    rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 0, 1e9) ?? 60,
    corsOrigins: corsOrigins(read.list('CORS_ORIGINS'), problems),
    deadlineMs: Math.round((read.number('AUDIT_DEADLINE_SECONDS', 0.1, 120) ?? 110) * 1000),
    subrequestBudget: read.integer('SUBREQUEST_BUDGET', 10, 1e6) ?? defaults.budget,
  }
  if (store === 'kv' && runtime !== 'deno') {
    problems.push('CREDITS_STORE=kv is Deno KV: on Cloudflare use durable-object (or memory)')
  }
  if (store === 'durable-object' && runtime !== 'cloudflare') {
    problems.push("CREDITS_STORE=durable-object is Cloudflare's: on Deno use kv (or memory)")
  }
  if (problems.length > 0) throw new WorkerSettingsError(problems)
  return config
}

function authConfig(read: Reader, problems: string[]): AuthConfig {
  const issuer = read.required('JWT_ISSUER', "the issuer (iss) of the API's access tokens")
  const audience = split(
    read.required('JWT_AUDIENCE', "the API's audience (aud), e.g. api://forwarding-audit") ?? ''
  )
  const algorithms = read.list('JWT_ALGORITHMS') ?? ['RS256', 'ES256']
  for (const alg of algorithms) {
    if (alg === 'none' || /^HS/i.test(alg)) {
      problems.push(
        `JWT_ALGORITHMS must not contain ${alg}: only public-key algorithms (RS256, ES256 ...) are accepted`
      )
    } else if (!ALGORITHMS.has(alg)) {
      problems.push(`JWT_ALGORITHMS: ${alg} is not one of ${[...ALGORITHMS].join(', ')}`)
    }
  }
  return {
    issuer: issuer ?? '',
    audience,
    keys: keySource(read, problems),
    algorithms,
    clockToleranceSeconds: read.integer('JWT_CLOCK_TOLERANCE_SECONDS', 0, 300) ?? 30,
    scope: read.optional('JWT_REQUIRED_SCOPE') ?? 'bec:read',
  }
}

function keySource(read: Reader, problems: string[]): KeySource {
  const url = read.optional('JWT_JWKS_URL')
  const key = read.optional('JWT_PUBLIC_KEY')
  if (url !== undefined && key !== undefined) {
    problems.push('JWT_JWKS_URL and JWT_PUBLIC_KEY are both set: give one of them')
  }
  if (url !== undefined) {
    try {
      const parsed = new URL(url)
      if (parsed.protocol !== 'https:') throw new TypeError('not https')
      return { kind: 'jwks', url: parsed }
    } catch {
      problems.push('JWT_JWKS_URL must be an https:// URL of a JSON Web Key Set')
    }
  } else if (key !== undefined) {
    return publicKey(key, problems)
  } else {
    problems.push(
      'JWT_JWKS_URL or JWT_PUBLIC_KEY must be set: the key set URL of the token issuer, or its public key (PEM or JWK)'
    )
  }
  return { kind: 'jwk', keys: [] }
}

/** A PEM public key, a JWK or a JWK set; never a private or a symmetric key. */
function publicKey(text: string, problems: string[]): KeySource {
  if (/PRIVATE KEY-----/.test(text)) {
    problems.push('JWT_PUBLIC_KEY holds a private key: give only the public key')
    return { kind: 'jwk', keys: [] }
  }
  if (text.startsWith('-----BEGIN PUBLIC KEY-----')) return { kind: 'pem', pem: text }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    problems.push('JWT_PUBLIC_KEY must be a PEM (-----BEGIN PUBLIC KEY-----), a JWK or a JWK set')
    return { kind: 'jwk', keys: [] }
  }
  const keys = (parsed as { keys?: unknown }).keys ?? [parsed]
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => !k || typeof k !== 'object')) {
    problems.push('JWT_PUBLIC_KEY must be a JWK or a JWK set with at least one key')
    return { kind: 'jwk', keys: [] }
  }
  for (const jwk of keys as Record<string, unknown>[]) {
    if (jwk.kty === 'oct' || 'd' in jwk) {
      problems.push('JWT_PUBLIC_KEY holds a secret or private key: give only the public key')
    }
  }
  return { kind: 'jwk', keys: keys as Record<string, unknown>[] }
}

function tenancyConfig(read: Reader, problems: string[]): Tenancy {
  const mode = read.choice('TENANT_MODE', ['single', 'multi']) ?? 'single'
  const allowed = read.list('ALLOWED_TENANTS')
  if (mode === 'single') {
    if (allowed) problems.push('ALLOWED_TENANTS is only read with TENANT_MODE=multi: unset it')
    const tenantId = read.optional('AZURE_TENANT_ID')
    if (tenantId !== undefined && !isTenantGuid(tenantId)) {
      // A domain name signs in, but never equals a token's tid: the tenant check would be skipped.
      problems.push(
        `AZURE_TENANT_ID must be the tenant's id (a GUID, Entra admin center > Overview > Tenant ID), not ${tenantId}: tokens' tid is checked against it`
      )
    }
    return { mode, tenantId: isTenantGuid(tenantId) ? tenantId.toLowerCase() : undefined }
  }
  for (const tenant of allowed ?? []) {
    if (!isTenantGuid(tenant)) problems.push(`ALLOWED_TENANTS: ${tenant} is not a tenant id (GUID)`)
  }
  return { mode, allowed: allowed?.map((tenant) => tenant.toLowerCase()) }
}

/** The live settings, checked by core; undefined when no credential is set (the demo tenant). */
function liveConfig(
  read: Reader,
  tenancy: Tenancy,
  problems: string[]
): LiveSettingValues | undefined {
  const values: LiveSettingValues = {
    tenantId: read.raw('AZURE_TENANT_ID'),
    clientId: read.raw('AZURE_CLIENT_ID'),
    clientSecret: read.raw('AZURE_CLIENT_SECRET'),
    clientCertificate: read.raw('AZURE_CLIENT_CERTIFICATE'),
    cloud: read.raw('AZURE_CLOUD'),
    authorityHost: read.raw('AZURE_AUTHORITY_HOST'),
    graphEndpoint: read.raw('GRAPH_ENDPOINT'),
    exchangeEndpoint: read.raw('EXCHANGE_ENDPOINT'),
  }
  if (tenancy.mode === 'multi') {
    if (values.tenantId !== undefined) {
      problems.push(
        "AZURE_TENANT_ID must not be set with TENANT_MODE=multi: each caller's tid names the tenant"
      )
    }
    if (values.clientId === undefined) {
      problems.push(
        'TENANT_MODE=multi audits live tenants: set AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE'
      )
      return undefined
    }
    // Checked here with a stand-in; each request fills in its caller's tenant.
    values.tenantId = 'organizations'
  }
  try {
    return liveSettings(values, WORKER_SETTING_NAMES) ? values : undefined
  } catch (error) {
    problems.push((error as Error).message)
    return undefined
  }
}

function corsOrigins(list: string[] | undefined, problems: string[]): string[] {
  const origins: string[] = []
  for (const value of list ?? []) {
    let url: URL | undefined
    try {
      url = new URL(value)
    } catch {}
    const local = url?.hostname === 'localhost' || url?.hostname === '127.0.0.1'
    if (!url || url.origin !== value || (url.protocol !== 'https:' && !local)) {
      problems.push(
        `CORS_ORIGINS: ${value} is not an origin such as https://portal.example.com (no path, no wildcard)`
      )
    } else origins.push(value)
  }
  return origins
}

interface Reader {
  /** The value as set (trimmed), or undefined when unset; set-but-empty is a problem. */
  optional(name: string): string | undefined
  /** The value as set, untrimmed, for core's checks of the live settings. */
  raw(name: string): string | undefined
  required(name: string, what: string): string | undefined
  list(name: string): string[] | undefined
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined
  number(name: string, min: number, max: number): number | undefined
  integer(name: string, min: number, max: number): number | undefined
}

function reader(env: WorkerEnv, problems: string[]): Reader {
  const raw = (name: string): string | undefined => {
    const value = env[name]
    if (value === undefined || value === null) return undefined
    return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined
  }
  const optional = (name: string) => {
    const value = raw(name)
    if (value === undefined) {
      if (env[name] !== undefined && env[name] !== null) problems.push(`${name} must be text`)
      return undefined
    }
    if (value.trim() === '') {
      problems.push(`${name} is set but empty: give a value or unset it`)
      return undefined
    }
    return value.trim()
  }
  const number = (name: string, min: number, max: number, whole: boolean) => {
    const value = optional(name)
    if (value === undefined) return undefined
    const parsed = Number(value)
    if (
      !Number.isFinite(parsed) ||
      (whole && !Number.isInteger(parsed)) ||
      parsed < min ||
      parsed > max
    ) {
      problems.push(
        `${name} must be a ${whole ? 'whole ' : ''}number from ${min} to ${max}, not ${JSON.stringify(value)}`
      )
      return undefined
    }
    return parsed
  }
  return {
    optional,
    raw,
    required(name, what) {
      const value = optional(name)
      if (value === undefined && raw(name) === undefined)
        problems.push(`${name} is not set: give ${what}`)
      return value
    },
    list(name) {
      const value = optional(name)
      return value === undefined ? undefined : split(value)
    },
    choice(name, choices) {
      const value = optional(name)
      if (value === undefined) return undefined
      if ((choices as readonly string[]).includes(value)) return value as (typeof choices)[number]
      problems.push(`${name} must be one of ${choices.join(', ')}, not ${JSON.stringify(value)}`)
      return undefined
    },
    number: (name, min, max) => number(name, min, max, false),
    integer: (name, min, max) => number(name, min, max, true),
  }
}

/** A comma- or space-separated list. */
function split(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}
