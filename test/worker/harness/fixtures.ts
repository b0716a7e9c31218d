/**
 * @module test/worker/harness/fixtures
 * Everything the HTTP suite runs against, started once: the Microsoft 365 simulators over
 * HTTPS (a full app, an app without MailboxSettings.Read, a slow tenant for deadlines), the
 * token issuer's JWKS, and both runtimes hosting one worker per configuration below. Every
 * response the suite receives is recorded, so the last test can check that none of them (and
 * no log line) carries a secret, a token, a stack trace or a path.
 */
import { readFileSync } from 'node:fs'
import { generate } from 'selfsigned'
import type { TenantSnapshot } from '../../../core/index.ts'
import { type Simulator, startSimulator, testCaFromEnv } from '../../simulator/index.ts'
import { type Runtime, type RuntimeName, startDeno, startWorkerd } from './runtimes.ts'
import { AUDIENCE, ISSUER, MULTI_ISSUER, startTokenIssuer, type TokenIssuer } from './tokens.ts'

const demo: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))
// The simulator serves no audit log; the CLI and the worker read the same tenant without it.
const { auditRecords: _auditRecords, ...tenant } = demo
export const SIMULATED_TENANT = tenant as TenantSnapshot
export const MAILBOXES = SIMULATED_TENANT.mailboxes.map((entry) =>
  String(entry.mailbox.UserPrincipalName)
)

/** A tenant the multi-tenant worker serves but the simulator does not know (no consent there). */
export const UNCONSENTED_TENANT = '0b5b4c4e-9d0f-4a52-8d43-7c1f00000001'
export const CORS_ORIGIN = 'https://portal.example.com'

export interface RecordedResponse {
  runtime: RuntimeName
  status: number
  headers: [string, string][]
  body: string
}

export interface Fixtures {
  issuer: TokenIssuer
  /** The reader app's certificate and PKCS#8 key, registered with the main simulator. */
  appCertificate: { certPem: string; keyPem: string }
  sims: { main: Simulator; noGraph: Simulator; slow: Simulator }
  configs: Record<string, Record<string, string>>
  runtimes: Record<RuntimeName, Runtime>
  responses: RecordedResponse[]
  close(): Promise<void>
}

const live = (sim: Simulator) => ({
  AZURE_TENANT_ID: sim.tenantId,
  AZURE_CLIENT_ID: sim.clientId,
  AZURE_CLIENT_SECRET: sim.clientSecret,
  AZURE_AUTHORITY_HOST: sim.authorityHost,
  GRAPH_ENDPOINT: sim.graphEndpoint,
  EXCHANGE_ENDPOINT: sim.exchangeEndpoint,
})

/** The worker configurations the suite calls, by name. */
function configsFor(
  issuer: TokenIssuer,
  sims: Fixtures['sims'],
  certificate: Fixtures['appCertificate']
): Record<string, Record<string, string>> {
  const jwks = { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: issuer.jwksUrl }
  // Workers' default budget is the free plan's 50; the budget tests have their own worker.
  const roomy = { SUBREQUEST_BUDGET: '1000', RATE_LIMIT_PER_MINUTE: '0' }
  const { AZURE_TENANT_ID: _tenant, ...app } = live(sims.main)
  return {
    /** The demo tenant, a JWKS, CORS for one portal. */
    demo: { ...jwks, CREDITS_START: '100', RATE_LIMIT_PER_MINUTE: '0', CORS_ORIGINS: CORS_ORIGIN },
    /** One static RSA public key (PEM) instead of a JWKS, RS256 only. */
    pem: {
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEY: issuer.rsaPem,
      JWT_ALGORITHMS: 'RS256',
    },
    /** An issuer whose key set cannot be reached (nothing listens on port 9). */
    nokeys: { ...jwks, JWT_JWKS_URL: 'https://127.0.0.1:9/keys' },
    /** Two requests a minute per caller. */
    limited: { ...jwks, RATE_LIMIT_PER_MINUTE: '2' },
    /** The simulated tenant, single-tenant mode. */
    live: { ...jwks, ...live(sims.main), ...roomy, CREDITS_START: '100' },
    /** One multi-tenant app; the tenant is each caller's tid. */
    multi: {
      ...jwks,
      JWT_ISSUER: MULTI_ISSUER,
      TENANT_MODE: 'multi',
      ALLOWED_TENANTS: `${sims.main.tenantId},${UNCONSENTED_TENANT}`,
      ...app,
      ...roomy,
    },
    /** The simulated tenant, signing in with a certificate (one PEM secret) instead of a secret. */
    cert: {
      ...jwks,
      ...roomy,
      AZURE_TENANT_ID: sims.main.tenantId,
      AZURE_CLIENT_ID: sims.main.clientId,
      AZURE_CLIENT_CERTIFICATE: `${certificate.certPem}\n${certificate.keyPem}`,
      AZURE_AUTHORITY_HOST: sims.main.authorityHost,
      GRAPH_ENDPOINT: sims.main.graphEndpoint,
      EXCHANGE_ENDPOINT: sims.main.exchangeEndpoint,
    },
    /** The simulated tenant with credits for one audit. */
    tight: { ...jwks, ...live(sims.main), ...roomy, CREDITS_START: '5' },
    /** An app without MailboxSettings.Read. */
    noperm: { ...jwks, ...live(sims.noGraph), ...roomy },
    /**
     * A tenant whose Get-InboxRule takes 1.2 s and Get-TransportRule 8 s; a 2 s deadline. Its 37
     * mailboxes are two units of 20 (core rounds `batch` up), so one unit at a time outlasts it.
     */
    slow: { ...jwks, ...live(sims.slow), ...roomy, AUDIT_DEADLINE_SECONDS: '2' },
    /**
     * 19 outgoing requests per request (16 for Microsoft 365 on workerd, which keeps 3): one
     * mailbox fits (16 sent: its group-scoped policy's lookups, the audit settings' batch and
     * the audit log query's three requests included); a `users` list of all (planned 21) or
     * every mailbox with transport rules (21 once listed) does not.
     */
    budget: { ...jwks, ...live(sims.main), RATE_LIMIT_PER_MINUTE: '0', SUBREQUEST_BUDGET: '19' },
  }
}

/**
 * Start everything: the simulators and the issuer, then both runtimes side by side, and beside
 * them `alongside` (the CLI's reference audit), which needs only the simulators.
 */
export async function startFixtures<T>(
  alongside: (sims: Fixtures['sims']) => Promise<T>
): Promise<{ fixtures: Fixtures; alongside: T }> {
  const ca = testCaFromEnv()
  const [issuer, appCertificate] = await Promise.all([startTokenIssuer(ca), readerCertificate()])
  const [main, noGraph, slow] = await Promise.all([
    startSimulator({
      tenant: SIMULATED_TENANT,
      ca,
      app: {
        certificatePem: appCertificate.certPem,
        // Every permission, optional ones too: the status endpoint's checks are all granted.
        graphRoles: [
          'User.Read.All',
          'MailboxSettings.Read',
          'Domain.Read.All',
          'AuditLogsQuery.Read.All',
          'Mail.ReadBasic.All',
        ],
      },
    }),
    startSimulator({ tenant: SIMULATED_TENANT, ca, app: { graphRoles: ['User.Read.All'] } }),
    startSimulator({
      tenant: SIMULATED_TENANT,
      ca,
      cmdletLatencyMs: { 'Get-InboxRule': 1200, 'Get-TransportRule': 8000 },
    }),
  ])
  const sims = { main, noGraph, slow }
  const configs = configsFor(issuer, sims, appCertificate)
  const [deno, workerd, extra] = await Promise.allSettled([
    startDeno(configs),
    startWorkerd(configs),
    alongside(sims),
  ])
  const close = async () => {
    for (const result of [deno, workerd]) {
      if (result.status === 'fulfilled') await result.value.close()
    }
    await Promise.all([main.close(), noGraph.close(), slow.close(), issuer.close()])
  }
  const failed = [deno, workerd, extra].find((result) => result.status === 'rejected')
  if (failed) {
    await close()
    throw (failed as PromiseRejectedResult).reason
  }
  const value = <V>(result: PromiseSettledResult<V>) => (result as PromiseFulfilledResult<V>).value
  return {
    fixtures: {
      issuer,
      appCertificate,
      sims,
      configs,
      runtimes: { deno: value(deno), workerd: value(workerd) },
      responses: [],
      close,
    },
    alongside: value(extra),
  }
}

/** A self-signed certificate for the reader app, with its PKCS#8 key, as Entra would hold it. */
async function readerCertificate(): Promise<{ certPem: string; keyPem: string }> {
  const cert = await generate([{ name: 'commonName', value: 'forwarding-audit reader' }], {
    keySize: 2048,
    algorithm: 'sha256',
  })
  return { certPem: cert.cert, keyPem: cert.private }
}
