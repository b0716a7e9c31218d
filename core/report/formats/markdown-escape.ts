/**
 * @module report/formats/markdown-escape
 * Escaping for GitHub-flavoured markdown in job summaries and PR comments. GitHub does not
 * escape summary table cells, and in a BEC the attacker names the rules and picks the addresses,
 * so every such string goes through here before it is written into markdown.
 */
import { neutralize, truncate } from './safe-text.ts'

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

/**
 * Markdown-inert text on one line: controls become visible escapes, HTML specials become
 * entities, and markdown punctuation (including `|` for tables and `$` for math) is backslashed.
 */
export function escapeMarkdown(text: string): string {
  return neutralize(text).replace(/[&<>]|[\\`*_[\]|~$]/g, (ch) => ENTITIES[ch] ?? `\\${ch}`)
}

/** Longest attacker string shown in a cell; keeps a big report under GitHub's 1 MiB limit. */
export const MAX_CELL_CHARS = 100

/**
 * Attacker text for a table cell: cut, escaped and set in `<code>`, where GitHub neither
 * resolves `@team` mentions nor `#123` references, so a rule name cannot ping anyone.
 */
export function codeCell(text: string | null): string {
  if (text === null || text === '') return '—'
  return `<code>${escapeMarkdown(truncate(neutralize(text), MAX_CELL_CHARS))}</code>`
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
