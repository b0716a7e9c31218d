/**
 * @module test/report/csv-parse
 * A strict RFC 4180 reader for the tests, written independently of the formatter.
 */

/** Parse CSV text into rows of fields; throws on a stray quote or an unterminated field. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && field === '') {
      i++
      while (true) {
        if (i >= text.length) throw new Error('unterminated quoted field')
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          i++
          break
        }
        field += text[i++]
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        throw new Error(`text after a closing quote at ${i}`)
      }
    } else if (ch === ',') {
      row.push(field)
      field = ''
      i++
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += 2
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} in an unquoted field at ${i}`)
    } else {
      field += ch
      i++
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last row lacks CRLF')
  return rows
}
