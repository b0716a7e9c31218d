/**
 * @module test/report/markdown-table
 * Reads GFM tables back the way GitHub splits them: a `|` preceded by a backslash is text.
 */

/** Cells of one table row (`| a | b |` gives ['a', 'b']). */
export function splitRow(line: string): string[] {
  const cells: string[] = []
  let cell = ''
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '\\' && i + 1 < line.length) {
      cell += ch + line[i + 1]
      i++
    } else if (ch === '|') {
      cells.push(cell)
      cell = ''
    } else {
      cell += ch
    }
  }
  cells.push(cell)
  // Leading and trailing pipes leave empty edge cells.
  return cells.slice(1, -1).map((c) => c.trim())
}

/** Every table in the markdown: consecutive lines starting with `|`. */
export function tables(markdown: string): string[][] {
  const found: string[][] = []
  let current: string[] = []
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      current.push(line)
    } else if (current.length > 0) {
      found.push(current)
      current = []
    }
  }
  if (current.length > 0) found.push(current)
  return found
}
