/**
 * @module request/user-list
 * A list of mailboxes in a text file (the CLI's `--user-file`, the action's `user-file`): one
 * user principal name per line; blank lines and `#` comments are ignored. Each name is checked
 * by the request schema when it becomes the request's `users`.
 */
import { UsageError } from '../errors/errors.ts'
import { decodeText } from '../lib/bytes.ts'

/**
 * The UPNs listed in a file's bytes (UTF-8 or UTF-16, as PowerShell writes it). `name` is how
 * the user knows the file, for the message when it lists none.
 * @example
 * request.users = parseUserList(await readFile('users.txt'), '--user-file users.txt')
 */
export function parseUserList(input: Uint8Array | string, name: string): string[] {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeText(input)
  const upns = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
  if (upns.length === 0) throw new UsageError(`${name} lists no user principal names`, name)
  return upns
}
