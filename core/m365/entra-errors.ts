/**
 * @module m365/entra-errors
 * Turns Entra's token-endpoint refusals (`{ error, error_description, error_codes }`) into one
 * AUTH_FAILED line that names the setting to fix. The body never becomes a `cause` and the
 * description is redacted of whatever the request sent: a secret or assertion must not reach a
 * log even if a future error message were to echo it.
 */
import * as z from 'zod/mini'
import { AuditRunError } from '../errors/errors.ts'
import { AZURE_SETTING_NAMES, type SettingNames } from './setting-names.ts'
import type { Credential } from './types.ts'

const entraErrorBody = z.object({
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
  error_codes: z.optional(z.array(z.number())),
})

type Ids = Pick<Credential, 'kind' | 'tenantId' | 'clientId'>

const FEDERATED_FIX =
  "the federated token was rejected or has expired: check the federated credential's issuer, subject and audience (api://AzureADTokenExchange) on the app"

/** The fix for an AADSTS code, or undefined for codes without a specific one. */
export function aadstsFix(
  code: number,
  ids: Ids,
  names: SettingNames = AZURE_SETTING_NAMES
): string | undefined {
  switch (code) {
    case 7000215:
    case 7000222:
      return `the client secret is wrong or expired: create a new one and set ${names.clientSecret}`
    case 700016:
      return `no app with client id ${ids.clientId} in tenant ${ids.tenantId}: check ${names.clientId} and ${names.tenantId}`
    case 90002:
      return `tenant ${ids.tenantId} not found: check ${names.tenantId} (and the cloud, for GCC High, DoD or China tenants)`
    case 700027:
      return `the certificate is not registered on the app or does not match the private key: upload it to the app registration and check ${names.clientCertificate}`
    case 700024:
      // A certificate assertion is signed here with this machine's clock; a skewed clock is the usual cause.
      return ids.kind === 'certificate'
        ? "the client assertion is outside its valid time range: check this machine's clock"
        : FEDERATED_FIX
    case 700211:
    case 70021:
      return FEDERATED_FIX
    default:
      return undefined
  }
}

/** AUTH_FAILED for a non-transient token-endpoint answer; `sent` are strings to redact. */
export function tokenRequestError(input: {
  status: number
  body: unknown
  host: string
  ids: Ids
  sent: string[]
  names?: SettingNames
}): AuditRunError {
  const names = input.names ?? AZURE_SETTING_NAMES
  const parsed = entraErrorBody.safeParse(input.body)
  const body = parsed.success ? parsed.data : {}
  const code = body.error_codes?.[0] ?? codeIn(body.error_description)
  const fail = (detail: string) =>
    new AuditRunError('AUTH_FAILED', redact(detail, input.sent), { userFixable: true })
  if (code === undefined) {
    const error = body.error ? ` (${body.error})` : ''
    return fail(
      `Microsoft Entra ID at ${input.host} answered HTTP ${input.status}${error} to the token request: check ${names.authority} and ${names.tenantId}`
    )
  }
  const fix =
    aadstsFix(code, input.ids, names) ?? firstSentence(body.error_description) ?? body.error
  return fail(`Microsoft Entra ID refused the app's sign-in (AADSTS${code}): ${fix ?? 'no detail'}`)
}

function codeIn(description: string | undefined): number | undefined {
  const match = /AADSTS(\d+)/.exec(description ?? '')
  return match ? Number(match[1]) : undefined
}

function firstSentence(description: string | undefined): string | undefined {
  const text = description
    ?.replace(/^AADSTS\d+:\s*/, '')
    .replace(/\s*Trace ID:[\s\S]*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
  if (!text) return undefined
  // A sentence ends at . ! or ? before a space; dots inside host names do not end one.
  const sentence = /^[\s\S]*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text
  return sentence.length > 300 ? `${sentence.slice(0, 297)}...` : sentence
}

function redact(text: string, sent: string[]): string {
  return sent.reduce(
    (result, value) => (value ? result.split(value).join('[redacted]') : result),
    text
  )
}
