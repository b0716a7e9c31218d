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

/**
 * The network an address belongs to, for "seen from here before": the first /24 of IPv4, the
 * first /64 of IPv6 with `::` expanded (`1::2:3` and `1::2:3:4:5:6:7` are different networks;
 * `2001:db8::1` and `2001:0db8:0:0::2` the same). Text that is no address is its own network.
 */
export function networkOf(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').slice(0, 3).join('.')
  const [head = '', tail, extra] = ip.split('%')[0]!.split('::')
  if (extra !== undefined) return ip
  const left = head === '' ? [] : head.split(':')
  const right = tail === undefined || tail === '' ? [] : tail.split(':')
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length
  if (zeros < 0) return ip
  const groups = [...left, ...Array<string>(zeros).fill('0'), ...right]
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return ip
  return groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')
}
