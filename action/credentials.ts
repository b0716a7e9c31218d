/**
 * @module action/credentials
 * Which credential a live run signs in with, in the action's order of preference: the job's
 * GitHub OIDC token (workload identity federation, no stored secret), then a certificate or a
 * client secret from the repository's secrets. The OIDC token is asked for with the audience
 * Entra's federated credentials expect and sent as the client assertion to the token endpoint,
 * for Graph and Exchange alike (docs/action.md, "Entra app registration").
 */
import * as actions from '@actions/core'
import { type LiveSettings, liveSettings, type SettingNames } from '../core/index.ts'
import type { Inputs } from './config.ts'

/** The audience Entra's federated identity credentials require of an external token. */
export const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange'

/** The action's names for the live settings, used in every message that asks for a fix. */
export const ACTION_SETTING_NAMES: SettingNames = {
  tenantId: 'tenant-id',
  clientId: 'client-id',
  clientSecret: 'client-secret',
  clientCertificate: 'client-certificate',
  federatedToken: 'the GitHub OIDC token (permissions: id-token: write)',
  cloud: 'cloud',
  authority: 'authority-host',
  graph: 'graph-endpoint',
  exchange: 'exchange-endpoint',
}

/** What the runner tells a step about OIDC: both are set when the job has `id-token: write`. */
export interface OidcEnv {
  requestUrl?: string | undefined
  requestToken?: string | undefined
}

/** Live settings from the inputs and the runner, or undefined when nothing asks for a live run. */
export function actionLiveSettings(inputs: Inputs, oidc: OidcEnv): LiveSettings | undefined {
  const given = (name: keyof Inputs) => inputs[name].trim() || undefined
  const oidcAvailable = Boolean(oidc.requestUrl && oidc.requestToken)
  const stored = given('client-secret')
    ? 'client-secret'
    : given('client-certificate')
      ? 'client-certificate'
      : undefined
  if (oidcAvailable && stored) {
    actions.warning(
      `${stored} is not used: the job has a GitHub OIDC token (permissions: id-token: write), which the action prefers. Remove ${stored} from the workflow, or run the audit in a job without id-token: write to sign in with it.`
    )
  }
  // Without tenant-id or client-id an OIDC-capable job is not asking for a live audit.
  const wantsLive = given('tenant-id') || given('client-id') || stored
  const githubToken = async () => {
    const token = await actions.getIDToken(FEDERATED_AUDIENCE)
    usedSubject = subjectOf(token)
    return token
  }
  return liveSettings(
    {
      tenantId: given('tenant-id'),
      clientId: given('client-id'),
      ...(oidcAvailable
        ? wantsLive
          ? { federatedToken: githubToken }
          : {}
        : {
            clientSecret: given('client-secret'),
            clientCertificate: given('client-certificate'),
          }),
      cloud: given('cloud'),
      authorityHost: given('authority-host'),
      graphEndpoint: given('graph-endpoint'),
      exchangeEndpoint: given('exchange-endpoint'),
    },
    ACTION_SETTING_NAMES
  )
}

/** Mask stored credentials before anything is logged: the whole value and each key line. */
export function maskSecrets(inputs: Inputs): void {
  const secret = inputs['client-secret'].trim()
  if (secret) actions.setSecret(secret)
  const pem = inputs['client-certificate']
  if (pem.trim()) {
    actions.setSecret(pem.trim())
    // The runner masks one line at a time; a private key's base64 lines are the secret.
    for (const line of pem.split(/\r?\n/)) {
      const trimmed = line.trim()
      if (trimmed.length >= 16 && !trimmed.startsWith('-----')) actions.setSecret(trimmed)
    }
  }
}

/** The `sub` of the last GitHub OIDC token sent to Entra, for a failed sign-in's message. */
let usedSubject: string | undefined

/**
 * What to add to a failed sign-in with a GitHub OIDC token: the subject the federated credential
 * must match. A subject names the repository and ref or environment, never a secret.
 */
export function federatedHint(): string | undefined {
  if (usedSubject === undefined) return undefined
  return `this job's GitHub OIDC token has subject ${usedSubject} and audience ${FEDERATED_AUDIENCE}: the app registration needs a federated credential with exactly that subject (docs/action.md)`
}

function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'))
    return typeof payload.sub === 'string' ? payload.sub : undefined
  } catch {
    return undefined
  }
}
