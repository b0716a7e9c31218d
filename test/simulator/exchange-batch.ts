/**
 * @module test/simulator/exchange-batch
 * `POST /adminapi/beta/{tenant}/$batch` as CIPP's New-ExoBulkRequest uses it (docs/microsoft-apis.md
 * 5.5): up to 10 InvokeCommand sub-requests with absolute urls, run concurrently, each answered
 * in `responses[]` with its own status and body.
 */
import type { SimContext } from './context.ts'
import { invokeCommand } from './exchange.ts'
import { exoBadRequest, exoFault, exoHeaders } from './exchange-errors.ts'
import { type SimRequest, type SimResponse, safeDecode } from './http.ts'

const MAX_REQUESTS = 10

interface ExoBatchItem {
  id: string
  method?: string
  url: string
  body?: unknown
  headers?: Record<string, unknown>
}

export async function exchangeBatch(
  ctx: SimContext,
  req: SimRequest,
  tenant: string
): Promise<SimResponse> {
  let requests: unknown
  try {
    requests = (JSON.parse(req.body) as { requests?: unknown } | null)?.requests
  } catch {
    return exoBadRequest('The request body is not valid JSON.')
  }
  if (!Array.isArray(requests) || requests.length === 0)
    return exoBadRequest('Invalid batch payload format.')
  if (requests.length > MAX_REQUESTS) {
    return exoBadRequest(
      `The number of requests in a batch (${requests.length}) exceeds the limit of ${MAX_REQUESTS}.`
    )
  }
  const items = requests as ExoBatchItem[]
  if (items.some((item) => typeof item?.id !== 'string' || typeof item.url !== 'string')) {
    return exoBadRequest('Each request in a batch must have an id and a url.')
  }
  ctx.recorder.batchSize('exchange', items.length)
  const responses: unknown[] = []
  // Completion order, the natural order of concurrent execution; clients match on id.
  await Promise.all(
    items.map(async (item) => {
      const response = await runItem(ctx, item, tenant)
      responses.push(toItem(item.id, response))
    })
  )
  return { status: 200, headers: exoHeaders(), body: { responses } }
}

async function runItem(ctx: SimContext, item: ExoBatchItem, tenant: string): Promise<SimResponse> {
  ctx.recorder.batchItem('exchange')
  const fault = ctx.faults.forBatchItem()
  if (fault) {
    ctx.recorder.fault(fault.kind)
    return exoFault(fault)
  }
  let url: URL
  try {
    url = new URL(item.url, ctx.endpoints.exchange)
  } catch {
    return exoBadRequest(`Invalid request URI '${item.url}'.`)
  }
  // Any name of this tenant will do (GUID or domain), as for top-level calls.
  const itemTenant = /^\/adminapi\/beta\/([^/]+)\/invokecommand$/i.exec(url.pathname)?.[1]
  const method = (item.method ?? 'POST').toUpperCase()
  if (
    !itemTenant ||
    !ctx.tenant.names.has(safeDecode(itemTenant).toLowerCase()) ||
    method !== 'POST'
  ) {
    return exoBadRequest(
      `Only POST /adminapi/beta/${tenant}/InvokeCommand is supported inside a batch.`
    )
  }
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(item.headers ?? {}))
    headers[name.toLowerCase()] = String(value)
  return invokeCommand(ctx, url, item.body ?? {}, headers)
}

/** JSON bodies stay objects; plain-text and NUL bodies become strings [item shape unverified]. */
function toItem(id: string, response: SimResponse) {
  const body =
    response.raw !== undefined
      ? Buffer.from(response.raw).toString('utf8')
      : (response.body ?? null)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    if (/^(retry-after|content-type)$/i.test(name)) headers[name] = value
  }
  return { id, status: response.status, headers, body }
}
