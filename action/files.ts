/**
 * @module action/files
 * The files a run reads and writes. Relative paths are the workspace's (the step's working
 * directory, where actions/checkout puts the repository); a file that cannot be read is a
 * UsageError naming the input, found before the audit starts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { AuditRunError, UsageError } from '../core/index.ts'

/** The bytes of the file an input names. */
export async function readInputFile(input: string, path: string): Promise<Uint8Array> {
  try {
    return await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'does not exist (is the repository checked out, with actions/checkout, before this step?)'
        : code === 'EISDIR'
          ? 'is a directory: name a file'
          : `cannot be read (${code ?? 'unknown error'})`
    throw new UsageError(`${input} ${path} ${why}`, input)
  }
}

/** Write `text` to `path`, making its directory; the input that named it is in the message. */
export async function writeOutputFile(input: string, path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new AuditRunError('OUTPUT_FAILED', `${input} ${path} could not be written (${code})`)
  }
}

/** Where a run writes what no input names: `$RUNNER_TEMP/forwarding-audit/<name>`. */
export function defaultPath(runnerTemp: string | undefined, name: string): string {
  return resolve(runnerTemp || '.', 'forwarding-audit', name)
}

/** `path` relative to the repository root with `/` separators, or undefined when outside it. */
export function repoPath(workspace: string, path: string): string | undefined {
  const inside = relative(resolve(workspace), resolve(path))
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined
  return inside.split(sep).join('/')
}
