/**
 * @module request/parse
 * Turns untrusted input into an AuditRequest or one InvalidInputError naming the field.
 */
import { en } from 'zod/locales'
import type * as z from 'zod/mini'
import { InvalidInputError } from '../errors.ts'
import { type AuditRequest, auditRequestSchema } from './schema.ts'

const IN_ENGLISH = { error: en().localeError }

/**
 * `schema.safeParse(input)` with zod's own issues worded in English ("Invalid input: expected
 * string, received number"). zod/mini ships no messages, so a bundle carries only the locale it
 * uses; it is given per parse rather than with z.config, so core changes nothing for other zod
 * users. Only a failed parse runs again with it: parse options make every parse measurably
 * slower (a snapshot checks each of its mailboxes), and valid input is the common case.
 */
export function safeParseInEnglish<T extends z.ZodMiniType>(schema: T, input: unknown) {
  const result = schema.safeParse(input)
  return result.success ? result : schema.safeParse(input, IN_ENGLISH)
}

/** Validate a request body; throws InvalidInputError(INVALID_REQUEST) with one clear line. */
export function parseAuditRequest(input: unknown): AuditRequest {
  const result = safeParseInEnglish(auditRequestSchema, input)
  if (result.success) return result.data
  const issue = result.error.issues[0] as z.core.$ZodIssue
  return fail(issue)
}

function fail(issue: z.core.$ZodIssue): never {
  // zod reports unknown keys on the object that holds them; the key is the field to name.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
  const field = issuePath(unknownKey ? [...issue.path, unknownKey] : issue.path) || undefined
  throw new InvalidInputError('INVALID_REQUEST', issue.message, field)
}

/** Format a zod issue path as `a.b[3].c`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`
    )
    .join('')
}
