/**
 * @module test/simulator/graph-users
 * `GET /v1.0/users`: $select, $top (1..999), $skiptoken paging with absolute nextLinks, $count
 * and the handful of $filter forms an auditor uses (docs/microsoft-apis.md §2.1).
 */
import type { SimContext } from './context.ts'
import { graphError, graphHeaders } from './graph-errors.ts'
import type { SimResponse } from './http.ts'
import { decodeToken, encodeToken } from './ids.ts'
import type { SimUser } from './tenant.ts'

const DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
]
const EXTRA_PROPERTIES = [
  'accountEnabled',
  'assignedLicenses',
  'mailNickname',
  'proxyAddresses',
  'userType',
  'createdDateTime',
  'onPremisesSyncEnabled',
  'usageLocation',
  'otherMails',
  'department',
  'companyName',
  'employeeId',
  'showInAddressList',
  'externalUserState',
]
const KNOWN = new Map([...DEFAULT_PROPERTIES, ...EXTRA_PROPERTIES].map((p) => [p.toLowerCase(), p]))

/** A user as Graph serializes it: every requested property present, null when unset. */
export function projectUser(user: SimUser, select: string[] | undefined): Record<string, unknown> {
  const all: Record<string, unknown> = {
    businessPhones: [],
    ...user.properties,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
  }
  const out: Record<string, unknown> = {}
  for (const property of select ?? DEFAULT_PROPERTIES) out[property] = all[property] ?? null
  return out
}

/** Parses `$select`; returns an error response for a property user has not got. */
export function parseSelect(
  ctx: SimContext,
  raw: string | null
): string[] | SimResponse | undefined {
  if (!raw) return undefined
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const out: string[] = []
  for (const name of names) {
    const known = KNOWN.get(name.toLowerCase())
    if (!known) {
      const message = `Could not find a property named '${name}' on type 'microsoft.graph.user'.`
      return graphError(ctx, 400, 'BadRequest', message)
    }
    out.push(known)
  }
  return out
}

type Predicate = (user: Record<string, unknown>) => boolean
const unsupported = Symbol('unsupported')

/**
 * `prop eq|ne value`, `assignedLicenses/$count eq|ne 0`, `endsWith(prop,'x')`, joined by `and`.
 * `ne`, `/$count` and endsWith are advanced queries: without `ConsistencyLevel: eventual` and
 * `$count=true` Graph answers 400 Request_UnsupportedQuery (docs/microsoft-apis.md §2.1).
 */
function parseFilter(filter: string, advancedAllowed: boolean): Predicate | typeof unsupported {
  const clauses = filter.split(/\s+and\s+/i)
  const predicates: Predicate[] = []
  for (const clause of clauses) {
    const count = /^(\w+)\/\$count\s+(eq|ne)\s+0$/i.exec(clause.trim())
    const compare = /^(\w+)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|null)$/i.exec(clause.trim())
    const ends = /^endswith\((\w+),\s*'((?:[^']|'')*)'\)$/i.exec(clause.trim())
    if (count?.[1] && count[2]) {
      if (!advancedAllowed) return unsupported
      const [property, op] = [count[1], count[2].toLowerCase()]
      predicates.push(
        (u) => (((u[property] as unknown[] | null)?.length ?? 0) === 0) === (op === 'eq')
      )
    } else if (compare?.[1] && compare[2] && compare[3]) {
      const [property, op, literal] = [compare[1], compare[2].toLowerCase(), compare[3]]
      if (op === 'ne' && !advancedAllowed) return unsupported
      const value = literal.startsWith("'")
        ? literal.slice(1, -1).replaceAll("''", "'")
        : JSON.parse(literal)
      const same = (u: Record<string, unknown>) =>
        typeof value === 'string'
          ? String(u[property] ?? '').toLowerCase() === value.toLowerCase()
          : (u[property] ?? null) === value
      predicates.push((u) => same(u) === (op === 'eq'))
    } else if (ends?.[1] && ends[2] !== undefined) {
      if (!advancedAllowed) return unsupported
      const [property, suffix] = [ends[1], ends[2].replaceAll("''", "'").toLowerCase()]
      predicates.push((u) =>
        String(u[property] ?? '')
          .toLowerCase()
          .endsWith(suffix)
      )
    } else {
      return unsupported
    }
  }
  return (user) => predicates.every((p) => p(user))
}

interface PageState {
  o: number
}

export function listUsers(ctx: SimContext, url: URL, headers: Record<string, string>): SimResponse {
  const q = url.searchParams
  const topRaw = q.get('$top')
  const top = topRaw === null ? 100 : Number(topRaw)
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    const message = `Invalid page size specified: '${topRaw}'. Must be between 1 and 999 inclusive.`
    return graphError(ctx, 400, 'Request_UnsupportedQuery', message)
  }
  const select = parseSelect(ctx, q.get('$select'))
  if (select && !Array.isArray(select)) return select
  const advanced =
    headers.consistencylevel?.toLowerCase() === 'eventual' && q.get('$count') === 'true'
  let users = ctx.tenant.users
  const filter = q.get('$filter')
  if (filter) {
    const predicate = parseFilter(filter, advanced)
    if (predicate === unsupported)
      return graphError(ctx, 400, 'Request_UnsupportedQuery', 'Unsupported Query.')
    users = users.filter((u) => predicate(projectUser(u, [...KNOWN.values()])))
  }
  const skiptoken = q.get('$skiptoken')
  const state = skiptoken ? decodeToken<PageState>(skiptoken) : { o: 0 }
  if (!state || !Number.isInteger(state.o)) {
    const message =
      'The specified page token value has expired and can no longer be included in your request.'
    return graphError(ctx, 400, 'Directory_ExpiredPageToken', message)
  }
  const page = users.slice(state.o, state.o + top)
  const context = `${ctx.endpoints.graph}/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}`
  const body: Record<string, unknown> = { '@odata.context': context }
  // `@odata.count` only on the first page, and only for advanced queries (2.1).
  if (advanced && !skiptoken) body['@odata.count'] = users.length
  if (state.o + top < users.length) {
    // Literal `$` in parameter names, as in Graph's own nextLinks (2.1).
    const params = new Map([...q].filter(([key]) => key !== '$skiptoken'))
    params.set('$top', String(top))
    params.set('$skiptoken', encodeToken({ o: state.o + top }))
    const query = [...params].map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    body['@odata.nextLink'] = `${ctx.endpoints.graph}/v1.0/users?${query.join('&')}`
  }
  body.value = page.map((u) => projectUser(u, select))
  return { status: 200, headers: graphHeaders(headers['client-request-id']), body }
}
