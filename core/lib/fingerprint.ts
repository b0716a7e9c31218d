/**
 * @module lib/fingerprint
 * Stable finding ids: the same forwarding in the same tenant gets the same id in every run,
 * from every source, so allowlists, SARIF alerts and baselines can refer to it.
 */

/** SHA-256 over the parts, first 16 bytes as hex. Web Crypto: the same in Node, Deno and workerd. */
export async function fingerprint(parts: string[]): Promise<string> {
  const data = new TextEncoder().encode(parts.map((p) => p.toLowerCase()).join('\u001f'))
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data))
  let hex = ''
  for (const byte of digest.subarray(0, 16)) hex += byte.toString(16).padStart(2, '0')
  return hex
}
