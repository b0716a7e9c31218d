/**
 * @module test/simulator/ids
 * Deterministic identifiers for objects a snapshot does not carry ids for, so the same fixture
 * always yields the same user ids, rule ids and skiptokens.
 */
import { createHash } from 'node:crypto'

const digest = (seed: string): Buffer => createHash('sha256').update(seed).digest()

/** A GUID-shaped id derived from `seed` (version nibble 4, variant 10xx like random GUIDs). */
export function guidFrom(seed: string): string {
  const hex = digest(seed).toString('hex')
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** An unsigned 64-bit decimal, the shape of Exchange's RuleIdentity (often above 2^63). */
export function uint64From(seed: string): string {
  return digest(seed).readBigUInt64BE(0).toString()
}

/** A Graph messageRule id: base64 of 8 bytes, like `AQAAAJ5dZp8=` (docs/microsoft-apis.md §1.5). */
export function messageRuleIdFrom(seed: string): string {
  return Buffer.concat([Buffer.from([1, 0, 0, 0]), digest(seed).subarray(0, 4)]).toString('base64')
}

export const isGuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)

/** Opaque page token: base64url JSON. Clients must not parse it (docs/microsoft-apis.md §2.1). */
export function encodeToken(state: object): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url')
}

export function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T
  } catch {
    return undefined
  }
}

/** A Graph mailFolder id: `AAMkAD` and URL-safe base64, like real REST folder ids (§1.8). */
export function folderIdFrom(seed: string): string {
  return `AAMkAD${Buffer.concat([digest(seed), digest(`${seed}#2`)])
    .toString('base64url')
    .slice(0, 60)}AAA=`
}
