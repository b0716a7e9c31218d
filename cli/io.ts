/**
 * @module cli/io
 * The command's world: argv, environment, streams and files. A file the user named that
 * cannot be read or written is a UsageError naming the flag, found before the audit starts;
 * a report that cannot be delivered (a full disk, a closed pipe) ends the run cleanly.
 */
import { constants } from 'node:fs'
import { access, readFile, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AuditRunError, UsageError } from '../core/index.ts'

export interface CliIo {
  argv: string[]
  env: Record<string, string | undefined>
  stdout: NodeJS.WriteStream
  stderr: NodeJS.WriteStream
}

/**
 * The bytes of a file the user named with `flag`. `checkSize` sees the file's size before it is
 * read, so a file over a limit is refused without loading it.
 */
export async function readBytes(
  flag: string,
  path: string,
  checkSize?: (bytes: number) => void
): Promise<Uint8Array> {
  let size: number | undefined
  try {
    size = (await stat(path)).size
  } catch (error) {
    throw new UsageError(`${flag} ${path} ${fileProblem(error)}`, flag)
  }
  checkSize?.(size)
  try {
    return await readFile(path)
  } catch (error) {
    throw new UsageError(`${flag} ${path} ${fileProblem(error)}`, flag)
  }
}

/** Fail before any work when --output names a path that cannot be written. */
export async function checkWritable(output: string): Promise<void> {
  const fail = (why: string) => new UsageError(`--output ${output} ${why}`, '--output')
  const target = await stat(output).catch(() => undefined)
  if (target?.isDirectory()) throw fail('is a directory: name a file')
  const folder = dirname(output)
  const parent = await stat(folder).catch(() => undefined)
  if (!parent?.isDirectory())
    throw fail(`cannot be written: the directory ${folder} does not exist`)
  try {
    await access(target ? output : folder, constants.W_OK)
  } catch {
    throw fail('cannot be written (permission denied)')
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
  try {
    if (output) await writeFile(output, body)
    else await write(io.stdout, body)
  } catch (error) {
    throw undelivered(error, output)
  }
  if (output) io.stderr.write(`wrote ${what} to ${output}\n`)
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(text, (error) => (error ? reject(error) : resolve()))
  )
}

function undelivered(error: unknown, output: string | undefined): AuditRunError {
  const code = (error as NodeJS.ErrnoException).code
  const where = output ? `--output ${output}` : 'standard output'
  const why =
    code === 'EPIPE'
      ? 'was closed before the whole report was written'
      : code === 'ENOSPC'
        ? 'is full (no space left on the device)'
        : `could not be written (${code ?? 'unknown error'})`
  return new AuditRunError('OUTPUT_FAILED', `${where} ${why}`)
}

function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'does not exist'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'is not accessible (permission denied)'
  return `cannot be used (${code ?? 'unknown error'})`
}
