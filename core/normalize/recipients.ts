/**
 * @module normalize/recipients
 * Every way Microsoft writes a forwarding target, reduced to a RecipientRef:
 * `"Name" [SMTP:x@y]` and `"Name" [EX:/o=...]` (Get-InboxRule), `smtp:x@y` (ForwardingSmtpAddress),
 * `a@b; c@d` lists, PowerShell objects and Graph `{ emailAddress: { address, name } }`.
 */
import { presentText } from '../lib/text.ts'
import type { RecipientRef } from '../model/tenant.ts'

const BRACKETED = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^[]*?))\s*\[([A-Za-z]+):([^\]]*)\]\s*$/
const PREFIXED = /^\s*([A-Za-z]+):(.+)$/
const ADDRESS = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/

/** Parse one recipient value of any known shape; undefined when it names nothing. */
export function parseRecipient(value: unknown): RecipientRef | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return parseRecipientText(value)
  if (typeof value !== 'object') return undefined
  const record = value as Record<string, unknown>
  const email = record.emailAddress as Record<string, unknown> | undefined
  if (email && typeof email === 'object') {
    return withName(textRef(presentText(email.address)), presentText(email.name))
  }
  // PowerShell objects: ADRecipientOrAddress { Address, RoutingType, DisplayName },
  // ProxyAddress { AddressString, ProxyAddressString, PrefixString }, SmtpAddress { Address }.
  const routing = presentText(record.RoutingType)?.toUpperCase()
  const address = presentText(record.Address ?? record.AddressString ?? record.SmtpAddress)
  const display = presentText(record.DisplayName ?? record.Name)
  if (routing === 'EX' && address) return withName({ legacyDn: address }, display)
  if (address) return withName(textRef(address), display)
  const proxy = presentText(record.ProxyAddressString)
  if (proxy) return withName(parseRecipientText(proxy), display)
  return display ? { identity: display } : undefined
}

/** Parse a list in any shape: array, one value, or a `;`-separated string. */
export function parseRecipientList(value: unknown): RecipientRef[] {
  if (value === null || value === undefined) return []
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

function parseRecipientText(raw: string): RecipientRef | undefined {
  const text = raw.trim()
  if (text === '') return undefined
  const bracketed = BRACKETED.exec(text)
  if (bracketed) {
    const name = (bracketed[1] ?? bracketed[2] ?? '').replace(/\\(.)/g, '$1').trim()
    return withName(routed(bracketed[3] as string, (bracketed[4] as string).trim()), name)
  }
  return textRef(text)
}

function textRef(text: string | undefined): RecipientRef | undefined {
  if (!text) return undefined
  const trimmed = text.trim()
  const prefixed = PREFIXED.exec(trimmed)
  if (prefixed && !trimmed.startsWith('/'))
    return routed(prefixed[1] as string, prefixed[2] as string)
  if (trimmed.startsWith('/o=') || trimmed.startsWith('/O=')) return { legacyDn: trimmed }
  if (ADDRESS.test(trimmed)) return { address: trimmed.toLowerCase() }
  return { identity: trimmed }
}

function routed(routingType: string, address: string): RecipientRef {
  const type = routingType.toUpperCase()
  if (type === 'EX') return { legacyDn: address }
  if (type === 'SMTP' && ADDRESS.test(address)) return { address: address.toLowerCase() }
  return { identity: `${routingType}:${address}` }
}

function withName(
  ref: RecipientRef | undefined,
  name: string | undefined
): RecipientRef | undefined {
  if (!ref) return name ? { identity: name } : undefined
  return name && name !== ref.address ? { ...ref, displayName: name } : ref
}

function splitList(text: string): string[] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/** A recipient as an analyst recognises it: its address, else its name, identity or legacy DN. */
export function recipientText(ref: RecipientRef): string {
  return ref.address ?? ref.displayName ?? ref.identity ?? ref.legacyDn ?? ''
}

/** Strip the `smtp:` prefix Exchange puts on ForwardingSmtpAddress. */
export function stripSmtpPrefix(value: string): string {
  return value.replace(/^smtp:/i, '').trim()
}
