/**
 * @module m365/clouds
 * Where Entra ID, Graph and Exchange Online live in each Microsoft cloud, and how a user's
 * overrides (a national cloud's new host, a proxy, the test simulator) are checked before any
 * credential is sent to them.
 *
 * Sources, checked 2026:
 * - Token authority and Graph roots: learn.microsoft.com/graph/deployments ("App registration and
 *   token service root endpoints", "Microsoft Graph and Graph Explorer service root endpoints").
 * - Exchange Online: Connect-ExchangeOnline `-ExchangeEnvironmentName` O365USGovGCCHigh /
 *   O365USGovDoD / O365China (MicrosoftDocs/office-docs-powershell app-only-auth-powershell-v2.md),
 *   whose connection hosts are outlook.office365.us (GCC High, connect-to-exchange-online-powershell
 *   .md), webmail.apps.mil (DoD; also listed with outlook-dod.office365.us in Microsoft's USGovDoD
 *   endpoint list) and partner.outlook.cn (21Vianet).
 */
import { UsageError } from '../errors/errors.ts'
import { AZURE_SETTING_NAMES, type SettingNames } from './setting-names.ts'
import type { CloudEndpoints } from './types.ts'

/** The clouds a tenant can live in: commercial (incl. GCC), GCC High, DoD, 21Vianet China. */
export type CloudName = 'global' | 'usgov' | 'usgovdod' | 'china'

/** Built-in endpoints per cloud; every one can be overridden through resolveEndpoints. */
export const CLOUDS: Readonly<Record<CloudName, Readonly<CloudEndpoints>>> = {
  global: {
    authority: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    exchange: 'https://outlook.office365.com',
  },
  usgov: {
    authority: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
    exchange: 'https://outlook.office365.us',
  },
  usgovdod: {
    authority: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
    exchange: 'https://webmail.apps.mil',
  },
  china: {
    authority: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    exchange: 'https://partner.outlook.cn',
  },
}

/** True for the names CLOUDS knows. */
export function isCloudName(value: string): value is CloudName {
  return Object.hasOwn(CLOUDS, value)
}

/** A cloud's endpoints with the user's overrides applied: https only, no trailing slash. */
export function resolveEndpoints(
  cloud: CloudName,
  overrides: Partial<CloudEndpoints> = {},
  names: Readonly<SettingNames> = AZURE_SETTING_NAMES
): CloudEndpoints {
  if (!isCloudName(cloud)) {
    const known = Object.keys(CLOUDS).join(', ')
    throw new UsageError(
      `${names.cloud} must be one of ${known}, not ${JSON.stringify(String(cloud))}`,
      names.cloud
    )
  }
  const base = CLOUDS[cloud]
  const pick = (key: keyof CloudEndpoints) => {
    const value = overrides[key]
    if (value === undefined) return base[key]
    // Set but empty is a mistake (a CI secret that did not resolve), not "use the default".
    if (value.trim() === '') {
      throw new UsageError(
        `${names[key]} is set but empty: give an https:// URL or unset it`,
        names[key]
      )
    }
    return httpsRoot(value.trim(), names[key], CLOUDS.global[key])
  }
  return { authority: pick('authority'), graph: pick('graph'), exchange: pick('exchange') }
}

/** `example` is the global cloud's value of the same setting, so the message names the right kind. */
function httpsRoot(value: string, setting: string, example: string): string {
  const invalid = (why: string) => new UsageError(why, setting)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalid(`${setting} must be an https:// URL such as ${example}`)
  }
  if (url.protocol !== 'https:') {
    // Tokens and client secrets go to these hosts: never over plain HTTP.
    throw invalid(`${setting} must be an https:// URL, not ${url.protocol}//`)
  }
  if (url.username || url.password) {
    throw invalid(`${setting} must not contain a user name or password`)
  }
  if (url.search || url.hash) {
    throw invalid(`${setting} must be a root URL without ?query or #fragment`)
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
}
