/**
 * @module test/simulator/http
 * The simulator's own request/response values, independent of node:http, so a $batch item and
 * a top-level call run through the same route code.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export interface SimRequest {
  method: string
  url: URL
  /** Lower-case header names. */
  headers: Record<string, string>
  body: string
}

export interface SimResponse {
  status: number
  headers?: Record<string, string>
  /** A JSON value; ignored when `raw` is set. */
  body?: unknown
  /** Bytes or text sent as is (plain-text throttling messages, NUL-filled 403s). */
  raw?: string | Buffer
}

/**
 * A JSON number written digit for digit. Exchange sends RuleIdentity as an integer above 2^63
 * (docs/microsoft-apis.md §5.7); JSON.stringify cannot, and Node 20 has no JSON.rawJSON.
 */
export class RawNumber {
  constructor(readonly digits: string) {}
}

const RAW_MARK = '\u0001raw-number:'
const RAW_PATTERN = /"\\u0001raw-number:(\d+)"/g

export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v) =>
    v instanceof RawNumber ? RAW_MARK + v.digits : v
  )
  return text.replace(RAW_PATTERN, '$1')
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export function toSimRequest(req: IncomingMessage, origin: string, body: string): SimRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return { method: req.method ?? 'GET', url: new URL(req.url ?? '/', origin), headers, body }
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): SimResponse {
  return { status, body, headers }
}

/**
 * Writes a response. `truncate` sends status 200 and the first half of the body, then ends the
 * message cleanly (chunked), as a proxy cutting a stream would: the client gets broken JSON.
 */
export function writeResponse(res: ServerResponse, sim: SimResponse, truncate = false): void {
  const payload =
    sim.raw !== undefined
      ? Buffer.from(sim.raw)
      : sim.body === undefined
        ? Buffer.alloc(0)
        : Buffer.from(toJson(sim.body))
  const headers: Record<string, string> = { ...sim.headers }
  if (sim.raw === undefined && sim.body !== undefined && !hasHeader(headers, 'content-type')) {
    headers['Content-Type'] = 'application/json'
  }
  if (truncate) {
    res.writeHead(200, headers)
    res.write(payload.subarray(0, Math.floor(payload.length / 2)))
    res.end()
    return
  }
  headers['Content-Length'] = String(payload.length)
  res.writeHead(sim.status, headers)
  res.end(payload)
}

export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}

/** Server-side request id, echoed in error bodies the way Graph and Entra do. */
export const newRequestId = (): string => randomUUID()

/** `2024-01-05T03:01:23`: the zone-less date Graph puts in innerError (docs/microsoft-apis.md §1.7). */
export const innerErrorDate = (now: number): string => new Date(now).toISOString().slice(0, 19)

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)))

/** decodeURIComponent that leaves malformed escapes as they are instead of throwing. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
