/**
 * @module test/simulator/exchange
 * Exchange Online's admin REST endpoint (docs/microsoft-apis.md §5): `InvokeCommand` runs one cmdlet
 * and wraps its rows in the OData envelope with `@adminapi.warnings`; long results page with
 * `Prefer: odata.maxpagesize` and a nextLink the client re-POSTs the same body to.
 */
import { createHash } from 'node:crypto'
import type { SimContext } from './context.ts'
import { exchangeBatch } from './exchange-batch.ts'
import {
  bindParameters,
  findCmdlet,
  isFailure,
  type Row,
  resultSizeOf,
} from './exchange-cmdlets.ts'
import {
  exoBadRequest,
  exoForbidden,
  exoHeaders,
  exoInvalidOperation,
  exoThrottled,
  exoUnauthorized,
} from './exchange-errors.ts'
import { type SimRequest, type SimResponse, safeDecode, sleep } from './http.ts'
import { decodeToken, encodeToken } from './ids.ts'

export const exchangeAudiences = (ctx: SimContext): string[] => [
  ctx.endpoints.exchange,
  'https://outlook.office365.com',
  'https://outlook.office.com',
  '00000002-0000-0ff1-ce00-000000000000',
]

const PATH = /^\/adminapi\/beta\/([^/]+)\/(InvokeCommand|\$batch)$/i

export async function handleExchange(ctx: SimContext, req: SimRequest): Promise<SimResponse> {
  const match = PATH.exec(req.url.pathname)
  if (!match?.[1] || !match[2]) {
    return { status: 404, headers: { 'Content-Type': 'text/plain' }, raw: 'Not Found' }
  }
  const auth = await ctx.tokens.check(req.headers.authorization, exchangeAudiences(ctx))
  if (!auth.ok) return exoUnauthorized(ctx, auth.reason)
  // "neither grant -> HTTP 401; app role only -> HTTP 403" (graph2otel, 5.2).
  if (!auth.claims.roles?.includes('Exchange.ManageAsApp')) return exoUnauthorized(ctx, 'role')
  if (!ctx.tenant.names.has(safeDecode(match[1]).toLowerCase())) {
    return exoUnauthorized(ctx, 'tenant')
  }
  if (req.method !== 'POST')
    return exoBadRequest(`The HTTP method '${req.method}' is not supported.`)
  if (match[2].toLowerCase() === '$batch') {
    ctx.recorder.route('exchangeBatch')
    return exchangeBatch(ctx, req, match[1])
  }
  return invokeCommand(ctx, req.url, req.body, req.headers)
}

interface CmdletInput {
  CmdletName: string
  Parameters?: Record<string, unknown> | null
}

function parseInput(body: unknown): CmdletInput | string {
  let parsed = body
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body)
    } catch {
      return 'The request body is not valid JSON.'
    }
  }
  const input = (parsed as { CmdletInput?: CmdletInput } | null)?.CmdletInput
  if (!input || typeof input.CmdletName !== 'string')
    return 'The request body must contain CmdletInput.CmdletName.'
  return input
}

interface PageState {
  /** Offset of the next row. */
  o: number
  /** Hash of the CmdletInput the nextLink belongs to: replaying it with another body fails. */
  h: string
}

/** One cmdlet execution, top level or a $batch item. */
export async function invokeCommand(
  ctx: SimContext,
  url: URL,
  body: unknown,
  headers: Record<string, string>
): Promise<SimResponse> {
  const input = parseInput(body)
  if (typeof input === 'string') return exoBadRequest(input)
  const cmdlet = findCmdlet(input.CmdletName)
  ctx.recorder.route(`invokeCommand:${cmdlet?.name ?? input.CmdletName}`)
  if (!cmdlet || ctx.app.deniedCmdlets.has(cmdlet.name.toLowerCase())) return exoForbidden()
  // graph2otel: `"Parameters": null` is not the same request as `{}` (5.1).
  if (
    input.Parameters === null ||
    (input.Parameters !== undefined && typeof input.Parameters !== 'object')
  ) {
    return exoBadRequest('CmdletInput.Parameters must be an object.')
  }
  const params = bindParameters(cmdlet, input.Parameters ?? {})
  if (isFailure(params)) return exoInvalidOperation(params)

  const hash = createHash('sha256').update(JSON.stringify(input)).digest('base64url').slice(0, 16)
  const skiptoken = url.searchParams.get('$skiptoken')
  const state = skiptoken ? decodeToken<PageState>(skiptoken) : { o: 0, h: hash }
  if (!state || state.h !== hash || !Number.isInteger(state.o)) {
    return exoInvalidOperation({
      type: 'Microsoft.Exchange.Admin.OData.Core.ODataServiceException',
      message: 'Expired or Invalid pagination request. Default Expiry time is 00:30:00',
    })
  }

  const done: Array<() => void> = []
  if (cmdlet.name === 'Get-InboxRule' && typeof params.Mailbox === 'string') {
    const key = ctx.tenant.findMailbox(params.Mailbox)?.key ?? params.Mailbox.toLowerCase()
    done.push(ctx.recorder.mailbox(key))
  }
  try {
    const release = ctx.exchangeGauge.tryEnter()
    if (!release) {
      ctx.recorder.throttled('exchangeConcurrency')
      return exoThrottled(ctx.limitRetryAfter)
    }
    done.push(release, ctx.recorder.cmdlet())
    // Service time: ~1 s per Get-InboxRule in real tenants (graph2otel exofanout.go, 5.5).
    await sleep(ctx.latencyMs + (ctx.cmdletLatencyMs[cmdlet.name] ?? 0))
    const rows = cmdlet.run(ctx.tenant, params, { offset: state.o, auditLog: ctx.auditLog.options })
    if (isFailure(rows)) return exoInvalidOperation(rows)
    return page(ctx, url, headers, rows, state, cmdlet.resultSize ? params.ResultSize : 'Unlimited')
  } finally {
    for (const release of done) release()
  }
}

function page(
  ctx: SimContext,
  url: URL,
  headers: Record<string, string>,
  rows: Row[],
  state: PageState,
  resultSize: unknown
): SimResponse {
  const maxPageSize = Number(
    /odata\.maxpagesize\s*=\s*(\d+)/i.exec(headers.prefer ?? '')?.[1] ?? Number.NaN
  )
  // Without maxpagesize a numeric ResultSize (default 1000) sizes the page and a nextLink follows,
  // as in the captured `Get-Mailbox -ResultSize 1` response (5.3).
  const bySize =
    resultSize === undefined ? 1000 : (resultSizeOf(resultSize) ?? Number.POSITIVE_INFINITY)
  const size = Math.min(maxPageSize > 0 ? maxPageSize : Number.POSITIVE_INFINITY, bySize)
  const select = url.searchParams.get('$select')
  const value = rows.slice(state.o, state.o + size).map((row) => annotate(project(row, select)))
  const tenantSegment =
    /^\/adminapi\/beta\/([^/]+)\//i.exec(url.pathname)?.[1] ?? ctx.tenant.tenantGuid
  const base = `${ctx.endpoints.exchange}/adminapi/beta/${tenantSegment}`
  const body: Record<string, unknown> = {
    '@odata.context': `${base}/$metadata#Collection(Exchange.GenericHashTable)`,
  }
  const warnings: string[] = []
  if (state.o + size < rows.length) {
    const query = select ? `%24select=${encodeURIComponent(select)}&` : ''
    body['@odata.nextLink'] =
      `${base}/InvokeCommand?${query}%24skiptoken=${encodeToken({ o: state.o + size, h: state.h })}`
    warnings.push(
      'There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.'
    )
  }
  // `@adminapi.warnings` is present and an array even when empty (5.3).
  Object.assign(body, {
    'adminapi.warnings@odata.type': '#Collection(String)',
    '@adminapi.warnings': warnings,
    value,
  })
  const responseHeaders = { ...exoHeaders(), 'X-Concurrencycount': '0' }
  if (maxPageSize > 0)
    Object.assign(responseHeaders, { 'Preference-Applied': `odata.maxpagesize=${maxPageSize}` })
  return { status: 200, headers: responseHeaders, body }
}

/** `?$select=A,B` keeps those properties (case-insensitive) and their annotations (5.1). */
function project(row: Row, select: string | null): Row {
  if (!select) return row
  const wanted = new Set(select.split(',').map((s) => s.trim().toLowerCase()))
  const out: Row = {}
  for (const [key, value] of Object.entries(row)) {
    if (wanted.has((key.split('@')[0] ?? key).toLowerCase())) out[key] = value
  }
  return out
}

/** Type annotations real rows carry beside their values (5.3); consumers must skip `@` keys. */
function annotate(row: Row): Row {
  const out: Row = {}
  for (const [key, value] of Object.entries(row)) {
    const annotated =
      key.includes('@') ||
      Object.hasOwn(row, `${key}@odata.type`) ||
      Object.hasOwn(row, `${key}@data.type`)
    if (!annotated && value !== null && value !== undefined) {
      if (Array.isArray(value)) out[`${key}@odata.type`] = '#Collection(String)'
      else if (key === 'Guid')
        Object.assign(out, { 'Guid@data.type': 'System.Guid', 'Guid@odata.type': '#Guid' })
      else if (/^When/.test(key) && typeof value === 'string')
        out[`${key}@data.type`] = 'System.DateTime'
      else if (key === 'Priority' && typeof value === 'number')
        out[`${key}@data.type`] = 'System.Int32'
    }
    out[key] = value
  }
  return out
}
