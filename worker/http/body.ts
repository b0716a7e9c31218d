/**
 * @module worker/http/body
 * The request body: JSON only (415 otherwise), at most 64 KiB (413), counted on the bytes
 * actually read, so a chunked body without a Content-Length is held to the same limit as one
 * with it (hono's bodyLimit reads and counts such a stream), then decoded as UTF-8 and parsed.
 * A body that is not JSON is a 400 naming the problem, never echoing the body.
 */
import { bodyLimit } from 'hono/body-limit'
import { createMiddleware } from 'hono/factory'
import { InvalidInputError } from '../../core/index.ts'
import { ApiError } from './errors.ts'

/** The largest request body accepted: a request lists at most a few thousand mailboxes. */
export const BODY_LIMIT_BYTES = 64 * 1024

export type BodyVariables = { body: unknown }

/** Middleware that leaves the parsed JSON body in `c.get('body')`. */
export function jsonBody(limit = BODY_LIMIT_BYTES) {
  const limited = bodyLimit({
    maxSize: limit,
    onError: () => {
      throw new ApiError('BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`, {
        details: { limit_bytes: limit },
      })
    },
  })
  return createMiddleware<{ Variables: BodyVariables }>(async function jsonBody(c, next) {
    checkMediaType(c.req.header('content-type'))
    await limited(c, async () => {
      c.set('body', parseJson(new Uint8Array(await c.req.arrayBuffer())))
      await next()
    })
  })
}

/** `application/json`, optionally with `charset=utf-8`; anything else is a 415. */
function checkMediaType(header: string | undefined): void {
  const [type = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim())
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^";]+)"?$/i.exec(parameter)?.[1])
    .find((value) => value !== undefined)
  if (type.toLowerCase() !== 'application/json' || (charset && charset.toLowerCase() !== 'utf-8')) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'the request body must be JSON: send Content-Type: application/json'
    )
  }
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw invalid('the request body is not UTF-8 text')
  }
  if (text.trim() === '') throw invalid('the request body is empty: send a JSON object')
  try {
    return JSON.parse(text)
  } catch {
    throw invalid('the request body is not valid JSON: send a JSON object')
  }
}

function invalid(message: string): InvalidInputError {
  return new InvalidInputError('INVALID_REQUEST', message)
}
