/**
 * @module cli/usage-error
 * A mistake on the command line; the message names the flag and the fix.
 */
export class UsageError extends Error {
  readonly code = 'USAGE'
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
