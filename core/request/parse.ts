/**
 * @module request/parse
 * Turns untrusted input into an AuditRequest or one InvalidInputError naming the field.
 */
import type * as z from 'zod/mini'
import { InvalidInputError } from '../errors/errors.ts'
import { DEFAULT_INPUT_LIMITS, type InputLimits, parseJsonDocument } from '../lib/bytes.ts'
import { issuePath, safeParseInEnglish } from '../lib/schema-check.ts'
import { type FieldNamer, nameFields } from './field-names.ts'
import { checkLimits, type RequestLimits } from './limits.ts'
import { type AuditRequest, auditRequestSchema } from './schema.ts'

/** How an adapter parses: its own caps, and its own names for the fields. */
export interface ParseOptions {
  /** Tighter caps than the schema's (an HTTP caller gets fewer parallel scans than the CLI). */
  limits?: RequestLimits
  /** The adapter's name for a field, used in messages (`all_users` → `--all-users`). */
  fieldName?: FieldNamer
}

/**
 * Validate a request body and fill in its defaults; throws InvalidInputError(INVALID_REQUEST)
 * with one clear line naming the field, in the adapter's words.
 * @example
 * const request = parseAuditRequest(await c.req.json(), { limits: { concurrency: 10 } })
 */
export function parseAuditRequest(input: unknown, options: ParseOptions = {}): AuditRequest {
  try {
    const result = safeParseInEnglish(auditRequestSchema, input)
    if (result.success) return checkLimits(result.data, options.limits ?? {})
    return fail(result.error.issues[0] as z.core.$ZodIssue)
  } catch (error) {
    if (!(error instanceof InvalidInputError) || !options.fieldName) throw error
    const message = nameFields(error.message, options.fieldName)
    throw new InvalidInputError('INVALID_REQUEST', message, error.field)
  }
}

function fail(issue: z.core.$ZodIssue): never {
  // zod reports unknown keys on the object that holds them; the key is the field to name.
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
  const field = issuePath(unknownKey ? [...issue.path, unknownKey] : issue.path) || undefined
  throw new InvalidInputError('INVALID_REQUEST', issue.message, field)
}

/**
 * Parse and validate a request body from its bytes or text: its size and nesting are checked
 * before it is parsed (default DEFAULT_INPUT_LIMITS.request), then `parseAuditRequest`.
 * @example
 * const request = parseRequestBody(new Uint8Array(await c.req.arrayBuffer()), { limits: { concurrency: 10 } })
 */
export function parseRequestBody(
  body: Uint8Array | string,
  options: ParseOptions & { inputLimits?: InputLimits } = {}
): AuditRequest {
  const document = parseJsonDocument(
    body,
    {
      code: 'INVALID_REQUEST',
      name: 'the request body',
      fix: 'send one JSON object (docs/request.schema.json)',
    },
    options.inputLimits ?? DEFAULT_INPUT_LIMITS.request
  )
  return parseAuditRequest(document, options)
}
