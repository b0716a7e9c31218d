/**
 * @module normalize/client-ip
 * `ClientIP` as audit records write it (docs/microsoft-apis.md 6.2): with the client port
 * (`203.0.113.7:52385`, `[2001:db8::1]:52629`, `203.0.113.7-52385`), IPv4 mapped into IPv6
 * (`[::ffff:203.0.113.7]:443`) or bare. One form per address, so "seen from this IP" compares.
 */

const V4 = /^(\d{1,3}(?:\.\d{1,3}){3})$/
const V4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3})[:-]\d{1,5}$/
const BRACKETED = /^\[([^\]]+)\](?::\d{1,5})?$/
const MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i
const V6 = /^[0-9a-f:]+(?:%\w+)?$/i

/** The address without port or IPv6 mapping, lower-cased; other text is returned trimmed. */
export function parseClientIp(value: string | undefined): string | undefined {
  const text = value?.trim()
  if (!text) return undefined
  const v4 = V4.exec(text) ?? V4_WITH_PORT.exec(text)
  if (v4) return v4[1]
  const inner = BRACKETED.exec(text)?.[1] ?? text
  const mapped = MAPPED.exec(inner)
  if (mapped) return mapped[1]
  if (V6.test(inner) && inner.includes(':')) return inner.toLowerCase()
  return text
}
