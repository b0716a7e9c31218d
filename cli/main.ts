/**
 * @module cli/main
 * The `forwarding-audit` command: argv, environment and files in; one core call; a report, a
 * snapshot or a status out; an exit status. `cli/bin.ts` runs it.
 */
import { checkInputSize, EXIT_STATUS, liveContext, parseUserList } from '../core/index.ts'
import pkg from '../package.json' with { type: 'json' }
import { allowlistCommand } from './allowlist-command.ts'
import { parseCliArgs } from './args.ts'
import { auditCommand } from './audit-command.ts'
import { eventsCommand } from './events-command.ts'
import { COMMAND_HELP, HELP } from './help.ts'
import { inputLimits } from './input-limits.ts'
import { type CliIo, checkWritable, readBytes } from './io.ts'
import { liveConfig } from './live-config.ts'
import { retryReporter } from './progress.ts'
import { reportError } from './report-error.ts'
import { snapshotCommand } from './snapshot-command.ts'
import { statusCommand } from './status-command.ts'

/** Run the command; resolves to the exit status. Never throws. */
export async function main(io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(io.argv)
    if (options.command === 'help') {
      // A command with help of its own shows it; the others (events) are in the general help.
      const topic = options.helpTopic
      const own = topic !== undefined && Object.hasOwn(COMMAND_HELP, topic)
      return print(io.stdout, own ? (COMMAND_HELP[topic] as string) : HELP)
    }
    if (options.command === 'version') return print(io.stdout, `forwarding-audit ${pkg.version}\n`)
    if (options.output !== undefined) await checkWritable(options.output)
    const input = { ...options.request }
    const limits = inputLimits(io.env)
    if (options.userFile) {
      const name = `--user-file ${options.userFile}`
      const bytes = await readBytes('--user-file', options.userFile, (size) =>
        checkInputSize(size, { code: 'INVALID_SETTING', name }, limits.file)
      )
      input.users = parseUserList(bytes, name, limits.file)
    }
    if (options.command === 'events' && options.eventsFile !== undefined) {
      return await eventsCommand({ ...options, eventsFile: options.eventsFile }, input, io, limits)
    }
    const live = options.snapshot ? undefined : await liveConfig(io.env, options.live)
    const context = liveContext({
      onRetry: retryReporter(io.stderr),
      ...(options.deadlineSeconds === undefined
        ? {}
        : { signal: AbortSignal.timeout(options.deadlineSeconds * 1000) }),
    })
    if (options.command === 'status') return await statusCommand(live, context, io)
    if (options.command === 'allowlist-check') {
      return await allowlistCommand(options, input, io, limits)
    }
    if (options.command === 'snapshot') {
      return await snapshotCommand(options, input, live, context, io)
    }
    return await auditCommand(options, input, live, context, io, limits)
  } catch (error) {
    return reportError(error, io)
  }
}

function print(stream: NodeJS.WriteStream, text: string): number {
  stream.write(text)
  return EXIT_STATUS.ok
}
