/**
 * @module normalize/recipients
 * Every way Microsoft writes a forwarding target, reduced to a RecipientRef:
 * `"Name" [SMTP:x@y]` and `"Name" [EX:/o=...]` (Get-InboxRule), `smtp:x@y` (ForwardingSmtpAddress),
 * `a@b; c@d` lists, PowerShell objects and Graph `{ emailAddress: { address, name } }`.
 *
 * The person who plants a forward writes these strings. A display name is only ever a name:
 * the address is judged on its own (`"s.brandt@contoso.com" [SMTP:"boss"@evil.example]` goes
 * to evil.example), and a target that does not parse keeps its raw text, so the report shows
 * what was written and the resolver treats it as external. A value in a forward field that is
 * no recipient at all (`{}`, `""` in a list) still is a target: the rule forwards somewhere.
 */
import { parseAddress } from '../lib/address.ts'
import { presentText } from '../lib/text.ts'
import type { RecipientRef } from '../model/tenant.ts'

const BRACKETED = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^[]*?))\s*\[([A-Za-z0-9]*):([^\]]*)\]\s*$/
const PREFIXED = /^\s*([A-Za-z]+):(.+)$/
/** Longest raw text kept for a target that did not parse (the formats cut it further). */
const MAX_RAW = 512

/** Parse one recipient value of any known shape; undefined only for null and undefined. */
export function parseRecipient(value: unknown): RecipientRef | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return parseRecipientText(value) ?? unreadable(value)
  if (typeof value !== 'object' || Array.isArray(value)) return unreadable(value)
  const record = value as Record<string, unknown>
  const email = record.emailAddress as Record<string, unknown> | undefined
  if (email && typeof email === 'object') {
    const address = presentText(email.address)
    const name = presentText(email.name)
    if (address) return withName(textRef(address), name)
    if (name) return { identity: name, raw: `${JSON.stringify(name)} (no address)` }
    return unreadable(value)
  }
  // PowerShell objects: ADRecipientOrAddress { Address, RoutingType, DisplayName },
  // ProxyAddress { AddressString, ProxyAddressString, PrefixString }, SmtpAddress { Address }.
  const routing = presentText(record.RoutingType)?.toUpperCase()
  const address = presentText(record.Address ?? record.AddressString ?? record.SmtpAddress)
  const display = presentText(record.DisplayName ?? record.Name)
  if (routing === 'EX' && address) return withName({ legacyDn: address, raw: address }, display)
  if (address) return withName(textRef(address), display)
  const proxy = presentText(record.ProxyAddressString)
  if (proxy) return withName(parseRecipientText(proxy) ?? unreadable(proxy), display)
  return display
    ? { identity: display, raw: `${JSON.stringify(display)} (no address)` }
    : unreadable(value)
}

/**
 * Parse a list in any shape: array, one value, or a `;`-separated string. Every item that is
 * there gives a target, even one that names nothing readable: the rule still forwards.
 */
export function parseRecipientList(value: unknown): RecipientRef[] {
  if (value === null || value === undefined) return []
  // A field set to a blank string is a cleared field (Set-InboxRule -ForwardTo $null), not a target.
  if (typeof value === 'string' && value.trim() === '') return []
  const items = Array.isArray(value) ? value : [value]
  const refs: RecipientRef[] = []
  for (const item of items) {
    if (typeof item === 'string' && item.includes(';') && !BRACKETED.test(item)) {
      for (const part of splitList(item)) {
        const ref = parseRecipientText(part)
        if (ref) refs.push(ref)
      }
    } else {
      const ref = parseRecipient(item)
      if (ref) refs.push(ref)
    }
  }
  return refs
}

/** A recipient string; undefined when it is blank. */
function parseRecipientText(raw: string): RecipientRef | undefined {
  const text = raw.trim()
  if (text === '') return undefined
  const bracketed = BRACKETED.exec(text)
  if (bracketed) {
    const name = (bracketed[1] ?? bracketed[2] ?? '').replace(/\\(.)/g, '$1').trim()
    return withName(routed(bracketed[3] as string, (bracketed[4] as string).trim(), text), name)
  }
  return textRef(text)
}

function textRef(text: string): RecipientRef {
  const trimmed = text.trim()
  const raw = clip(trimmed)
  const prefixed = PREFIXED.exec(trimmed)
  if (prefixed && !trimmed.startsWith('/'))
    return routed(prefixed[1] as string, (prefixed[2] as string).trim(), trimmed)
  if (trimmed.startsWith('/o=') || trimmed.startsWith('/O=')) return { legacyDn: trimmed, raw }
  const parsed = parseAddress(trimmed)
  if (parsed) return { address: parsed.written, raw }
  // Something that tried to be an address and is not one names nobody Exchange could look up.
  if (/[@＠﹫]/.test(trimmed)) return { raw }
  return { identity: trimmed, raw }
}

/** `[TYPE:value]` or `TYPE:value`: SMTP must be an address, EX a legacy DN. */
function routed(routingType: string, value: string, text: string): RecipientRef {
  const type = routingType.toUpperCase()
  const raw = clip(text)
  if (type === 'EX') return value === '' ? { raw } : { legacyDn: value, raw }
  if (type === 'SMTP') {
    const parsed = parseAddress(value)
    return parsed ? { address: parsed.written, raw } : { raw }
  }
  return value === '' ? { raw } : { identity: `${routingType}:${value}`, raw }
}

function withName(ref: RecipientRef, name: string | undefined): RecipientRef {
  return name && name.toLowerCase() !== ref.address ? { ...ref, displayName: name } : ref
}

/** A value in a recipient field that names nothing: the target is its description. */
function unreadable(value: unknown): RecipientRef {
  if (typeof value === 'string')
    return { raw: value.trim() === '' ? '(empty recipient)' : clip(value) }
  let shown: string
  try {
    shown = JSON.stringify(value) ?? String(value)
  } catch {
    shown = String(value)
  }
  return { raw: `(unreadable recipient ${clip(shown)})` }
}

function clip(text: string): string {
  return text.length > MAX_RAW ? `${text.slice(0, MAX_RAW)}…` : text
}

function splitList(text: string): string[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/** A recipient as conditions match it: its address, else the target as written; never its display name. */
export function recipientText(ref: RecipientRef): string {
  return ref.address ?? ref.raw ?? ref.identity ?? ref.legacyDn ?? ''
}

/** Strip the `smtp:` prefix Exchange puts on ForwardingSmtpAddress. */
export function stripSmtpPrefix(value: string): string {
  return value.replace(/^smtp:/i, '').trim()
}
