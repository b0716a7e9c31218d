/**
 * @module cli/io
 * The command's world: streams and environment, where output goes, the --deadline signal.
 */
import { writeFile } from 'node:fs/promises'
import type { CliOptions } from './args.ts'

export interface CliIo {
  argv: string[]
  env: Record<string, string | undefined>
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/** Write `text` to --output (with a one-line note on stderr) or to stdout. */
export async function emit(
  text: string,
  output: string | undefined,
  io: CliIo,
  what: string
): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`
  if (!output) {
    io.stdout.write(body)
    return
  }
  await writeFile(output, body)
  io.stderr.write(`wrote ${what} to ${output}\n`)
}

/** The --deadline as an AbortSignal. */
export function deadline(options: CliOptions): AbortSignal | undefined {
  return options.deadlineSeconds === undefined
    ? undefined
    : AbortSignal.timeout(options.deadlineSeconds * 1000)
}
