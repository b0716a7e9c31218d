/**
 * @module action/config
 * The action's inputs, as the entry point read them, checked and typed before any work starts.
 * Every error names the input and the fix. GitHub gives an input that was not set the value ''
 * (or its default from action.yml), so here, unlike the CLI, an empty input means "not given".
 */
import { type FieldNamer, RISK_LEVELS, type RiskLevel, UsageError } from '../core/index.ts'

/** Every input action.yml declares; main.ts reads each of them once. */
export const INPUT_NAMES = [
  'command',
  'user',
  'all-users',
  'user-file',
  'external-only',
  'flag-freemail',
  'include-transport-rules',
  'include-inbox-rules',
  'since',
  'risk-threshold',
  'concurrency',
  'batch',
  'snapshot',
  'baseline',
  'allowlist',
  'fail-on',
  'sarif-file',
  'output',
  'tenant-id',
  'client-id',
  'client-secret',
  'client-certificate',
  'cloud',
  'authority-host',
  'graph-endpoint',
  'exchange-endpoint',
] as const

export type InputName = (typeof INPUT_NAMES)[number]
export type Inputs = Record<InputName, string>

/** Inputs that only a live tenant uses. */
export const LIVE_INPUTS = [
  'tenant-id',
  'client-id',
  'client-secret',
  'client-certificate',
  'cloud',
  'authority-host',
  'graph-endpoint',
  'exchange-endpoint',
] as const satisfies readonly InputName[]

/** Inputs that only an audit uses (the snapshot command exports, it does not judge). */
const AUDIT_ONLY = ['snapshot', 'baseline', 'allowlist', 'sarif-file'] as const

/** The input that sets a request field, for core's messages. */
export const inputFor: FieldNamer = (field) =>
  field === 'users' ? 'user-file' : field.replaceAll('_', '-')

export interface ActionConfig {
  command: 'audit' | 'snapshot'
  /** The request fields the inputs set (checked by core's schema before any work). */
  request: Record<string, unknown>
  userFile?: string
  snapshot?: string
  baseline?: string
  allowlist?: string
  failOn: RiskLevel
  sarifFile?: string
  output?: string
}

/** Check the inputs; throws UsageError naming the first wrong one. */
export function parseConfig(inputs: Inputs): ActionConfig {
  const given = (name: InputName): string | undefined => inputs[name].trim() || undefined
  const command = given('command') ?? 'audit'
  if (command !== 'audit' && command !== 'snapshot') {
    throw new UsageError(
      `command must be audit or snapshot, not ${JSON.stringify(command)}`,
      'command'
    )
  }
  if (command === 'snapshot') {
    const extra = AUDIT_ONLY.find((name) => given(name) !== undefined)
    if (extra) {
      throw new UsageError(
        `${extra} is for audits: command snapshot exports the live tenant; remove ${extra} or use command audit`,
        extra
      )
    }
  }
  if (given('snapshot')) {
    const live = LIVE_INPUTS.find((name) => given(name) !== undefined)
    if (live) {
      throw new UsageError(
        `${live} is for live audits, and snapshot is set: the audit reads the snapshot file; remove ${live} or snapshot`,
        live
      )
    }
  }
  if (given('client-secret') && given('client-certificate')) {
    throw new UsageError(
      'client-secret and client-certificate are both set: give one credential',
      'client-certificate'
    )
  }
  const request: Record<string, unknown> = {}
  const set = (field: string, value: unknown) => {
    if (value !== undefined) request[field] = value
  }
  set('user', given('user'))
  set('all_users', flag(inputs, 'all-users'))
  set('external_only', flag(inputs, 'external-only'))
  set('flag_freemail', flag(inputs, 'flag-freemail'))
  set('include_transport_rules', flag(inputs, 'include-transport-rules'))
  set('include_inbox_rules', flag(inputs, 'include-inbox-rules'))
  set('since', given('since'))
  set('risk_threshold', given('risk-threshold'))
  set('concurrency', whole(inputs, 'concurrency'))
  set('batch', whole(inputs, 'batch'))
  const failOn = given('fail-on') ?? 'high'
  if (!(RISK_LEVELS as readonly string[]).includes(failOn)) {
    throw new UsageError(
      `fail-on must be one of ${RISK_LEVELS.join(', ')}, not ${JSON.stringify(failOn)}`,
      'fail-on'
    )
  }
  const path = (name: InputName) => given(name)
  return {
    command,
    request,
    failOn: failOn as RiskLevel,
    ...optional('userFile', path('user-file')),
    ...optional('snapshot', path('snapshot')),
    ...optional('baseline', path('baseline')),
    ...optional('allowlist', path('allowlist')),
    ...optional('sarifFile', path('sarif-file')),
    ...optional('output', path('output')),
  }
}

function optional<K extends string>(key: K, value: string | undefined) {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>
}

/** YAML 1.2's booleans, as @actions/core's getBooleanInput takes them; '' is not given. */
function flag(inputs: Inputs, name: InputName): boolean | undefined {
  const value = inputs[name].trim()
  if (value === '') return undefined
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new UsageError(`${name} must be true or false, not ${JSON.stringify(value)}`, name)
}

function whole(inputs: Inputs, name: InputName): number | undefined {
  const value = inputs[name].trim()
  if (value === '') return undefined
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`${name} must be a whole number, not ${JSON.stringify(value)}`, name)
  }
  return Number(value)
}
