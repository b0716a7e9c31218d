/**
 * @module cli/snapshot-command
 * `forwarding-audit snapshot`: the live tenant, written in the offline snapshot format.
 */
import { type AuditRequest, mailboxScope, parseAuditRequest } from '../core/index.ts'
import { connectLive } from '../core/live/connect.ts'
import { exportSnapshot } from '../core/sources/live/export.ts'
import type { CliOptions } from './args.ts'
import { EXIT } from './exit-codes.ts'
import { type CliIo, deadline, emit } from './io.ts'
import type { LiveConfig } from './live-config.ts'
import { nodeContext } from './node-context.ts'
import { progressReporter } from './progress.ts'
import { UsageError } from './usage-error.ts'

/** `forwarding-audit snapshot`: the live tenant, written in the offline snapshot format. */
export async function snapshotCommand(
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
    scope: mailboxScope(request),
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
