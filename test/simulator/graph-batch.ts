/**
 * @module test/simulator/graph-batch
 * `POST /v1.0/$batch` (docs/microsoft-apis.md §3): up to 20 requests with relative urls, run in
 * parallel unless chained by dependsOn, each evaluated individually (throttling included), the
 * envelope 200 whatever the items say, responses in no particular order.
 */
import type { SimContext } from './context.ts'
import { graphOperation } from './graph.ts'
import { GRAPH_CONTENT_TYPE, graphError, graphFault, graphHeaders } from './graph-errors.ts'
import type { SimRequest, SimResponse } from './http.ts'
import type { AccessClaims } from './tokens.ts'

const MAX_REQUESTS = 20

interface BatchItem {
  id: string
  method: string
  url: string
  headers?: Record<string, string>
  dependsOn?: string[]
}

interface ItemResponse {
  id: string
  status: number
  headers: Record<string, string>
  body?: unknown
}

function parseItems(body: string): BatchItem[] | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests
  if (!Array.isArray(requests) || requests.length === 0) return 'Invalid batch payload format.'
  if (requests.length > MAX_REQUESTS) {
    return `The number of requests in a batch (${requests.length}) exceeds the limit of ${MAX_REQUESTS}.`
  }
  const ids = new Set<string>()
  for (const item of requests as Array<Partial<BatchItem>>) {
    if (
      typeof item?.id !== 'string' ||
      typeof item.method !== 'string' ||
      typeof item.url !== 'string'
    ) {
      return 'Each request in a batch must have an id, a method and a url.'
    }
    if (ids.has(item.id)) return `Batch request contains duplicate request id '${item.id}'.`
    ids.add(item.id)
  }
  for (const item of requests as BatchItem[]) {
    const unknown = item.dependsOn?.find((dep) => !ids.has(dep))
    if (unknown) return `Request '${item.id}' depends on unknown request '${unknown}'.`
  }
  return requests as BatchItem[]
}

export async function graphBatch(
  ctx: SimContext,
  claims: AccessClaims,
  req: SimRequest
): Promise<SimResponse> {
  const items = parseItems(req.body)
  if (typeof items === 'string') return graphError(ctx, 400, 'BadRequest', items)
  ctx.recorder.batchSize('graph', items.length)
  const results = new Map<string, Promise<ItemResponse>>()
  const run = async (item: BatchItem): Promise<ItemResponse> => {
    // dependsOn makes the chain sequential; a failed dependency fails its dependents with 424.
    const deps = await Promise.all((item.dependsOn ?? []).map((dep) => results.get(dep)))
    if (deps.some((dep) => !dep || dep.status >= 400)) {
      return toItem(item.id, graphError(ctx, 424, 'FailedDependency', 'Failed dependency.'))
    }
    return toItem(item.id, await runItem(ctx, claims, item, req))
  }
  // Register every promise before any runs, so dependsOn can refer forward and back.
  const pending = items.map((item) => {
    let resolve!: (value: ItemResponse) => void
    results.set(
      item.id,
      new Promise((r) => {
        resolve = r
      })
    )
    return { item, resolve }
  })
  const responses = await Promise.all(
    pending.map(async ({ item, resolve }) => {
      const response = await run(item)
      resolve(response)
      return response
    })
  )
  return {
    status: 200,
    headers: graphHeaders(req.headers['client-request-id']),
    body: { responses: shuffle(responses, ctx.shuffleRandom) },
  }
}

async function runItem(
  ctx: SimContext,
  claims: AccessClaims,
  item: BatchItem,
  parent: SimRequest
): Promise<SimResponse> {
  ctx.recorder.batchItem('graph')
  const fault = ctx.faults.forBatchItem()
  if (fault) {
    ctx.recorder.fault(fault.kind)
    return graphFault(ctx, fault)
  }
  // Urls are relative to the version: `/users` for https://graph.microsoft.com/v1.0/users (3).
  if (/^[a-z]+:\/\//i.test(item.url) || /\$batch/i.test(item.url)) {
    return graphError(ctx, 400, 'BadRequest', 'Invalid request URI.')
  }
  const version = /^\/(v1\.0|beta)\//.exec(parent.url.pathname)?.[1] ?? 'v1.0'
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`
  const url = new URL(`${ctx.endpoints.graph}/${version}${relative}`)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(item.headers ?? {}))
    headers[name.toLowerCase()] = value
  return graphOperation(ctx, claims, { method: item.method, url, headers })
}

/** Items carry a subset of headers; JSON bodies stay objects inside the envelope. */
function toItem(id: string, response: SimResponse): ItemResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (/^(retry-after|location|odata-version|content-type)$/i.test(name)) headers[name] = value
  }
  if (response.body !== undefined && !headers['Content-Type'])
    headers['Content-Type'] = GRAPH_CONTENT_TYPE
  headers['Cache-Control'] = 'private'
  return { id, status: response.status, headers, body: response.body ?? null }
}

function shuffle<T>(values: T[], random: () => number): T[] {
  const out = [...values]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}
