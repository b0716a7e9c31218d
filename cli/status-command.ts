/**
 * @module cli/status-command
 * `forwarding-audit status`: acquire the tokens and probe every permission and role a live
 * audit needs; exit 0 when the app is ready, 3 when something is missing.
 */
import {
  checkConnection,
  connectLive,
  EXIT_STATUS,
  formatStatus,
  type LiveContext,
  type LiveSettings,
  UsageError,
} from '../core/index.ts'
import type { CliIo } from './io.ts'

/** Check the connection; resolves to the exit status. */
export async function statusCommand(
  live: LiveSettings | undefined,
  context: LiveContext,
  io: CliIo
): Promise<number> {
  if (!live) {
    throw new UsageError(
      'status checks a live tenant: set AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential (docs/cli.md)',
      'AZURE_TENANT_ID'
    )
  }
  const status = await checkConnection(connectLive(live, context))
  io.stdout.write(formatStatus(status))
  return status.ok ? EXIT_STATUS.ok : EXIT_STATUS.failed
}
