/**
 * @module report/formats/markdown-escape
 * Escaping for GitHub-flavoured markdown in job summaries and PR comments. In a BEC the attacker
 * names the rules and picks the addresses, and GitHub turns `@team` into a notification, `#123`
 * into a reference and `https://…` or `a@b.example` into a link wherever markdown text allows
 * it. Text inside a code span is never any of those, so every string from the report becomes a
 * code span here, and nothing else: this is the markdown format's one escaping function.
 */
import { neutralize, truncate } from './safe-text.ts'

/** Longest attacker string shown, in columns; keeps a big report under GitHub's 1 MiB limit. */
export const MAX_CELL_CHARS = 100

/**
 * Attacker text as one inline code span on one line: controls made visible, cut to
 * MAX_CELL_CHARS with `…`, `|` escaped for table cells (GFM unescapes it inside code spans),
 * fenced with more backticks than the text holds in a row. Empty text is `—`.
 */
export function markdownText(text: string): string {
  // Only the head can be shown: a 10 MB name costs no more than a short one.
  const limit = MAX_CELL_CHARS * 4
  const head = text.length > limit ? text.slice(0, limit) : text
  let cut = truncate(neutralize(head), MAX_CELL_CHARS)
  if (head !== text && !cut.endsWith('…')) cut = `${truncate(cut, MAX_CELL_CHARS - 1)}…`
  if (cut.trim() === '') return cut === '' ? '—' : `\`${cut}\``
  // GFM splits table cells before reading code spans; a backslash run before a pipe is doubled
  // so that the pipe stays escaped (`\\|` would be an escaped backslash and a cell break).
  const piped = cut.replace(/(\\*)\|/g, '$1$1\\|')
  const longest = Math.max(0, ...(piped.match(/`+/g) ?? []).map((run) => run.length))
  const fence = '`'.repeat(longest + 1)
  // A code span drops one space at each end when both are there; a backtick at an end needs one.
  const pad =
    piped.startsWith('`') || piped.endsWith('`') || (piped.startsWith(' ') && piped.endsWith(' '))
      ? ' '
      : ''
  return `${fence}${pad}${piped}${pad}${fence}`
}

/** One GFM table row from already-escaped cells. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

/** A GFM table header and its delimiter row; `right` marks numeric columns. */
export function tableHead(headers: readonly string[], right: readonly string[] = []): string {
  const align = headers.map((h) => (right.includes(h) ? '---:' : '---'))
  return `${tableRow(headers)}\n${tableRow(align)}`
}
