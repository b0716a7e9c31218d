/**
 * @module lib/schema-check
 * Running the zod/mini schemas: English messages for the issues zod words itself, and issue
 * paths as the dotted field names messages show (`mailboxes[3].mailbox.UserPrincipalName`).
 */
import { en } from 'zod/locales'
import type * as z from 'zod/mini'

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

/** Format a zod issue path as `a.b[3].c`. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`
    )
    .join('')
}

type Issue = z.core.$ZodIssue

/**
 * The issue to show for a failed parse. A union (`oneOrMany`: a list, or one row as PowerShell
 * writes a single result) reports only "Invalid input" at its own path; the branch that got
 * furthest into the value says what is wrong and where (`transportRules[0].Priority`).
 */
export function mainIssue(issues: readonly Issue[]): Issue {
  const issue = issues[0]!
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue
  const deepest = issue.errors
    .map((branch) => (branch.length > 0 ? mainIssue(branch) : undefined))
    .filter((inner): inner is Issue => inner !== undefined)
    .sort((a, b) => b.path.length - a.path.length)[0]
  return deepest && deepest.path.length > 0
    ? { ...deepest, path: [...issue.path, ...deepest.path] }
    : issue
}
