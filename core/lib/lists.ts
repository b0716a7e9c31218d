/**
 * @module lib/lists
 * Lists as Microsoft's tools write them: PowerShell's ConvertTo-Json writes a one-element
 * collection as a bare value, and an absent list may be null, undefined or missing.
 */

/** A list from one value, a list, or nothing (an empty list). */
export const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

/** Like `many`, but a list that was not read stays undefined: "not read" is not "none". */
export const optionalList = <T>(value: T | T[] | null | undefined): T[] | undefined =>
  value === null || value === undefined ? undefined : many(value)

/** The strings of a single string or a list; everything else in it is dropped. */
export function stringList(value: unknown): string[] {
  return many(value as unknown).filter((item): item is string => typeof item === 'string')
}
