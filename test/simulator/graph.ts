/**
 * @module test/simulator/graph
 * Microsoft Graph v1.0, the part an auditor reads: users, domains, organization and inbox
 * messageRules, with token, role and throttling checks. `graphOperation` is shared with $batch,
 * whose items Graph evaluates one by one (docs/microsoft-apis.md §3).
 */
import { handleAuditLog, isAuditLogPath } from './audit-log.ts'
import type { SimContext } from './context.ts'
import { graphBatch } from './graph-batch.ts'
import {
  graphError,
  graphHeaders,
  graphThrottled,
  graphUnauthorized,
  mailboxConcurrencyThrottled,
} from './graph-errors.ts'
import { transitiveMemberOf } from './graph-member-of.ts'
import { listUsers, parseSelect, projectUser } from './graph-users.ts'
import { type SimRequest, type SimResponse, safeDecode, sleep } from './http.ts'
import { isGuid } from './ids.ts'
import { findFolder, folderPage, project } from './mail-folders.ts'
import type { AccessClaims } from './tokens.ts'

/** Graph accepts its own audience forms; a simulator token for Exchange is not one of them. */
export const graphAudiences = (ctx: SimContext): string[] => [
  ctx.endpoints.graph,
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
]

export async function handleGraph(ctx: SimContext, req: SimRequest): Promise<SimResponse> {
  const auth = await ctx.tokens.check(req.headers.authorization, graphAudiences(ctx))
  if (!auth.ok) return graphUnauthorized(ctx, auth.reason)
  if (/^\/(v1\.0|beta)\/\$batch$/i.test(req.url.pathname)) {
    ctx.recorder.route('graphBatch')
    if (req.method !== 'POST') return methodNotAllowed(ctx)
    return graphBatch(ctx, auth.claims, req)
  }
  if (isAuditLogPath(req.url.pathname)) {
    await sleep(ctx.latencyMs)
    return handleAuditLog(ctx, auth.claims, req)
  }
  return graphOperation(ctx, auth.claims, req)
}

export interface GraphOperation {
  method: string
  url: URL
  headers: Record<string, string>
}

type Route =
  | { kind: 'users' | 'domains' | 'organization' }
  | { kind: 'user'; user: string }
  | { kind: 'memberOf'; user: string }
  | { kind: 'messageRules'; user: string; folder: string; ruleId?: string }
  | { kind: 'mailFolders'; user: string }
  | { kind: 'mailFolder'; user: string; folder: string }
  | { kind: 'me' }
  | { kind: 'unknown'; segment: string }

function matchRoute(pathname: string): Route {
  const [version = '', ...rest] = pathname.split('/').filter(Boolean)
  if (version !== 'v1.0' && version !== 'beta') return { kind: 'unknown', segment: version }
  // `mailFolders('inbox')` and `mailFolders/inbox` address the same folder.
  const parts = rest.flatMap((s) => {
    const quoted = /^mailfolders\('([^']*)'\)$/i.exec(s)
    return quoted ? ['mailFolders', quoted[1] ?? ''] : [s]
  })
  const [root = '', user, folders, folder, rules, ruleId] = parts
  const lower = parts.map((s) => s.toLowerCase())
  if (lower[0] === 'me') return { kind: 'me' }
  if (
    parts.length === 1 &&
    (lower[0] === 'users' || lower[0] === 'domains' || lower[0] === 'organization')
  ) {
    return { kind: lower[0] }
  }
  if (lower[0] !== 'users' || user === undefined) return { kind: 'unknown', segment: root }
  if (parts.length === 2) return { kind: 'user', user }
  if (parts.length === 3 && lower[2] === 'transitivememberof') return { kind: 'memberOf', user }
  if (lower[2] === 'mailfolders' && parts.length === 3) return { kind: 'mailFolders', user }
  if (lower[2] !== 'mailfolders' || folder === undefined)
    return { kind: 'unknown', segment: folders ?? '' }
  if (parts.length === 4) return { kind: 'mailFolder', user, folder }
  if (lower[4] !== 'messagerules' || parts.length > 6)
    return { kind: 'unknown', segment: rules ?? '' }
  return { kind: 'messageRules', user, folder, ...(ruleId ? { ruleId } : {}) }
}

const DIRECTORY_READ = ['Directory.Read.All', 'Directory.ReadWrite.All']
const ROLES: Record<string, string[]> = {
  users: ['User.Read.All', 'User.ReadWrite.All', 'User.ReadBasic.All', ...DIRECTORY_READ],
  user: ['User.Read.All', 'User.ReadWrite.All', 'User.ReadBasic.All', ...DIRECTORY_READ],
  // List a user's transitive memberships, application: User.Read.All and above (2.4).
  memberOf: [
    'User.Read.All',
    'GroupMember.Read.All',
    'Group.Read.All',
    'User.ReadWrite.All',
    ...DIRECTORY_READ,
  ],
  domains: ['Domain.Read.All', 'Domain.ReadWrite.All', ...DIRECTORY_READ],
  organization: ['Organization.Read.All', 'Organization.ReadWrite.All', ...DIRECTORY_READ],
  messageRules: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
  // Listing or reading mail folders needs a Mail permission, not MailboxSettings (§1.8).
  mailFolders: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'],
  mailFolder: ['Mail.ReadBasic.All', 'Mail.Read', 'Mail.ReadWrite'],
}

function missingRole(ctx: SimContext, claims: AccessClaims, kind: string): SimResponse | undefined {
  const needed = ROLES[kind]
  if (!needed || needed.some((role) => claims.roles?.includes(role))) return undefined
  // Directory workloads and Outlook word the same refusal differently.
  return kind === 'messageRules' || kind === 'mailFolders' || kind === 'mailFolder'
    ? graphError(
        ctx,
        403,
        'ErrorAccessDenied',
        'Access is denied. Check credentials and try again.'
      )
    : graphError(
        ctx,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.'
      )
}

const methodNotAllowed = (ctx: SimContext) =>
  graphError(
    ctx,
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.'
  )

/** One Graph call, top level or a $batch item: route, roles, limits, service time, answer. */
export async function graphOperation(
  ctx: SimContext,
  claims: AccessClaims,
  op: GraphOperation
): Promise<SimResponse> {
  const route = matchRoute(op.url.pathname)
  ctx.recorder.route(route.kind)
  if (route.kind === 'unknown') {
    return graphError(
      ctx,
      400,
      'BadRequest',
      `Resource not found for the segment '${route.segment}'.`
    )
  }
  if (route.kind === 'me') {
    const message = '/me request is only valid with delegated authentication flow.'
    return graphError(ctx, 400, 'BadRequest', message)
  }
  if (op.method.toUpperCase() !== 'GET') return methodNotAllowed(ctx)
  const denied = missingRole(ctx, claims, route.kind)
  if (denied) return denied
  // Observed before admission: the log shows what the client sent, throttled calls included.
  const mailboxScoped =
    route.kind === 'messageRules' || route.kind === 'mailFolders' || route.kind === 'mailFolder'
  const user = mailboxScoped ? ctx.tenant.findUser(route.user) : undefined
  const key = user?.userPrincipalName.toLowerCase()
  const releases = key ? [ctx.recorder.mailbox(key)] : []
  try {
    const releaseApp = ctx.graphGauge.tryEnter()
    if (!releaseApp) {
      ctx.recorder.throttled('graphConcurrency')
      return graphThrottled(ctx, ctx.limitRetryAfter)
    }
    releases.push(releaseApp)
    if (key) {
      // Outlook counts concurrency per app and mailbox, batch items included (4.1).
      const releaseMailbox = ctx.mailboxGauge.tryEnter(key)
      if (!releaseMailbox) {
        ctx.recorder.throttled('mailboxConcurrency')
        return mailboxConcurrencyThrottled(ctx)
      }
      releases.push(releaseMailbox)
    }
    await sleep(ctx.latencyMs)
    if (route.kind === 'memberOf') {
      return transitiveMemberOf(ctx, claims, route.user, op.url, op.headers)
    }
    return answer(ctx, route, op)
  } finally {
    for (const release of releases) release()
  }
}

function answer(ctx: SimContext, route: Route, op: GraphOperation): SimResponse {
  const headers = graphHeaders(op.headers['client-request-id'])
  const ok = (body: unknown): SimResponse => ({ status: 200, headers, body })
  const base = `${ctx.endpoints.graph}/v1.0/$metadata`
  switch (route.kind) {
    case 'users':
      return listUsers(ctx, op.url, op.headers)
    case 'user': {
      const user = ctx.tenant.findUser(route.user)
      if (!user) return resourceNotFound(ctx, route.user)
      const select = parseSelect(ctx, op.url.searchParams.get('$select'))
      if (select && !Array.isArray(select)) return select
      return ok({ '@odata.context': `${base}#users/$entity`, ...projectUser(user, select) })
    }
    case 'domains':
      return ok({ '@odata.context': `${base}#domains`, value: domains(ctx) })
    case 'organization':
      return ok({ '@odata.context': `${base}#organization`, value: [organization(ctx)] })
    case 'messageRules':
      return messageRules(ctx, route, ok)
    case 'mailFolders':
    case 'mailFolder':
      return mailFolders(ctx, route, op.url, ok)
    default:
      return graphError(ctx, 400, 'BadRequest', 'Unsupported request.')
  }
}

function resourceNotFound(ctx: SimContext, id: string): SimResponse {
  const message = `Resource '${safeDecode(id)}' does not exist or one of its queried reference-property objects are not present.`
  return graphError(ctx, 404, 'Request_ResourceNotFound', message)
}

type MailboxOf = NonNullable<NonNullable<ReturnType<SimContext['tenant']['findUser']>>['mailbox']>

/**
 * The mailbox a route's user id names, or the error Graph gives: ErrorInvalidUser
 * (`<id>@<tenant>` for object ids, 1.7) when nobody has the id, MailboxNotEnabledForRESTAPI
 * when no mailbox can be read.
 */
function readableMailbox(
  ctx: SimContext,
  id: string
): { mailbox: MailboxOf } | { response: SimResponse } {
  const given = safeDecode(id)
  const user = ctx.tenant.findUser(id)
  if (!user) {
    const shown = isGuid(given) ? `${given}@${ctx.tenant.tenantGuid}` : given
    return {
      response: graphError(
        ctx,
        404,
        'ErrorInvalidUser',
        `The requested user '${shown}' is invalid.`
      ),
    }
  }
  if (!user.mailbox || user.mailbox.unreadable) {
    const message = 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.'
    return { response: graphError(ctx, 404, 'MailboxNotEnabledForRESTAPI', message) }
  }
  return { mailbox: user.mailbox }
}

function messageRules(
  ctx: SimContext,
  route: Extract<Route, { kind: 'messageRules' }>,
  ok: (body: unknown) => SimResponse
): SimResponse {
  const given = safeDecode(route.user)
  const found = readableMailbox(ctx, route.user)
  if ('response' in found) return found.response
  const { mailbox } = found
  const notFound = () =>
    graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.')
  if (route.folder.toLowerCase() !== 'inbox') return notFound()
  const context = `${ctx.endpoints.graph}/v1.0/$metadata#users('${given}')/mailFolders('inbox')/messageRules`
  if (route.ruleId) {
    const rule = mailbox.graphRules.find((r) => r.id === safeDecode(route.ruleId ?? ''))
    return rule ? ok({ '@odata.context': `${context}/$entity`, ...rule }) : notFound()
  }
  return ok({ '@odata.context': context, value: mailbox.graphRules })
}

/** `/users/{id}/mailFolders` and `/users/{id}/mailFolders/{id or well-known name}` (§1.8). */
function mailFolders(
  ctx: SimContext,
  route: Extract<Route, { kind: 'mailFolders' | 'mailFolder' }>,
  url: URL,
  ok: (body: unknown) => SimResponse
): SimResponse {
  const given = safeDecode(route.user)
  const found = readableMailbox(ctx, route.user)
  if ('response' in found) return found.response
  const { mailbox } = found
  const base = `${ctx.endpoints.graph}/v1.0`
  const context = `${base}/$metadata#users('${given}')/mailFolders`
  const folders = mailbox.folders
  if (route.kind === 'mailFolder') {
    const folder = findFolder(folders, safeDecode(route.folder))
    if (!folder) {
      return graphError(
        ctx,
        404,
        'ErrorItemNotFound',
        'The specified object was not found in the store.'
      )
    }
    const select = url.searchParams
      .get('$select')
      ?.split(',')
      .map((s) => s.trim())
    return ok({ '@odata.context': `${context}/$entity`, ...project(folder.row, select) })
  }
  const page = folderPage(
    folders,
    url.searchParams,
    (query) => `${base}/users/${route.user}/mailFolders?${query}`
  )
  return ok({
    '@odata.context': context,
    value: page.value,
    ...(page.nextLink ? { '@odata.nextLink': page.nextLink } : {}),
  })
}

function domains(ctx: SimContext) {
  return ctx.tenant.acceptedDomains().map((d) => ({
    authenticationType: 'Managed',
    availabilityStatus: null,
    id: d.name,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: true,
    passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: 2147483647,
    supportedServices: d.isInitial ? ['Email', 'OfficeCommunicationsOnline'] : ['Email'],
    state: null,
  }))
}

function organization(ctx: SimContext) {
  const tenant = ctx.tenant
  return {
    id: tenant.tenantGuid,
    displayName: tenant.snapshot.tenant.name ?? tenant.initialDomain.split('.')[0],
    verifiedDomains: tenant.acceptedDomains().map((d) => ({
      capabilities: d.isInitial ? 'Email, OfficeCommunicationsOnline' : 'Email',
      isDefault: d.isDefault,
      isInitial: d.isInitial,
      name: d.name,
      type: 'Managed',
    })),
  }
}
