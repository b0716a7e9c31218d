/**
 * @module cli/exit-codes
 * What the process exit status means; CI gates and scripts branch on these.
 */
export const EXIT = {
  ok: 0,
  /** Findings at or above `--fail-on`. */
  findings: 1,
  /** Usage or input error: a flag, a file, a request field. */
  usage: 2,
  /** The audit could not run: authentication, permissions, network. */
  failed: 3,
} as const
