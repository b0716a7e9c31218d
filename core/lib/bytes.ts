/**
 * @module lib/bytes
 * Text and JSON from the bytes a user hands over. PowerShell writes UTF-16 with a byte-order
 * mark (`Out-File` on Windows PowerShell 5), or UTF-8 with one (`-Encoding utf8`); both must
 * read like plain UTF-8 JSON.
 */
import { type InvalidInputCode, InvalidInputError } from '../errors/errors.ts'

/** Decode bytes as UTF-16 (little or big endian, by their BOM) or UTF-8, without the BOM. */
export function decodeText(bytes: Uint8Array): string {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8'
  // TextDecoder drops the BOM of the encoding it decodes (ignoreBOM defaults to false).
  return new TextDecoder(encoding).decode(bytes)
}

/** What a JSON document is, for messages: its error code, and how the user names it. */
export interface JsonDocumentKind {
  code: InvalidInputCode
  /** `snapshot`, `--allowlist allow.json`, `the request body`. */
  name: string
  /** How to produce a valid one. */
  fix: string
}

/**
 * Bounds on an input, checked before it is parsed: a 200 MB file of nested brackets would
 * otherwise take minutes and gigabytes before JSON.parse gives up. `raise` tells the user how
 * to lift a bound (an adapter's flag or variable); core cannot know its name.
 */
export interface InputLimits {
  /** Most bytes (or UTF-16 code units for text). */
  maxBytes?: number
  /** Deepest nesting of `[` and `{`. */
  maxDepth?: number
  /** How the user raises each limit, for its message (`set FORWARDING_AUDIT_MAX_INPUT_MB higher`). */
  raise?: { maxBytes?: string; maxDepth?: string }
}

/** The defaults: room for a 100,000-mailbox snapshot, far below what exhausts a process. */
export const DEFAULT_INPUT_LIMITS = {
  /** Snapshots: 512 MiB, about the longest string a JavaScript engine holds. */
  snapshot: { maxBytes: 512 * 1024 * 1024, maxDepth: 64 },
  /** Allowlists and user files: 16 MiB. */
  file: { maxBytes: 16 * 1024 * 1024, maxDepth: 16 },
  /** A request body: 1 MiB. */
  request: { maxBytes: 1024 * 1024, maxDepth: 16 },
} as const

/** Throw INVALID_* naming the document and the limit when `input` is larger than allowed. */
export function checkInputSize(
  input: Uint8Array | string | number,
  kind: Pick<JsonDocumentKind, 'code' | 'name'>,
  limits: InputLimits
): void {
  const size =
    typeof input === 'number' ? input : typeof input === 'string' ? input.length : input.byteLength
  if (limits.maxBytes !== undefined && size > limits.maxBytes) {
    throw new InvalidInputError(
      kind.code,
      `${kind.name} is ${mib(size)}, more than the limit of ${mib(limits.maxBytes)}; ${limits.raise?.maxBytes ?? 'raise the `maxBytes` limit'} to read it`
    )
  }
}

/** The deepest bracket nesting of JSON text, found without parsing it (strings skipped). */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > stopAbove) return deepest
      }
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return deepest
}

/**
 * Parse a JSON document from bytes or text; throws InvalidInputError naming the document. Its
 * size and nesting depth are checked first, against `limits`.
 */
export function parseJsonDocument(
  input: Uint8Array | string,
  kind: JsonDocumentKind,
  limits: InputLimits = {}
): unknown {
  checkInputSize(input, kind, limits)
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeText(input)
  if (limits.maxDepth !== undefined && jsonDepth(text, limits.maxDepth) > limits.maxDepth) {
    throw new InvalidInputError(
      kind.code,
      `${kind.name} nests deeper than the limit of ${limits.maxDepth} levels; ${limits.raise?.maxDepth ?? 'raise the `maxDepth` limit'} if it is real, or ${kind.fix}`
    )
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new InvalidInputError(
      kind.code,
      `${kind.name} is not valid JSON (${detail}); ${kind.fix}`
    )
  }
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`
}
