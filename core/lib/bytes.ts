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

/** Parse a JSON document from bytes or text; throws InvalidInputError naming the document. */
export function parseJsonDocument(input: Uint8Array | string, kind: JsonDocumentKind): unknown {
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeText(input)
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
