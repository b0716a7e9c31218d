/**
 * @module lib/address
 * Addresses and user principal names as Exchange and Entra ID accept them. An address here is
 * judged by its domain alone: the local part may be quoted (`"boss"@evil.example`), and anything
 * that is not `local@domain` with one real domain is not an address at all.
 */
import { type DomainForms, domainForms, isInternationalized } from './idn.ts'

const UPN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

/** True when `value` is a well-formed UPN. */
export function isUpn(value: string): boolean {
  return value.length <= 113 && UPN.test(value) && !value.includes('..')
}

/** Lower-case and trim a UPN or address for comparison; Exchange treats them case-insensitively. */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase()
}

/** An address split into what routes it (the ASCII domain) and what a reader sees. */
export interface ParsedAddress {
  /** The local part as written (quotes kept), lower-cased. */
  local: string
  domain: DomainForms
  /** `local@ascii-domain`: the one form that compares, matches and routes. */
  address: string
  /** The address as written, lower-cased (`x@ｃｏｎｔｏｓｏ.com` stays so). */
  written: string
  /** What a report shows: the address, and beside it the domain's other form when they differ. */
  label: string
}

// A dot-atom local part: no whitespace, no `@`, no specials; other Unicode is left to the domain test.
const DOT_ATOM = /^[^\s@"<>()[\]\\,;:]+$/
const QUOTED = /^"(?:[^"\\\r\n]|\\.)*"$/

/** Parse `local@domain`; undefined for anything else (two `@`, `＠`, no domain, spaces ...). */
export function parseAddress(text: string): ParsedAddress | undefined {
  const trimmed = text.trim()
  const at = trimmed.lastIndexOf('@')
  if (at <= 0) return undefined
  const local = trimmed.slice(0, at)
  if (!QUOTED.test(local) && !(DOT_ATOM.test(local) && !local.includes('..'))) return undefined
  const domain = domainForms(trimmed.slice(at + 1))
  if (!domain) return undefined
  const lowerLocal = local.toLowerCase()
  const address = `${lowerLocal}@${domain.ascii}`
  const written = `${lowerLocal}@${trimmed.slice(at + 1).toLowerCase()}`
  const label = isInternationalized(domain)
    ? `${domain.canonical ? `${lowerLocal}@${domain.unicode}` : written} (${domain.ascii})`
    : address
  return { local: lowerLocal, domain, address, written, label }
}

const LABELLED = /^(\S+@\S+) \(([^\s()]+)\)$/

/**
 * The routing address behind a report's destination label (`a@cоntoso.com (xn--…)` gives
 * `a@xn--…`), or undefined when the label is raw text that never parsed as an address.
 */
export function labelAddress(label: string): string | undefined {
  const labelled = LABELLED.exec(label)
  const parsed = parseAddress(labelled ? (labelled[1] as string) : label)
  // A domain written in another form than its own (`ｃｏｎｔｏｓｏ.com`) only ever matches itself.
  if (!parsed?.domain.canonical) return undefined
  return parsed.label === label ? parsed.address : undefined
}
