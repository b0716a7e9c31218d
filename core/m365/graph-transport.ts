/**
 * @module m365/graph-transport
 * The Graph SDK's last middleware, in place of its HTTPMessageHandler (which calls the global
 * `fetch`): every Graph request goes through the live context's transport like every other
 * Microsoft 365 call, so retries, the deadline, a private CA, tests and the edge runtimes see
 * one path. The SDK wraps whatever a middleware throws in a GraphError; the real failure is
 * left in the request's TransportSlot, so callers map it by what happened, not by error names.
 */
import type { Context, Middleware } from '@microsoft/microsoft-graph-client'
import { HttpStatusError, InternalError } from '../errors/errors.ts'
import { hostOf, parseJsonBody, readErrorBody, readText, send } from './http.ts'
import type { LiveContext } from './types.ts'

/** Per-request middleware option: where the transport leaves the failure it threw. */
export class TransportSlot {
  failure: unknown
}

/** A terminal middleware that sends through `ctx.fetch` and checks the answer. */
export function liveTransport(ctx: LiveContext): Middleware {
  return {
    async execute(context: Context): Promise<void> {
      const slot = context.middlewareControl?.getMiddlewareOptions(TransportSlot) as
        | TransportSlot
        | undefined
      try {
        if (typeof context.request !== 'string') {
          throw new InternalError(new TypeError('the Graph SDK passed a Request object'))
        }
        const host = hostOf(context.request)
        const response = await send(ctx, context.request, context.options ?? {})
        if (!response.ok) {
          const retryAfter = response.headers.get('retry-after')
          const body = await readErrorBody(response, host)
          throw new HttpStatusError(host, response.status, retryAfter, body)
        }
        // Read and checked here, so a body cut short is an InvalidJsonError, retried like others.
        const text = await readText(response, host)
        if (text !== '') parseJsonBody(text, host)
        context.response = new Response(text === '' ? null : text, {
          status: response.status,
          headers: response.headers,
        })
      } catch (error) {
        if (slot) slot.failure = error
        throw error
      }
    },
  }
}
