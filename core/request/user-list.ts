/**
 * @module request/user-list
 * A list of mailboxes in a text file (the CLI's `--user-file`, the action's `user-file`): one
 * user principal name per line; blank lines and `#` comments are ignored, and a name listed
 * twice (in any case) counts once. Each name is checked by the request schema when it becomes
 * the request's `users`.
 */
import { UsageError } from '../errors/errors.ts'
import { checkInputSize, DEFAULT_INPUT_LIMITS, decodeText, type InputLimits } from '../lib/bytes.ts'

/**
 * The UPNs listed in a file's bytes (UTF-8 or UTF-16, as PowerShell writes it). `name` is how
 * the user knows the file, for the message when it lists none.
 * @example
 * request.users = parseUserList(await readFile('users.txt'), '--user-file users.txt')
 */
export function parseUserList(
  input: Uint8Array | string,
  name: string,
  limits: InputLimits = DEFAULT_INPUT_LIMITS.file
): string[] {
  checkInputSize(input, { code: 'INVALID_SETTING', name }, limits)
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeText(input)
  const upns = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
  if (upns.length === 0) throw new UsageError(`${name} lists no user principal names`, name)
  // The same mailbox twice (any case) is audited once.
  const seen = new Set<string>()
  return upns.filter((upn) => {
    const key = upn.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
