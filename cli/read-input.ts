/**
 * @module cli/read-input
 * Reading the files a user names: JSON documents and the --user-file list. Every failure is
 * a UsageError that names the flag and the file.
 */
import { readFile } from 'node:fs/promises'
import { UsageError } from './usage-error.ts'

/** Read and parse a JSON file given with `flag`. */
export async function readJsonFile(flag: string, path: string): Promise<unknown> {
  const text = await readText(flag, path)
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new UsageError(
      `${flag} ${path} is not valid JSON (${detail}); export it with ConvertTo-Json -Depth 10`
    )
  }
}

/** One UPN per line; blank lines and `#` comments are ignored. PowerShell may write UTF-16 or a BOM. */
export async function readUserFile(path: string): Promise<string[]> {
  const text = await readText('--user-file', path)
  const upns = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
  if (upns.length === 0) throw new UsageError(`--user-file ${path} lists no user principal names`)
  return upns
}

async function readText(flag: string, path: string): Promise<string> {
  try {
    const bytes = await readFile(path)
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe
    return new TextDecoder(utf16 ? 'utf-16le' : 'utf-8').decode(bytes)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EISDIR'
          ? 'is a directory'
          : `cannot be read (${code})`
    throw new UsageError(`${flag} ${path} ${why}`)
  }
}
