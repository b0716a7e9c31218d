/**
 * @module cli/audit-command
 * `forwarding-audit [flags]`: check every input, pick the source (snapshot, live tenant or the
 * bundled demo), run one audit, write the report, and turn --fail-on into the exit status.
 */
import {
  type AuditRequest,
  auditWithBaseline,
  checkInputSize,
  connectLive,
  type LiveContext,
  type LiveSettings,
  parseAuditRequest,
  parseBaseline,
  parseSnapshotBytes,
  snapshotSource,
  type TenantSource,
  UsageError,
} from '../core/index.ts'
import demoTenant from '../demo/contoso-tenant.json' with { type: 'json' }
import { readAllowlist } from './allowlist-file.ts'
import { type CliOptions, flagFor } from './args.ts'
import { deliverReport } from './deliver-report.ts'
import { type CliInputLimits, inputLimits } from './input-limits.ts'
import { type CliIo, readBytes } from './io.ts'
import { progressReporter } from './progress.ts'

/** Run the audit; resolves to the exit status. */
export async function auditCommand(
  options: CliOptions,
  input: Record<string, unknown>,
  live: LiveSettings | undefined,
  context: LiveContext,
  io: CliIo,
  limits: CliInputLimits = inputLimits({})
): Promise<number> {
  const demo = !options.snapshot && !live
  const liveOnly = Object.keys(options.live).map(
    (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
  )
  if (demo && liveOnly.length > 0) {
    // An endpoint flag without credentials would otherwise audit the demo tenant and pass.
    throw new UsageError(
      `${liveOnly.join(', ')} only ${liveOnly.length === 1 ? 'applies' : 'apply'} to a live audit: set AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential (docs/cli.md), or remove ${liveOnly.length === 1 ? 'it' : 'them'}`,
      liveOnly[0]
    )
  }
  if (demo) useDemoDefaults(input)
  // Everything the user gave is checked before any work starts, so an error is the only output.
  const request = parseAuditRequest(input, { fieldName: flagFor })
  const allowlist = await readAllowlist(options.allowlist, limits)
  const baseline = options.baseline
    ? parseBaseline(
        await readBytes('--baseline', options.baseline, (size) =>
          checkInputSize(
            size,
            { code: 'INVALID_BASELINE', name: `--baseline ${options.baseline}` },
            limits.snapshot
          )
        ),
        `--baseline ${options.baseline}`,
        limits.snapshot
      )
    : undefined
  const source = await sourceFor(options, live, context, limits)
  if (demo) {
    io.stderr.write(
      `auditing the bundled demo tenant (no --snapshot, no credentials): ${demoScope(request)}\n`
    )
  }
  const dependencies = {
    ...(allowlist ? { allowlist } : {}),
    ...(context.signal ? { signal: context.signal } : {}),
    onProgress: progressReporter(io.stderr),
  }
  const report = await auditWithBaseline(request, source, dependencies, baseline)
  return deliverReport(report, options, io, options.snapshot)
}

async function sourceFor(
  options: CliOptions,
  live: LiveSettings | undefined,
  context: LiveContext,
  limits: CliInputLimits
): Promise<TenantSource> {
  if (options.snapshot) {
    const name = `--snapshot ${options.snapshot}`
    const bytes = await readBytes('--snapshot', options.snapshot, (size) =>
      checkInputSize(size, { code: 'INVALID_SNAPSHOT', name }, limits.snapshot)
    )
    return snapshotSource(parseSnapshotBytes(bytes, name, limits.snapshot))
  }
  if (live) return connectLive(live, context).source
  return snapshotSource(demoTenant, { label: 'demo' })
}

/** What a demo audit covers, as the request says: the mailboxes, transport rules, freemail. */
function demoScope(request: AuditRequest): string {
  const mailboxes = request.all_users
    ? 'all mailboxes'
    : request.user
      ? request.user
      : `${request.users?.length ?? 0} mailbox(es) from --user-file`
  return [
    mailboxes,
    request.include_transport_rules ? 'transport rules' : 'no transport rules',
    request.flag_freemail ? 'freemail flagged' : 'freemail not flagged',
  ].join(', ')
}

/** The demo shows every kind of finding unless the user narrowed it. */
function useDemoDefaults(request: Record<string, unknown>): void {
  request.all_users ??= request.user === undefined && request.users === undefined
  request.include_transport_rules ??= true
  request.flag_freemail ??= true
}
