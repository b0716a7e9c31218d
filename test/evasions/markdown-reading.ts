/**
 * @module test/evasions/markdown-reading
 * Reads markdown the way CommonMark does where it matters for safety: which text is inside a
 * code span (never a link, mention or tag on GitHub) and which is not.
 */

/** The markdown with every code span removed, following CommonMark's backtick-run rule. */
export function outsideCodeSpans(markdown: string): string {
  let out = ''
  let i = 0
  while (i < markdown.length) {
    if (markdown[i] !== '`') {
      out += markdown[i]
      i++
      continue
    }
    let run = 0
    while (markdown[i + run] === '`') run++
    // The closer is the next run of exactly the same length.
    let j = i + run
    let closed = -1
    while (j < markdown.length) {
      if (markdown[j] === '`') {
        let other = 0
        while (markdown[j + other] === '`') other++
        if (other === run) {
          closed = j
          break
        }
        j += other
      } else j++
    }
    if (closed < 0) {
      out += '`'.repeat(run)
      i += run
    } else {
      out += ' '
      i = closed + run
    }
  }
  return out
}
