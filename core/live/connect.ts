/**
 * @module live/connect
 * Wires the live pieces together: one token provider for both APIs, the Exchange admin and
 * Graph clients, the reader, and the TenantSource the engine audits.
 */
import { type LiveReader, liveReader } from '../sources/live/reader.ts'
import { liveSource } from '../sources/live/source.ts'
import type { TenantSource } from '../sources/source.ts'
import { exchangeAdmin } from './exchange-admin.ts'
import { graphApi } from './graph.ts'
import { tokenProvider } from './tokens.ts'
import type { CloudEndpoints, Credential, LiveContext } from './types.ts'

export interface LiveConnection {
  source: TenantSource
  reader: LiveReader
}

/** Connect to a tenant with app-only credentials. Nothing is fetched until the audit reads. */
export function connectLive(options: {
  credential: Credential
  endpoints: CloudEndpoints
  context: LiveContext
}): LiveConnection {
  const { credential, endpoints, context } = options
  const tokens = tokenProvider(credential, { authority: endpoints.authority, context })
  const reader = liveReader({
    tenantId: credential.tenantId,
    exchange: exchangeAdmin({
      endpoint: endpoints.exchange,
      tenantId: credential.tenantId,
      tokens,
      context,
    }),
    graph: graphApi({ endpoint: endpoints.graph, tokens, context }),
  })
  return { source: liveSource(reader), reader }
}

/** Retry settings for real tenants: Graph asks for waits of seconds, Exchange of tens of seconds. */
export const DEFAULT_RETRY = { maxRetries: 8, baseDelayMs: 500, maxDelayMs: 60_000 }
