/**
 * @module cli/events-command
 * `forwarding-audit events FILE`: the forwarding changes in an audit-log export, judged by the
 * same engine and reported in the same formats as an audit. The path for incident response on
 * a tenant that cannot be queried: only its log export is at hand.
 */
import {
  auditLogSource,
  parseAllowlist,
  parseAuditExport,
  parseAuditRequest,
  runAudit,
} from '../core/index.ts'
import { type CliOptions, flagFor } from './args.ts'
import { deliverReport } from './deliver-report.ts'
import { type CliIo, readBytes } from './io.ts'

/** Report the forwarding changes in `options.eventsFile`; resolves to the exit status. */
export async function eventsCommand(
  options: CliOptions & { eventsFile: string },
  input: Record<string, unknown>,
  io: CliIo
): Promise<number> {
  // A log covers every mailbox it names and every kind of change, unless narrowed.
  input.all_users ??= input.user === undefined && input.users === undefined
  input.include_transport_rules ??= true
  const request = parseAuditRequest(input, { fieldName: flagFor })
  const allowlist = options.allowlist
    ? parseAllowlist(
        await readBytes('--allowlist', options.allowlist),
        `--allowlist ${options.allowlist}`
      )
    : undefined
  const file = options.eventsFile
  const exported = parseAuditExport(await readBytes('events FILE', file), file)
  const report = await runAudit(request, auditLogSource(exported, { name: file }), {
    ...(allowlist ? { allowlist } : {}),
  })
  return deliverReport(report, options, io, file)
}
