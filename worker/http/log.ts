/**
 * @module worker/http/log
 * JSON log lines, one object per line, each with the request id it belongs to. The worker logs
 * what happened (status, code, caller, duration), never a request body, a header value or a
 * query string; and every string is scrubbed of anything shaped like a JWT or a bearer
 * credential before it is written, in case a message ever carries one.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** Where the worker writes its log; tests collect the lines. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void
}

const JWT = /eyJ[\w-]*\.[\w-]*\.[\w-]*/g
const BEARER = /\b(Bearer|Basic)\s+[\w\-.~+/]+=*/gi

/** A string with JWTs and bearer credentials replaced by a marker. */
export function scrub(text: string): string {
  return text.replace(JWT, '[token removed]').replace(BEARER, '$1 [credential removed]')
}

/**
 * A logger that writes one JSON object per line through `write` (console.log: Deno's stdout,
 * Workers Logs on Cloudflare).
 */
export function jsonLogger(
  write: (line: string) => void = (line) => console.log(line),
  now: () => Date = () => new Date()
): Logger {
  return {
    log(level, message, fields = {}) {
      const record = { time: now().toISOString(), level, msg: message, ...fields }
      write(
        JSON.stringify(record, (_key, value) => (typeof value === 'string' ? scrub(value) : value))
      )
    },
  }
}
