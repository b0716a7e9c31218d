/**
 * @module cli/live-config
 * The live settings from the environment and the command's flags (flags win), with the names a
 * user knows them by. Secrets come only from the environment or files, never from flags, which
 * other users can read in the process list. What is Node's alone stays here: reading the
 * certificate and token files, and converting a PKCS#1 or encrypted key to the PKCS#8 that
 * Web Crypto (and so core) accepts.
 */
import { createPrivateKey } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  AZURE_SETTING_NAMES,
  type LiveSettings,
  liveSettings,
  type SettingNames,
  UsageError,
} from '../core/index.ts'

export interface LiveFlags {
  cloud?: string
  tenantId?: string
  clientId?: string
  authorityHost?: string
  graphEndpoint?: string
  exchangeEndpoint?: string
}

type Env = Record<string, string | undefined>

/** The command's names for its settings: the variable, and the flag that overrides it. */
export const CLI_SETTING_NAMES: SettingNames = {
  ...AZURE_SETTING_NAMES,
  tenantId: 'AZURE_TENANT_ID (or --tenant-id)',
  clientId: 'AZURE_CLIENT_ID (or --client-id)',
  cloud: '--cloud',
  authority: 'AZURE_AUTHORITY_HOST (or --authority-host)',
  graph: 'GRAPH_ENDPOINT (or --graph-endpoint)',
  exchange: 'EXCHANGE_ENDPOINT (or --exchange-endpoint)',
}

/** Settings that only a live audit reads: set without a credential, they mean one was meant. */
const LIVE_ONLY_VARIABLES = [
  'AZURE_AUTHORITY_HOST',
  'GRAPH_ENDPOINT',
  'EXCHANGE_ENDPOINT',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
]

/** The live settings, or undefined when no credential setting is present at all. */
export async function liveConfig(env: Env, flags: LiveFlags): Promise<LiveSettings | undefined> {
  const settings = await readLiveConfig(env, flags)
  // A CI job whose credential secrets are missing must not audit the demo tenant and pass.
  const meant = LIVE_ONLY_VARIABLES.find((name) => env[name] !== undefined)
  if (!settings && meant) {
    throw new UsageError(
      `${meant} is set, but no credential is: set AZURE_TENANT_ID, AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE (docs/cli.md), or unset ${meant} to audit the bundled demo tenant`,
      meant
    )
  }
  return settings
}

async function readLiveConfig(env: Env, flags: LiveFlags): Promise<LiveSettings | undefined> {
  const certificatePath = env.AZURE_CLIENT_CERTIFICATE_PATH
  const tokenPath = env.AZURE_FEDERATED_TOKEN_FILE
  return liveSettings(
    {
      tenantId: flags.tenantId ?? env.AZURE_TENANT_ID,
      clientId: flags.clientId ?? env.AZURE_CLIENT_ID,
      clientSecret: env.AZURE_CLIENT_SECRET,
      clientCertificate:
        certificatePath === undefined
          ? undefined
          : await certificatePem(certificatePath, env.AZURE_CLIENT_CERTIFICATE_PASSWORD),
      // Read at every token request: workload identity files are rotated while a job runs.
      federatedToken:
        tokenPath === undefined
          ? undefined
          : async () => (await readSetting('AZURE_FEDERATED_TOKEN_FILE', tokenPath)).trim(),
      cloud: flags.cloud,
      authorityHost: flags.authorityHost ?? env.AZURE_AUTHORITY_HOST,
      graphEndpoint: flags.graphEndpoint ?? env.GRAPH_ENDPOINT,
      exchangeEndpoint: flags.exchangeEndpoint ?? env.EXCHANGE_ENDPOINT,
    },
    CLI_SETTING_NAMES
  )
}

/** The certificate file, with its private key as PKCS#8 (PEM files often hold PKCS#1 or an encrypted key). */
async function certificatePem(path: string, passphrase: string | undefined): Promise<string> {
  const setting = 'AZURE_CLIENT_CERTIFICATE_PATH'
  if (path.trim() === '')
    throw new UsageError(`${setting} is set but empty: give a PEM file`, setting)
  const pem = await readSetting(setting, path)
  const key =
    /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(
      pem
    )?.[0]
  if (!key || key.startsWith('-----BEGIN PRIVATE KEY-----')) return pem
  try {
    const pkcs8 = createPrivateKey({ key, ...(passphrase ? { passphrase } : {}) }).export({
      type: 'pkcs8',
      format: 'pem',
    })
    return pem.replace(key, String(pkcs8).trim())
  } catch {
    throw new UsageError(
      `the private key in ${setting} cannot be read: check the file, or set AZURE_CLIENT_CERTIFICATE_PASSWORD`,
      setting
    )
  }
}

async function readSetting(name: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(
      `${name} ${path} cannot be read (${(error as NodeJS.ErrnoException).code})`,
      name
    )
  }
}
