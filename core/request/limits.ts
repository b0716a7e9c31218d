/**
 * @module request/limits
 * Caps an adapter puts on the request schema without copying it: the command line may ask for
 * 50 parallel scans and batches of 1,000 mailboxes, an HTTP caller at the edge may not.
 */
import { InvalidInputError } from '../errors/errors.ts'
import type { AuditRequest } from './schema.ts'

/** Upper bounds an adapter allows, tighter than the schema's own. */
export interface RequestLimits {
  /** Most parallel mailbox scans. */
  concurrency?: number
  /** Most mailboxes per unit of work. */
  batch?: number
  /** Most mailboxes a `users` list may name. */
  users?: number
}

/** Throw INVALID_REQUEST naming the field when a validated request exceeds `limits`. */
export function checkLimits(request: AuditRequest, limits: RequestLimits): AuditRequest {
  const over = (field: string, value: number, max: number | undefined) => {
    if (max !== undefined && value > max) {
      throw new InvalidInputError(
        'INVALID_REQUEST',
        `\`${field}\` must be at most ${max} here, not ${value}`,
        field
      )
    }
  }
  over('concurrency', request.concurrency, limits.concurrency)
  over('batch', request.batch, limits.batch)
  if (request.users) over('users', request.users.length, limits.users)
  return request
}
