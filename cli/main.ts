#!/usr/bin/env node
/**
 * @module cli/main
 * The `forwarding-audit` command: argv, environment and files in; one core call; a report or
 * a snapshot out; an exit status.
 */
import pkg from '../package.json' with { type: 'json' }
import { parseCliArgs } from './args.ts'
import { auditCommand } from './audit-command.ts'
import { EXIT } from './exit-codes.ts'
import { HELP } from './help.ts'
import type { CliIo } from './io.ts'
import { liveConfig } from './live-config.ts'
import { readUserFile } from './read-input.ts'
import { reportError } from './report-error.ts'
import { snapshotCommand } from './snapshot-command.ts'

/** Run the command; resolves to the exit status. Never throws. */
export async function main(io: CliIo): Promise<number> {
  try {
    const options = parseCliArgs(io.argv)
    if (options.command === 'help') return print(io.stdout, HELP)
    if (options.command === 'version') return print(io.stdout, `forwarding-audit ${pkg.version}\n`)
    const input = { ...options.request }
    if (options.userFile) input.users = await readUserFile(options.userFile)
    const live = options.snapshot ? undefined : await liveConfig(io.env, options.live)
    if (options.command === 'snapshot') return await snapshotCommand(options, input, live, io)
    return await auditCommand(options, input, live, io)
  } catch (error) {
    return reportError(error, io)
  }
}

function print(stream: NodeJS.WriteStream, text: string): number {
  stream.write(text)
  return EXIT.ok
}

const isEntryPoint =
  import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.mjs')
if (isEntryPoint) {
  process.exitCode = await main({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  })
}
