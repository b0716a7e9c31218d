/**
 * @module lib/json-lines
 * Where things are in a JSON text: a single pass that reports the line of each object and each
 * key down to a depth, with its path. No tree is built, so locating rules in a 100,000-mailbox
 * snapshot costs one scan of the text. The text must be valid JSON (the caller parsed it
 * already); JSON strings hold no raw line breaks, so lines are counted outside them.
 */

/** A path into the document: keys and array indexes, outermost first. */
export type JsonPath = readonly (string | number)[]

export interface JsonLineVisitor {
  /** An object starts on `line` (1-based) at `path`. The array is live: copy it to keep it. */
  object?(path: JsonPath, line: number): void
  /** A key on `line`; `path` ends with the key. The array is live: copy it to keep it. */
  key?(path: JsonPath, line: number): void
}

interface Frame {
  array: boolean
  /** Objects: the next string is a key. Arrays: the next value is a new element. */
  expecting: boolean
  index: number
}

const QUOTE = 34
const BACKSLASH = 92
const NEWLINE = 10

/** Visit the objects and keys of `text` whose paths are at most `maxDepth` long. */
export function visitJsonLines(text: string, visitor: JsonLineVisitor, maxDepth: number): void {
  const frames: Frame[] = []
  const path: (string | number)[] = []
  let line = 1
  const valueStarts = () => {
    const top = frames[frames.length - 1]
    if (top?.array && top.expecting) {
      top.index++
      top.expecting = false
      path[frames.length - 1] = top.index
    }
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === NEWLINE) {
      line++
    } else if (c === QUOTE) {
      const end = stringEnd(text, i)
      if (end < 0) return
      const top = frames[frames.length - 1]
      if (top && !top.array && top.expecting) {
        top.expecting = false
        if (frames.length <= maxDepth) {
          path[frames.length - 1] = decodeKey(text, i, end)
          visitor.key?.(path, line)
        }
      } else {
        valueStarts()
      }
      i = end
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      valueStarts()
      if (c === 123 && frames.length <= maxDepth) visitor.object?.(path, line)
      frames.push({ array: c === 91, expecting: true, index: -1 })
      path.length = frames.length
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      frames.pop()
      path.length = frames.length
    } else if (c === 44 /* , */) {
      const top = frames[frames.length - 1]
      if (top) top.expecting = true
    } else if (c !== 58 /* : */ && c !== 32 && c !== 9 && c !== 13) {
      // The first character of a number, true, false or null.
      valueStarts()
    }
  }
}

/** The index of the quote that closes the string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let end = start
  for (;;) {
    end = text.indexOf('"', end + 1)
    if (end < 0) return -1
    let slashes = 0
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++
    if (slashes % 2 === 0) return end
  }
}

function decodeKey(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end)
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end + 1)) as string) : raw
}
