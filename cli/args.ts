/**
 * @module cli/args
 * argv → the request fields plus the CLI's own options. The seed's flags map one to one onto
 * the request body; validation of values is the core schema's job.
 */
import { parseArgs } from 'node:util'
import {
  type FieldNamer,
  OUTPUT_FORMATS,
  type OutputFormat,
  RISK_LEVELS,
  type RiskLevel,
  UsageError,
} from '../core/index.ts'
import type { LiveFlags } from './live-config.ts'

export interface CliOptions {
  /**
   * `audit` (the default), `snapshot` (export the live tenant), `status` (check access),
   * `events` (the forwarding changes in an audit-log export, `eventsFile`) or `allowlist-check`
   * (`allowlist check FILE`, `allowlistFile`).
   */
  command: 'audit' | 'snapshot' | 'status' | 'events' | 'allowlist-check' | 'help' | 'version'
  eventsFile?: string
  /** `allowlist check FILE`: the file to check. */
  allowlistFile?: string
  /** `COMMAND --help`: the command whose help to show. */
  helpTopic?: string
  /** The flags the user gave, for commands that refuse flags that do not apply to them. */
  given?: string[]
  request: Record<string, unknown>
  userFile?: string
  snapshot?: string
  allowlist?: string
  /**
   * A previous JSON report or a snapshot: --fail-on then counts only new and raised findings;
   * with `--hidden-sweep changed`, a snapshot's hidden rules stand in for mailboxes not swept.
   */
  baseline?: string
  format: OutputFormat
  output?: string
  failOn?: RiskLevel
  /** Factor lines under every finding in the table and markdown, not only high and critical. */
  explain?: boolean
  live: LiveFlags
  /** Stop reading after this many seconds and report what was read. */
  deadlineSeconds?: number
}

export const CLI_FLAGS = {
  user: { type: 'string' },
  'all-users': { type: 'boolean' },
  'user-file': { type: 'string' },
  batch: { type: 'string' },
  'external-only': { type: 'boolean' },
  'flag-freemail': { type: 'boolean' },
  'include-transport-rules': { type: 'boolean' },
  'include-inbox-rules': { type: 'boolean' },
  'no-include-inbox-rules': { type: 'boolean' },
  since: { type: 'string' },
  'risk-threshold': { type: 'string' },
  concurrency: { type: 'string' },
  'recent-days': { type: 'string' },
  'audit-log-days': { type: 'string' },
  'hidden-sweep': { type: 'string' },
  snapshot: { type: 'string' },
  allowlist: { type: 'string' },
  baseline: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  explain: { type: 'boolean' },
  cloud: { type: 'string' },
  'tenant-id': { type: 'string' },
  'client-id': { type: 'string' },
  'authority-host': { type: 'string' },
  'graph-endpoint': { type: 'string' },
  'exchange-endpoint': { type: 'string' },
  deadline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const

/** The commands besides the default audit. */
const COMMANDS = ['snapshot', 'status', 'events', 'allowlist']

/** The flag that sets a request field: `all_users` → `--all-users`, `users` → `--user-file`. */
export const flagFor: FieldNamer = (field) =>
  field === 'users' ? '--user-file' : `--${field.replaceAll('_', '-')}`

const EXTENSION_FORMATS: Record<string, OutputFormat> = {
  json: 'json',
  csv: 'csv',
  md: 'markdown',
  sarif: 'sarif',
}

/** Parse argv (without node and the script). Throws UsageError naming the flag. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>
  let positionals: string[]
  let tokens: { kind: string; name?: string; value?: string | undefined }[]
  try {
    ;({ values, positionals, tokens } = parseArgs({
      args: argv,
      options: CLI_FLAGS,
      allowPositionals: true,
      strict: true,
      tokens: true,
    }))
  } catch (error) {
    throw new UsageError(`${cleanParseError(error)}; run forwarding-audit --help for the flags`)
  }
  // Each flag takes one value: a second `--user` would silently replace the first, and the
  // mailbox the user meant to audit too would go unaudited.
  const seen = new Set<string>()
  for (const token of tokens) {
    if (token.kind !== 'option' || token.value === undefined || !token.name) continue
    if (seen.has(token.name)) {
      const several = token.name === 'user' ? '; for several mailboxes use --user-file' : ''
      throw new UsageError(
        `--${token.name} is given twice: give it once${several}`,
        `--${token.name}`
      )
    }
    seen.add(token.name)
  }
  // `--snapshot ""` or `--fail-on=` is a mistake (often an unset CI variable), never a default.
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(
        `--${name} is empty: give it a value, or leave the flag out for its default`,
        `--${name}`
      )
    }
  }
  if (values.help) {
    const topic = positionals[0]
    return {
      command: 'help',
      request: {},
      format: 'table',
      live: {},
      ...(topic !== undefined ? { helpTopic: topic } : {}),
    }
  }
  if (values.version) return { command: 'version', request: {}, format: 'table', live: {} }
  const [given, ...rest] = positionals
  const eventsFile = given === 'events' ? rest.shift() : undefined
  // `allowlist check FILE` takes arguments of its own.
  const allowlistFile = given === 'allowlist' ? allowlistCheckFile(positionals) : undefined
  if (allowlistFile !== undefined) rest.length = 0
  const command = allowlistFile === undefined ? given : 'allowlist-check'
  const extra = rest[0]
  if (extra !== undefined || (given !== undefined && !COMMANDS.includes(given))) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(extra ?? command)}: the commands are ${COMMANDS.slice(0, -1).join(', ')} and ${COMMANDS.at(-1)}, and flags start with --; see --help`
    )
  }
  if (command === 'events') eventsOnly(values, eventsFile)
  if (values.baseline !== undefined && command !== undefined) {
    throw new UsageError(
      `--baseline compares audits of a tenant or snapshot: the ${command} command takes none`,
      '--baseline'
    )
  }
  if (values['include-inbox-rules'] && values['no-include-inbox-rules']) {
    throw new UsageError(
      '--include-inbox-rules and --no-include-inbox-rules exclude each other: give one'
    )
  }

  const request: Record<string, unknown> = {}
  const set = (field: string, value: unknown) => {
    if (value !== undefined) request[field] = value
  }
  set('user', values.user)
  set('all_users', values['all-users'])
  set('external_only', values['external-only'])
  set('flag_freemail', values['flag-freemail'])
  set('include_transport_rules', values['include-transport-rules'])
  set(
    'include_inbox_rules',
    values['no-include-inbox-rules'] ? false : values['include-inbox-rules']
  )
  set('since', values.since)
  set('risk_threshold', values['risk-threshold'])
  set('batch', integer('--batch', values.batch as string | undefined))
  set('concurrency', integer('--concurrency', values.concurrency as string | undefined))
  set('recent_days', integer('--recent-days', values['recent-days'] as string | undefined))
  set('audit_log_days', integer('--audit-log-days', values['audit-log-days'] as string | undefined))
  set('hidden_sweep', values['hidden-sweep'])

  const output = values.output as string | undefined
  const deadline = integer('--deadline', values.deadline as string | undefined)
  return {
    command: (command ?? 'audit') as CliOptions['command'],
    ...(allowlistFile !== undefined ? { allowlistFile } : {}),
    given: Object.keys(values).map((name) => `--${name}`),
    request,
    live: liveFlags(values),
    ...(deadline !== undefined ? { deadlineSeconds: deadline } : {}),
    format: formatOf(values.format as string | undefined, output),
    ...(eventsFile !== undefined ? { eventsFile } : {}),
    ...(values['user-file'] !== undefined ? { userFile: values['user-file'] as string } : {}),
    ...(values.snapshot !== undefined ? { snapshot: values.snapshot as string } : {}),
    ...(values.allowlist !== undefined ? { allowlist: values.allowlist as string } : {}),
    ...(values.baseline !== undefined ? { baseline: values.baseline as string } : {}),
    ...(output !== undefined ? { output } : {}),
    ...(values['fail-on'] !== undefined ? { failOn: level(values['fail-on'] as string) } : {}),
    ...(values.explain ? { explain: true } : {}),
  }
}

/**
 * Flags that name another source than the log, or tune reading a live tenant: an error with
 * `events`, never ignored.
 */
const NOT_FOR_EVENTS = [
  'snapshot',
  'baseline',
  'batch',
  'concurrency',
  'deadline',
  'hidden-sweep',
  'audit-log-days',
  'cloud',
  'tenant-id',
  'client-id',
  'authority-host',
  'graph-endpoint',
  'exchange-endpoint',
]

function eventsOnly(values: Record<string, unknown>, file: string | undefined): void {
  if (file === undefined) {
    throw new UsageError(
      'events needs the audit-log export to read: forwarding-audit events FILE (docs/cli.md#events)',
      'FILE'
    )
  }
  const other = NOT_FOR_EVENTS.find((flag) => values[flag] !== undefined)
  if (other) {
    throw new UsageError(
      `--${other} does not apply to events, which reads only FILE: leave it out`,
      `--${other}`
    )
  }
}

function allowlistCheckFile(positionals: string[]): string {
  const [, verb, file, extra] = positionals
  if (verb !== 'check' || file === undefined || file.trim() === '' || extra !== undefined) {
    throw new UsageError('usage: forwarding-audit allowlist check FILE [--snapshot PATH]')
  }
  return file
}

function liveFlags(values: Record<string, string | boolean | undefined>): LiveFlags {
  const flags: LiveFlags = {}
  const take = (key: keyof LiveFlags, flag: string) => {
    if (typeof values[flag] === 'string') flags[key] = values[flag] as string
  }
  take('cloud', 'cloud')
  take('tenantId', 'tenant-id')
  take('clientId', 'client-id')
  take('authorityHost', 'authority-host')
  take('graphEndpoint', 'graph-endpoint')
  take('exchangeEndpoint', 'exchange-endpoint')
  return flags
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim()))
    throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(value)}`, flag)
  return Number(value)
}

function formatOf(format: string | undefined, output: string | undefined): OutputFormat {
  if (format !== undefined) {
    if ((OUTPUT_FORMATS as readonly string[]).includes(format)) return format as OutputFormat
    throw new UsageError(
      `--format must be one of ${OUTPUT_FORMATS.join(', ')}, not ${JSON.stringify(format)}`,
      '--format'
    )
  }
  const extension = output?.split('.').pop()?.toLowerCase()
  return (extension && EXTENSION_FORMATS[extension]) || 'table'
}

function level(value: string): RiskLevel {
  if ((RISK_LEVELS as readonly string[]).includes(value)) return value as RiskLevel
  throw new UsageError(
    `--fail-on must be one of ${RISK_LEVELS.join(', ')}, not ${JSON.stringify(value)}`,
    '--fail-on'
  )
}

/** Node's messages carry an error code and advice for the JS API; keep the part about the flag. */
function cleanParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | undefined)?.code
  // parseArgs names the option only in its message: `'--since <value>'`, `'-o, --output <value>'`.
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? quoted
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${quoted}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = flag.replace(/^--/, '') as keyof typeof CLI_FLAGS
    if (CLI_FLAGS[name]?.type === 'boolean') return `${flag} takes no value`
    // Missing, or the next argument starts with a dash (`--audit-log-days -1`).
    return `${flag} needs a value (write one that starts with a dash as ${flag}=VALUE)`
  }
  return message.split('\n')[0] ?? message
}
