/**
 * @module cli/events-command
 * `forwarding-audit events FILE`: the forwarding changes in an audit-log export, judged by the
 * same engine and reported in the same formats as an audit. The path for incident response on
 * a tenant that cannot be queried: only its log export is at hand.
 */
import {
  auditLogSource,
  checkInputSize,
  parseAuditExport,
  parseAuditRequest,
  runAudit,
} from '../core/index.ts'
import { readAllowlist } from './allowlist-file.ts'
import { type CliOptions, flagFor } from './args.ts'
import { deliverReport } from './deliver-report.ts'
import type { CliInputLimits } from './input-limits.ts'
import { type CliIo, readBytes } from './io.ts'

/** Report the forwarding changes in `options.eventsFile`; resolves to the exit status. */
export async function eventsCommand(
  options: CliOptions & { eventsFile: string },
  input: Record<string, unknown>,
  io: CliIo,
  limits: CliInputLimits
): Promise<number> {
  // A log covers every mailbox it names and every kind of change, unless narrowed.
  input.all_users ??= input.user === undefined && input.users === undefined
  input.include_transport_rules ??= true
  const request = parseAuditRequest(input, { fieldName: flagFor })
  const allowlist = await readAllowlist(options.allowlist, limits)
  const file = options.eventsFile
  const bytes = await readBytes('events FILE', file, (size) =>
    checkInputSize(size, { code: 'INVALID_AUDIT_LOG', name: file }, limits.snapshot)
  )
  const exported = parseAuditExport(bytes, file)
  const report = await runAudit(request, auditLogSource(exported, { name: file }), {
    ...(allowlist ? { allowlist } : {}),
  })
  return deliverReport(report, options, io, file)
}
