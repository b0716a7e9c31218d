/**
 * @module cli/io
 * The command's world: argv, environment, streams and files. Every file failure is a
 * UsageError naming the flag and the file.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { UsageError } from '../core/index.ts'

export interface CliIo {
  argv: string[]
  env: Record<string, string | undefined>
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/** The bytes of a file the user named with `flag`. */
export async function readBytes(flag: string, path: string): Promise<Uint8Array> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new UsageError(`${flag} ${path} ${fileProblem(error)}`, flag)
  }
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
  try {
    await writeFile(output, body)
  } catch (error) {
    throw new UsageError(`--output ${output} ${fileProblem(error)}`, '--output')
  }
  io.stderr.write(`wrote ${what} to ${output}\n`)
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'does not exist'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'is not accessible (permission denied)'
  return `cannot be used (${code ?? 'unknown error'})`
}
