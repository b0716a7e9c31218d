#!/usr/bin/env node
/**
 * @module cli/main
 * The `forwarding-audit` command: argv and files in, one core call, a report out, an exit code.
 */
import { writeFile } from 'node:fs/promises'
import {
  type Allowlist,
  AUDIT_REQUEST_FIELDS,
  atLeast,
  InvalidInputError,
  isAuditError,
  parseAllowlist,
  parseAuditRequest,
  runAudit,
  snapshotSource,
} from '../core/index.ts'
import { formatReport } from '../core/report/formats/index.ts'
import demoTenant from '../demo/contoso-tenant.json' with { type: 'json' }
import pkg from '../package.json' with { type: 'json' }
import { type CliOptions, parseCliArgs } from './args.ts'
import { EXIT } from './exit-codes.ts'
import { HELP } from './help.ts'
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
    return await audit(options, io)
  } catch (error) {
    return report(error, io)
  }
}

async function audit(options: CliOptions, io: CliIo): Promise<number> {
  const input = { ...options.request }
  if (options.userFile) input.users = await readUserFile(options.userFile)
  const demo = !options.snapshot
  if (demo) useDemoDefaults(input, io.env)
  // Everything the user gave is checked before any work starts, so an error is the only output.
  const request = parseAuditRequest(input)
  const allowlist: Allowlist | undefined = options.allowlist
    ? parseAllowlist(await readJsonFile('--allowlist', options.allowlist))
    : undefined
  const source = snapshotSource(
    options.snapshot ? await readJsonFile('--snapshot', options.snapshot) : demoTenant
  )
  if (demo) {
    io.stderr.write(
      'auditing the bundled demo tenant (no --snapshot, no credentials): all mailboxes, transport rules, freemail flagged\n'
    )
  }
  const result = await runAudit(request, source, {
    ...(allowlist ? { allowlist } : {}),
    onProgress: progressReporter(io.stderr),
  })
  const color =
    !options.output && io.stdout.isTTY === true && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb'
  const text = formatReport(result, options.format, {
    color,
    width: options.output ? 120 : (io.stdout.columns ?? 120),
    toolVersion: pkg.version,
    ...(options.snapshot ? { artifactUri: options.snapshot } : {}),
  })
  const output = text.endsWith('\n') ? text : `${text}\n`
  if (options.output) {
    await writeFile(options.output, output)
    io.stderr.write(
      `wrote ${options.format} report to ${options.output} (${result.meta.total_findings} findings)\n`
    )
  } else {
    io.stdout.write(output)
  }
  const failing = options.failOn
    ? result.data.findings.filter((f) => !f.suppressed && atLeast(f.risk_level, options.failOn!))
    : []
  if (failing.length > 0) {
    io.stderr.write(`${failing.length} finding(s) at or above --fail-on ${options.failOn}\n`)
    return EXIT.findings
  }
  return EXIT.ok
}

/**
 * Without a snapshot the bundled demo tenant is audited, showing every kind of finding unless
 * the user narrowed it. Credentials mean a real tenant was meant: never fall back to the demo.
 */
function useDemoDefaults(request: Record<string, unknown>, env: CliIo['env']): void {
  if (env.AZURE_CLIENT_ID || env.AZURE_TENANT_ID) {
    throw new UsageError(
      'AZURE_* credentials are set, but live Microsoft 365 access is not in this version yet: export a snapshot (docs/snapshot.md) and pass --snapshot PATH'
    )
  }
  request.all_users ??= request.user === undefined && request.users === undefined
  request.include_transport_rules ??= true
  request.flag_freemail ??= true
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
    io.stderr.write(`forwarding-audit: ${error.message}\n`)
    return error.userFixable ? EXIT.usage : EXIT.failed
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
