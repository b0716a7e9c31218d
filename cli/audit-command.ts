/**
 * @module cli/audit-command
 * `forwarding-audit [flags]`: check every input, pick the source (snapshot, live tenant or the
 * bundled demo), run one audit, write the report, and turn --fail-on into the exit status.
 */
import {
  type Allowlist,
  atLeast,
  parseAllowlist,
  parseAuditRequest,
  runAudit,
  snapshotSource,
  type TenantSource,
} from '../core/index.ts'
import { connectLive } from '../core/live/connect.ts'
import { formatReport } from '../core/report/formats/index.ts'
import demoTenant from '../demo/contoso-tenant.json' with { type: 'json' }
import pkg from '../package.json' with { type: 'json' }
import type { CliOptions } from './args.ts'
import { EXIT } from './exit-codes.ts'
import { type CliIo, deadline, emit } from './io.ts'
import type { LiveConfig } from './live-config.ts'
import { nodeContext } from './node-context.ts'
import { progressReporter } from './progress.ts'
import { readJsonFile } from './read-input.ts'

/** Run the audit; resolves to the exit status. */
export async function auditCommand(
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
