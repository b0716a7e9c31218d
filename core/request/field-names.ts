/**
 * @module request/field-names
 * Core's messages name request fields as `field` (in backticks). An adapter that calls them
 * something else (the CLI's `--all-users`, an action input) passes a naming function, and every
 * such token is replaced by its name; core says which field, the adapter names it.
 */
import { AUDIT_REQUEST_FIELDS } from './schema.ts'

/** How an adapter names a request field (`users` → `--user-file`). */
export type FieldNamer = (field: (typeof AUDIT_REQUEST_FIELDS)[number]) => string

const TOKEN = new RegExp(`\`(${AUDIT_REQUEST_FIELDS.join('|')})(\\[\\])?\``, 'g')

/** The message with each backticked request field named by `namer`. */
export function nameFields(message: string, namer: FieldNamer | undefined): string {
  if (!namer) return message
  return message.replace(TOKEN, (_, field) => namer(field))
}
