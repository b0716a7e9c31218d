/**
 * @module report/formats/safe-text
 * Makes attacker-controlled text (rule names, addresses) safe to show to a person, and measures
 * it in terminal columns. In a BEC the attacker names the rule, so a name can carry terminal
 * escapes, line breaks or bidi overrides meant to hide or disguise it in our own report.
 */

/**
 * C0/C1 controls and DEL, invisible format characters (bidi overrides, zero-width joiners, BOM),
 * line/paragraph separators, and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f]|[\p{Cf}\p{Zl}\p{Zp}]|[\ud800-\udfff]/gu
const UNSAFE_KEEP_WHITESPACE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\p{Cf}\p{Zl}\p{Zp}]|[\ud800-\udfff]/gu

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0
  if (cp >= 0xd800 && cp <= 0xdfff) return '\ufffd'
  // Show the code rather than a bare `�`: an auditor should see that a name hid an escape.
  if (cp <= 0xff) return `\\x${cp.toString(16).padStart(2, '0')}`
  return `\\u{${cp.toString(16).toUpperCase()}}`
}

/**
 * Replace every control, invisible format character and lone surrogate with a visible escape
 * (`\x1b`, `\u{202E}`, `\ufffd`). `keepWhitespace` keeps tab, CR and LF for formats that quote them.
 */
export function neutralize(text: string, keepWhitespace = false): string {
  return text.replace(keepWhitespace ? UNSAFE_KEEP_WHITESPACE : UNSAFE, escapeChar)
}

const ZERO_WIDTH = /[\p{Mn}\p{Me}]/u
const EMOJI = /\p{Emoji_Presentation}/u
/** East Asian Wide and Fullwidth blocks (a conservative subset of UAX #11). */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x18aff],
  [0x1b000, 0x1b2ff],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
]

/** Columns one code point takes in a terminal; errs wide so a table never overflows. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0
  if (cp < 0x7f) return 1
  if (ZERO_WIDTH.test(ch)) return 0
  if (EMOJI.test(ch)) return 2
  return WIDE_RANGES.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1
}

/** Terminal columns of already-neutralised text (no escapes, no controls). */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += charWidth(ch)
  return width
}

/** Cut text to at most `width` columns, ending in `…` when it was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return ''
  if (displayWidth(text) <= width) return text
  let out = ''
  let used = 0
  for (const ch of text) {
    const w = charWidth(ch)
    if (used + w > width - 1) break
    out += ch
    used += w
  }
  return `${out}…`
}

/** Pad text with spaces to exactly `width` columns (text must already fit). */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** Right-align text in `width` columns (text must already fit). */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text
}

/** Characters that are valid inside a JSON string but act on a terminal or an editor view. */
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029]|\p{Cf}/gu

/**
 * JSON text with invisible format characters (bidi overrides, zero-width joiners) and C1
 * controls written as `\uXXXX` escapes: the parsed data is byte for byte the same, but `cat`
 * or a code view shows what is there. Such characters can only occur inside JSON strings.
 */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, (ch) => {
    let out = ''
    for (let i = 0; i < ch.length; i++)
      out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`
    return out
  })
}
