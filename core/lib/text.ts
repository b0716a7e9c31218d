/**
 * @module lib/text
 * Reading strings out of loosely typed Microsoft data, where a value may be missing, null,
 * another type, or only whitespace, and all of those mean "not set".
 */

/** The value trimmed, when it is a string with something in it; undefined otherwise. */
export function presentText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed === '' ? undefined : trimmed
}
