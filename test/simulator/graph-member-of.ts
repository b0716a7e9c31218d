/**
 * @module test/simulator/graph-member-of
 * `GET /v1.0/users/{id | upn}/transitiveMemberOf` (docs/microsoft-apis.md §2.4): the snapshot
 * mailbox entry's `memberOf` objects, 100 a page by default, `$top` 1..999, absolute nextLinks.
 * An app without a group permission (only User.Read.All) gets each group's type and id, every
 * other property null, as Graph's "limited information" rule says.
 */
import type { SimContext } from './context.ts'
import { graphError, graphHeaders } from './graph-errors.ts'
import { type SimResponse, safeDecode } from './http.ts'
import { decodeToken, encodeToken } from './ids.ts'
import type { AccessClaims } from './tokens.ts'

/** Permissions that let an app read a group's properties, not only its id. */
const GROUP_READ = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
]

export function transitiveMemberOf(
  ctx: SimContext,
  claims: AccessClaims,
  userId: string,
  url: URL,
  headers: Record<string, string>
): SimResponse {
  const user = ctx.tenant.findUser(userId)
  if (!user) {
    const message = `Resource '${safeDecode(userId)}' does not exist or one of its queried reference-property objects are not present.`
    return graphError(ctx, 404, 'Request_ResourceNotFound', message)
  }
  const topRaw = url.searchParams.get('$top')
  const top = topRaw === null ? 100 : Number(topRaw)
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    const message = `Invalid page size specified: '${topRaw}'. Must be between 1 and 999 inclusive.`
    return graphError(ctx, 400, 'Request_UnsupportedQuery', message)
  }
  const skiptoken = url.searchParams.get('$skiptoken')
  const state = skiptoken ? decodeToken<{ o: number }>(skiptoken) : { o: 0 }
  if (!state || !Number.isInteger(state.o)) {
    const message =
      'The specified page token value has expired and can no longer be included in your request.'
    return graphError(ctx, 400, 'Directory_ExpiredPageToken', message)
  }
  const full = GROUP_READ.some((role) => claims.roles?.includes(role))
  const all = (user.mailbox?.memberOf ?? []).map((object) => (full ? object : limited(object)))
  const base = `${ctx.endpoints.graph}/v1.0/users/${encodeURIComponent(safeDecode(userId))}/transitiveMemberOf`
  const body: Record<string, unknown> = {
    '@odata.context': `${ctx.endpoints.graph}/v1.0/$metadata#directoryObjects`,
  }
  if (state.o + top < all.length) {
    body['@odata.nextLink'] = `${base}?$top=${top}&$skiptoken=${encodeToken({ o: state.o + top })}`
  }
  body.value = all.slice(state.o, state.o + top)
  return { status: 200, headers: graphHeaders(headers['client-request-id']), body }
}

/** What an app may see of an object it has no permission to read: its type and id. */
function limited(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(object)) {
    out[key] = key === '@odata.type' || key === 'id' ? value : null
  }
  return out
}
