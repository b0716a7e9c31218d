/**
 * @module cli/input-limits
 * How big and how deeply nested an input file may be before it is parsed: core's defaults
 * (DEFAULT_INPUT_LIMITS), raised with FORWARDING_AUDIT_MAX_INPUT_MB and
 * FORWARDING_AUDIT_MAX_JSON_DEPTH. A file over a limit stops the command with status 2 and a
 * message naming the limit and the variable, before its bytes are read.
 */
import { DEFAULT_INPUT_LIMITS, type InputLimits, UsageError } from '../core/index.ts'

const SIZE = 'FORWARDING_AUDIT_MAX_INPUT_MB'
const DEPTH = 'FORWARDING_AUDIT_MAX_JSON_DEPTH'

export interface CliInputLimits {
  snapshot: InputLimits
  /** Allowlists and user files. */
  file: InputLimits
}

/** The limits for this run; throws UsageError for a variable that is set but not a number. */
export function inputLimits(env: Record<string, string | undefined>): CliInputLimits {
  const size = positive(env, SIZE)
  const depth = positive(env, DEPTH)
  const limits = (defaults: { maxBytes: number; maxDepth: number }): InputLimits => {
    const maxBytes = size === undefined ? defaults.maxBytes : size * 1024 * 1024
    const maxDepth = depth ?? defaults.maxDepth
    return {
      maxBytes,
      maxDepth,
      raise: {
        maxBytes: `set ${SIZE} (now ${maxBytes / 1024 / 1024}) higher`,
        maxDepth: `set ${DEPTH} (now ${maxDepth}) higher`,
      },
    }
  }
  return {
    snapshot: limits(DEFAULT_INPUT_LIMITS.snapshot),
    file: limits(DEFAULT_INPUT_LIMITS.file),
  }
}

function positive(env: Record<string, string | undefined>, name: string): number | undefined {
  const value = env[name]
  if (value === undefined) return undefined
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) {
    throw new UsageError(
      `${name} must be a whole number of at least 1, not ${JSON.stringify(value)}; unset it for the default`,
      name
    )
  }
  return Number(value)
}
