/**
 * @module sources/live/settings
 * The settings of a live audit, from the values an adapter read (environment, flags, action
 * inputs, secrets) to credentials and endpoints. Fail loud: a setting that is present but empty
 * is an error, not "unset", and some credentials without the others is an error naming what is
 * missing; only when no credential setting is present at all is there no live tenant (and the
 * adapter may fall back to the demo). Messages use the adapter's names for its settings.
 */
import { UsageError } from '../../errors/errors.ts'
import { type CloudName, isCloudName, resolveEndpoints } from '../../m365/clouds.ts'
import { AZURE_SETTING_NAMES, type SettingNames } from '../../m365/setting-names.ts'
import type { CloudEndpoints, Credential } from '../../m365/types.ts'

/** Values as the adapter read them: undefined means not set, a string (even '') means set. */
export interface LiveSettingValues {
  tenantId?: string | undefined
  clientId?: string | undefined
  clientSecret?: string | undefined
  /** One PEM holding the app's certificate and its PKCS#8 private key. */
  clientCertificate?: string | undefined
  /** Where a federated token (GitHub OIDC, a workload identity file) comes from, fresh each time. */
  federatedToken?: (() => Promise<string>) | undefined
  cloud?: string | undefined
  authorityHost?: string | undefined
  graphEndpoint?: string | undefined
  exchangeEndpoint?: string | undefined
}

/** What connectLive needs: one credential, the endpoints, and the names for messages. */
export interface LiveSettings {
  credential: Credential
  endpoints: CloudEndpoints
  names: SettingNames
}

/**
 * Resolve live settings; undefined when no credential setting is present at all.
 * @example
 * const settings = liveSettings({ tenantId: env.AZURE_TENANT_ID, clientId: env.AZURE_CLIENT_ID,
 *   clientSecret: env.AZURE_CLIENT_SECRET })
 * if (settings) await runAudit(request, connectLive(settings).source)
 */
export function liveSettings(
  values: LiveSettingValues,
  names: SettingNames = AZURE_SETTING_NAMES
): LiveSettings | undefined {
  const asked = [
    values.tenantId,
    values.clientId,
    values.clientSecret,
    values.clientCertificate,
    values.federatedToken,
  ].some((value) => value !== undefined)
  if (!asked) return undefined
  const tenantId = required(
    values.tenantId,
    names.tenantId,
    'the tenant GUID or contoso.onmicrosoft.com'
  )
  const clientId = required(
    values.clientId,
    names.clientId,
    "the app registration's application (client) id"
  )
  const cloud = values.cloud ?? 'global'
  if (!isCloudName(cloud)) {
    throw new UsageError(
      `${names.cloud} must be one of global, usgov, usgovdod, china, not ${JSON.stringify(cloud)}`,
      names.cloud
    )
  }
  const endpoints = resolveEndpoints(
    cloud as CloudName,
    {
      ...optional('authority', values.authorityHost),
      ...optional('graph', values.graphEndpoint),
      ...optional('exchange', values.exchangeEndpoint),
    },
    names
  )
  return { credential: credentialOf(tenantId, clientId, values, names), endpoints, names }
}

function credentialOf(
  tenantId: string,
  clientId: string,
  values: LiveSettingValues,
  names: SettingNames
): Credential {
  // The Azure SDK's order: a secret, then a certificate, then a federated token.
  if (values.clientSecret !== undefined) {
    const clientSecret = required(values.clientSecret, names.clientSecret, 'the client secret')
    return { kind: 'secret', tenantId, clientId, clientSecret }
  }
  if (values.clientCertificate !== undefined) {
    const pem = required(values.clientCertificate, names.clientCertificate, 'a PEM certificate')
    return { kind: 'certificate', tenantId, clientId, ...certificateParts(pem, names) }
  }
  if (values.federatedToken !== undefined) {
    return { kind: 'federated', tenantId, clientId, assertion: values.federatedToken }
  }
  throw new UsageError(
    `no credential: set ${names.clientSecret}, ${names.clientCertificate} or ${names.federatedToken} for the app in ${names.clientId}`,
    names.clientSecret
  )
}

/** The certificate and the private key blocks of one PEM (the Azure SDK's certificate file). */
function certificateParts(pem: string, names: SettingNames) {
  const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  const key =
    /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----/.exec(
      pem
    )?.[0]
  if (!certificate || !key) {
    throw new UsageError(
      `${names.clientCertificate} must be a PEM with both the certificate and its private key`,
      names.clientCertificate
    )
  }
  return { certificatePem: certificate, privateKeyPem: key }
}

function required(value: string | undefined, name: string, what: string): string {
  if (value === undefined) throw new UsageError(`${name} is not set: give ${what}`, name)
  const trimmed = value.trim()
  if (trimmed === '') throw new UsageError(`${name} is set but empty: give ${what}`, name)
  return trimmed
}

function optional(key: keyof CloudEndpoints, value: string | undefined) {
  return value === undefined ? {} : { [key]: value }
}
