/**
 * @module cli/live-config
 * Credentials and endpoints for a live audit, from the Azure SDK's conventional variables and
 * the command's flags (flags win). Secrets come only from the environment or files, never
 * from flags, which other users can read in the process list.
 */
import { createPrivateKey } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { CLOUDS, type CloudName, isCloudName, resolveEndpoints } from '../core/live/clouds.ts'
import type { CloudEndpoints, Credential } from '../core/live/types.ts'
import { UsageError } from './usage-error.ts'

export interface LiveFlags {
  cloud?: string
  tenantId?: string
  clientId?: string
  authorityHost?: string
  graphEndpoint?: string
  exchangeEndpoint?: string
}

export interface LiveConfig {
  credential: Credential
  endpoints: CloudEndpoints
}

type Env = Record<string, string | undefined>

/** The live configuration, or undefined when nothing asks for a live audit. */
export async function liveConfig(env: Env, flags: LiveFlags): Promise<LiveConfig | undefined> {
  const tenantId = flags.tenantId ?? env.AZURE_TENANT_ID
  const clientId = flags.clientId ?? env.AZURE_CLIENT_ID
  if (!tenantId && !clientId) return undefined
  if (!tenantId)
    throw new UsageError(
      'AZURE_TENANT_ID (or --tenant-id) is not set: give the tenant GUID or contoso.onmicrosoft.com'
    )
  if (!clientId)
    throw new UsageError(
      "AZURE_CLIENT_ID (or --client-id) is not set: give the app registration's application (client) id"
    )
  const cloud = flags.cloud ?? 'global'
  if (!isCloudName(cloud)) {
    throw new UsageError(
      `--cloud must be one of ${Object.keys(CLOUDS).join(', ')}, not ${JSON.stringify(cloud)}`
    )
  }
  const endpoints = resolveEndpoints(cloud as CloudName, {
    ...optional('authority', flags.authorityHost ?? env.AZURE_AUTHORITY_HOST),
    ...optional('graph', flags.graphEndpoint ?? env.GRAPH_ENDPOINT),
    ...optional('exchange', flags.exchangeEndpoint ?? env.EXCHANGE_ENDPOINT),
  })
  return { credential: await credentialOf(tenantId, clientId, env), endpoints }
}

async function credentialOf(tenantId: string, clientId: string, env: Env): Promise<Credential> {
  if (env.AZURE_CLIENT_SECRET) {
    return { kind: 'secret', tenantId, clientId, clientSecret: env.AZURE_CLIENT_SECRET }
  }
  if (env.AZURE_CLIENT_CERTIFICATE_PATH) {
    const pem = await readSetting(
      'AZURE_CLIENT_CERTIFICATE_PATH',
      env.AZURE_CLIENT_CERTIFICATE_PATH
    )
    return {
      kind: 'certificate',
      tenantId,
      clientId,
      ...certificateParts(pem, env.AZURE_CLIENT_CERTIFICATE_PASSWORD),
    }
  }
  if (env.AZURE_FEDERATED_TOKEN_FILE) {
    const path = env.AZURE_FEDERATED_TOKEN_FILE
    // Read at every token request: workload identity files are rotated while a job runs.
    return {
      kind: 'federated',
      tenantId,
      clientId,
      assertion: async () => (await readSetting('AZURE_FEDERATED_TOKEN_FILE', path)).trim(),
    }
  }
  throw new UsageError(
    'no credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE for the app in AZURE_CLIENT_ID'
  )
}

/** The Azure SDK's certificate file is one PEM holding the certificate and its private key. */
function certificateParts(pem: string, passphrase: string | undefined) {
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  const key =
    /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(
      pem
    )?.[0]
  if (!certificate || !key) {
    throw new UsageError(
      'AZURE_CLIENT_CERTIFICATE_PATH must be a PEM file with both the certificate and its private key'
    )
  }
  try {
    // jose takes PKCS#8; PEM files often hold PKCS#1 ("RSA PRIVATE KEY") or an encrypted key.
    const pkcs8 = createPrivateKey({ key, ...(passphrase ? { passphrase } : {}) }).export({
      type: 'pkcs8',
      format: 'pem',
    })
    return { certificatePem: certificate, privateKeyPem: String(pkcs8) }
  } catch {
    throw new UsageError(
      'the private key in AZURE_CLIENT_CERTIFICATE_PATH cannot be read: check the file, or set AZURE_CLIENT_CERTIFICATE_PASSWORD'
    )
  }
}

async function readSetting(name: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(
      `${name} ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`
    )
  }
}

function optional(key: keyof CloudEndpoints, value: string | undefined) {
  return value ? { [key]: value } : {}
}
