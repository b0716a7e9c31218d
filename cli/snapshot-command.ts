/**
 * @module cli/snapshot-command
 * `forwarding-audit snapshot`: the live tenant, written in the offline snapshot format.
 */
import {
  connectLive,
  EXIT_STATUS,
  exportSnapshot,
  type LiveContext,
  type LiveSettings,
  UsageError,
} from '../core/index.ts'
import { type CliOptions, flagFor } from './args.ts'
import { type CliIo, emit } from './io.ts'
import { progressReporter } from './progress.ts'

/** Flags of the audit's report that an export would silently ignore. */
const REPORT_FLAGS = [
  '--format',
  '--fail-on',
  '--since',
  '--allowlist',
  '--external-only',
  '--flag-freemail',
  '--risk-threshold',
  '--snapshot',
  '--include-transport-rules',
  '--include-inbox-rules',
  '--no-include-inbox-rules',
]

/** Export the live tenant; resolves to the exit status. */
export async function snapshotCommand(
  options: CliOptions,
  input: Record<string, unknown>,
  live: LiveSettings | undefined,
  context: LiveContext,
  io: CliIo
): Promise<number> {
  const unused = (options.given ?? []).filter((flag) => REPORT_FLAGS.includes(flag))
  if (unused.length > 0) {
    throw new UsageError(
      `${unused.join(', ')} ${unused.length === 1 ? 'does' : 'do'} not apply to snapshot, which exports everything it reads: remove ${unused.length === 1 ? 'it' : 'them'} (see snapshot --help)`,
      unused[0]
    )
  }
  if (!live) {
    throw new UsageError(
      'snapshot reads a live tenant: set AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential (docs/cli.md)',
      'AZURE_TENANT_ID'
    )
  }
  const result = await exportSnapshot(connectLive(live, context), input, {
    parse: { fieldName: flagFor },
    ...(context.signal ? { signal: context.signal } : {}),
    onProgress: progressReporter(io.stderr),
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
  for (const note of result.notes) io.stderr.write(`audit log: ${note}\n`)
  if (!result.complete)
    io.stderr.write('the snapshot is incomplete: unread mailboxes are marked unreadable in it\n')
  return EXIT_STATUS.ok
}
