#!/usr/bin/env node
/**
 * @module cli/main
 * The `forwarding-audit` command: argv, environment and files in; one core call; a report or
 * a snapshot out; an exit status.
 */
import { writeFile } from 'node:fs/promises'
import {
  type Allowlist,
  AUDIT_REQUEST_FIELDS,
  type AuditRequest,
  atLeast,
  InvalidInputError,
  isAuditError,
  parseAllowlist,
  parseAuditRequest,
  runAudit,
  snapshotSource,
  type TenantSource,
} from '../core/index.ts'
import { connectLive } from '../core/live/connect.ts'
import { formatReport } from '../core/report/formats/index.ts'
import { exportSnapshot } from '../core/sources/live/export.ts'
import demoTenant from '../demo/contoso-tenant.json' with { type: 'json' }
import pkg from '../package.json' with { type: 'json' }
import { type CliOptions, parseCliArgs } from './args.ts'
import { EXIT } from './exit-codes.ts'
import { HELP } from './help.ts'
import { type LiveConfig, liveConfig } from './live-config.ts'
import { nodeContext } from './node-context.ts'
import { progressReporter } from './progress.ts'
import { readJsonFile, readUserFile } from './read-input.ts'
import { UsageError } from './usage-error.ts'

export interface CliIo {
  argv: string[]
  env: Record<string, string | undefined>
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/** Run the command; resolves to the exit status. Never throws. */
export async function main(io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(io.argv)
    if (options.command === 'help') return print(io.stdout, HELP)
    if (options.command === 'version') return print(io.stdout, `forwarding-audit ${pkg.version}\n`)
    const input = { ...options.request }
    if (options.userFile) input.users = await readUserFile(options.userFile)
    const live = options.snapshot ? undefined : await liveConfig(io.env, options.live)
    if (options.command === 'snapshot') return await snapshot(options, input, live, io)
    return await audit(options, input, live, io)
  } catch (error) {
    return report(error, io)
  }
}

async function audit(
  options: CliOptions,
  input: Record<string, unknown>,
  live: LiveConfig | undefined,
  io: CliIo
): Promise<number> {
  const demo = !options.snapshot && !live
  if (demo) useDemoDefaults(input)
  // Everything the user gave is checked before any work starts, so an error is the only output.
  const request = parseAuditRequest(input)
  const allowlist: Allowlist | undefined = options.allowlist
    ? parseAllowlist(await readJsonFile('--allowlist', options.allowlist))
    : undefined
  const signal = deadline(options)
  const source = await sourceFor(options, live, signal)
  if (demo) {
    io.stderr.write(
      'auditing the bundled demo tenant (no --snapshot, no credentials): all mailboxes, transport rules, freemail flagged\n'
    )
  }
  const result = await runAudit(request, source, {
    ...(allowlist ? { allowlist } : {}),
    ...(signal ? { signal } : {}),
    onProgress: progressReporter(io.stderr),
  })
  const color =
    !options.output && io.stdout.isTTY === true && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb'
  const text = formatReport(result, options.format, {
    color,
    // A terminal sets the width; a pipe or a file gets whole values.
    width: io.stdout.isTTY && !options.output ? (io.stdout.columns ?? 100) : 200,
    toolVersion: pkg.version,
    ...(options.snapshot ? { artifactUri: options.snapshot } : {}),
  })
  await emit(
    text,
    options.output,
    io,
    `${options.format} report (${result.meta.total_findings} findings)`
  )
  const failing = options.failOn
    ? result.data.findings.filter((f) => !f.suppressed && atLeast(f.risk_level, options.failOn!))
    : []
  if (failing.length > 0) {
    io.stderr.write(`${failing.length} finding(s) at or above --fail-on ${options.failOn}\n`)
    return EXIT.findings
  }
  return EXIT.ok
}

/** `forwarding-audit snapshot`: the live tenant, written in the offline snapshot format. */
async function snapshot(
  options: CliOptions,
  input: Record<string, unknown>,
  live: LiveConfig | undefined,
  io: CliIo
): Promise<number> {
  if (!live) {
    throw new UsageError(
      'snapshot reads a live tenant: set AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential (docs/cli.md)'
    )
  }
  input.all_users ??= input.user === undefined && input.users === undefined
  const request: AuditRequest = parseAuditRequest(input)
  const signal = deadline(options)
  const { reader } = connectLive({ ...live, context: nodeContext(signal) })
  const progress = progressReporter(io.stderr)
  const result = await exportSnapshot(reader, {
    scope: request.all_users
      ? { kind: 'all' }
      : { kind: 'listed', upns: request.users ?? [request.user as string] },
    concurrency: request.concurrency,
    batch: request.batch,
    ...(signal ? { signal } : {}),
    onProgress: progress,
  })
  const count = result.snapshot.mailboxes.length
  const unread = result.snapshot.mailboxes.filter((m) => m.unreadable).length
  await emit(
    `${JSON.stringify(result.snapshot, null, 2)}\n`,
    options.output,
    io,
    `snapshot of ${count} mailboxes (${unread} unreadable)`
  )
  for (const address of result.missing) io.stderr.write(`no mailbox ${address} in the tenant\n`)
  if (!result.complete)
    io.stderr.write('the snapshot is incomplete: unread mailboxes are marked unreadable in it\n')
  return EXIT.ok
}

async function sourceFor(
  options: CliOptions,
  live: LiveConfig | undefined,
  signal: AbortSignal | undefined
): Promise<TenantSource> {
  if (options.snapshot) return snapshotSource(await readJsonFile('--snapshot', options.snapshot))
  if (live) return connectLive({ ...live, context: nodeContext(signal) }).source
  return snapshotSource(demoTenant)
}

/** The demo shows every kind of finding unless the user narrowed it. */
function useDemoDefaults(request: Record<string, unknown>): void {
  request.all_users ??= request.user === undefined && request.users === undefined
  request.include_transport_rules ??= true
  request.flag_freemail ??= true
}

function deadline(options: CliOptions): AbortSignal | undefined {
  return options.deadlineSeconds === undefined
    ? undefined
    : AbortSignal.timeout(options.deadlineSeconds * 1000)
}

async function emit(
  text: string,
  output: string | undefined,
  io: CliIo,
  what: string
): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`
  if (!output) {
    io.stdout.write(body)
    return
  }
  await writeFile(output, body)
  io.stderr.write(`wrote ${what} to ${output}\n`)
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    io.stderr.write(`forwarding-audit: ${error.message}\n`)
    return EXIT.usage
  }
  if (error instanceof InvalidInputError) {
    const message = error.code === 'INVALID_REQUEST' ? fieldsToFlags(error.message) : error.message
    io.stderr.write(`forwarding-audit: ${message}\n`)
    return EXIT.usage
  }
  if (isAuditError(error)) {
    // Authentication, permissions, throttling, network: the audit could not run.
    io.stderr.write(`forwarding-audit: ${error.message}\n`)
    return EXIT.failed
  }
  const detail = error instanceof Error ? error.message : String(error)
  io.stderr.write(`forwarding-audit: internal error: ${detail}\n`)
  if (io.env.FORWARDING_AUDIT_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`)
  return EXIT.failed
}

/** The core names request fields; on the command line they are flags. */
function fieldsToFlags(message: string): string {
  let text = message
  for (const field of AUDIT_REQUEST_FIELDS) {
    const flag = field === 'users' ? '--user-file' : `--${field.replaceAll('_', '-')}`
    text = text.replaceAll(`\`${field}[]\``, flag).replaceAll(`\`${field}\``, flag)
  }
  return text
}

function print(stream: NodeJS.WriteStream, text: string): number {
  stream.write(text)
  return EXIT.ok
}

const isEntryPoint =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.mjs')
if (isEntryPoint) {
  const code = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  })
  process.exitCode = code
}
