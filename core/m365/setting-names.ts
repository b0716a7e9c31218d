/**
 * @module m365/setting-names
 * Core says which credential or endpoint failed; the adapter says what the user calls it: an
 * environment variable for the CLI and the worker, an input for the action. Every message that
 * asks the user to change a setting takes the name from here.
 */

/** The user-facing name of each live setting. */
export interface SettingNames {
  tenantId: string
  clientId: string
  clientSecret: string
  clientCertificate: string
  federatedToken: string
  cloud: string
  authority: string
  graph: string
  exchange: string
}

/** The Azure SDK's conventional environment variables, which the CLI and the worker read. */
export const AZURE_SETTING_NAMES: Readonly<SettingNames> = {
  tenantId: 'AZURE_TENANT_ID',
  clientId: 'AZURE_CLIENT_ID',
  clientSecret: 'AZURE_CLIENT_SECRET',
  clientCertificate: 'AZURE_CLIENT_CERTIFICATE_PATH',
  federatedToken: 'AZURE_FEDERATED_TOKEN_FILE',
  cloud: 'cloud',
  authority: 'AZURE_AUTHORITY_HOST',
  graph: 'GRAPH_ENDPOINT',
  exchange: 'EXCHANGE_ENDPOINT',
}
