/**
 * @module cli/allowlist-command
 * `forwarding-audit allowlist check FILE [--snapshot PATH]`: validate an allowlist on its own
 * (status 2 naming the entry and field when it is wrong, broad entries included) and, with a
 * snapshot, show what each entry would suppress. The matching is core's (checkAllowlist).
 */
import {
  checkAllowlist,
  checkInputSize,
  EXIT_STATUS,
  formatAllowlistCheck,
  parseAllowlist,
  parseSnapshotBytes,
  runAudit,
  snapshotSource,
} from '../core/index.ts'
import type { CliOptions } from './args.ts'
import type { CliInputLimits } from './input-limits.ts'
import { type CliIo, readBytes } from './io.ts'

/** Check the allowlist; resolves to the exit status. */
export async function allowlistCommand(
  options: CliOptions,
  input: Record<string, unknown>,
  io: CliIo,
  limits: CliInputLimits
): Promise<number> {
  const file = options.allowlistFile as string
  const name = `allowlist check ${file}`
  const allowlist = parseAllowlist(
    await readBytes(name, file, (size) =>
      checkInputSize(size, { code: 'INVALID_ALLOWLIST', name: file }, limits.file)
    ),
    file,
    limits.file
  )
  const now = new Date()
  if (!options.snapshot) {
    io.stdout.write(formatAllowlistCheck(await checkAllowlist(allowlist, [], now), false))
    return EXIT_STATUS.ok
  }
  const snapshotName = `--snapshot ${options.snapshot}`
  const bytes = await readBytes('--snapshot', options.snapshot, (size) =>
    checkInputSize(size, { code: 'INVALID_SNAPSHOT', name: snapshotName }, limits.snapshot)
  )
  // Every finding the snapshot makes, unless the user narrowed the request.
  const request = { ...input }
  request.all_users ??= request.user === undefined && request.users === undefined
  request.include_transport_rules ??= true
  const report = await runAudit(
    request,
    snapshotSource(parseSnapshotBytes(bytes, snapshotName, limits.snapshot)),
    { now: () => now }
  )
  io.stdout.write(
    formatAllowlistCheck(await checkAllowlist(allowlist, report.data.findings, now), true)
  )
  return EXIT_STATUS.ok
}
