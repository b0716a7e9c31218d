/**
 * @module cli/allowlist-file
 * `--allowlist FILE` for every command that applies one: the file held to the input limits
 * before it is read, then checked by core.
 */
import { type Allowlist, checkInputSize, parseAllowlist } from '../core/index.ts'
import type { CliInputLimits } from './input-limits.ts'
import { readBytes } from './io.ts'

/** The allowlist `path` names, or undefined without one; throws naming the flag and the fix. */
export async function readAllowlist(
  path: string | undefined,
  limits: CliInputLimits
): Promise<Allowlist | undefined> {
  if (!path) return undefined
  const name = `--allowlist ${path}`
  const bytes = await readBytes('--allowlist', path, (size) =>
    checkInputSize(size, { code: 'INVALID_ALLOWLIST', name }, limits.file)
  )
  return parseAllowlist(bytes, name, limits.file)
}
