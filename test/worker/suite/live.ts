/**
 * @module test/worker/suite/live
 * The worker against the Microsoft 365 simulator over HTTPS: the same findings as the CLI,
 * tenant binding in both modes, the deadline (a partial report, or a 504 when nothing was
 * read), the subrequest budget (a 422 naming the limit), Microsoft 365 refusing (502 naming
 * the permission) and the status endpoint with a full and with a missing permission.
 */
import { describe, expect, it } from 'vitest'
import type { AuditReport } from '../../../core/index.ts'
import type { SuiteContext } from '../harness/client.ts'
import { MAILBOXES, UNCONSENTED_TENANT } from '../harness/fixtures.ts'
import { MULTI_ISSUER } from '../harness/tokens.ts'

/** What must agree between the CLI's audit and the worker's of one tenant. */
export function digest(report: Pick<AuditReport, 'data' | 'meta'>) {
  return {
    tenant: report.meta.tenant,
    findings: report.data.findings.map((f) => ({
      id: f.id,
      type: f.type,
      user: f.user,
      destination: f.destination,
      risk_score: f.risk_score,
      risk_level: f.risk_level,
      factors: f.risk_factors.map((r) => `${r.category}:${r.score}`).sort(),
      hidden: f.hidden,
      is_enabled: f.is_enabled,
    })),
    skipped: report.data.summary.skipped.map((s) => `${s.mailbox}:${s.code}`).sort(),
    scanned: report.data.summary.mailboxes_scanned,
    counts: { ...report.meta, tenant: undefined },
  }
}

export const FULL_AUDIT = { all_users: true, include_transport_rules: true, flag_freemail: true }

export function liveCases(ctx: SuiteContext, cliReport: () => AuditReport) {
  const fixtures = () => ctx.fixtures()
  const token = (sub: string, claims = {}) =>
    fixtures().issuer.token({ sub: `${ctx.runtime}-live-${sub}`, ...claims })

  describe('a live tenant', () => {
    it('finds exactly what the CLI finds in the same simulated tenant', async () => {
      const reply = await ctx.audit('live', FULL_AUDIT, await token('cli'))
      expect(reply.status, reply.text).toBe(200)
      const { credits_used, credits_remaining, ...meta } = reply.json.meta
      expect({ credits_used, credits_remaining }).toEqual({
        credits_used: 5,
        credits_remaining: 95,
      })
      const worker = digest({ data: reply.json.data, meta })
      expect(worker.findings.length).toBeGreaterThan(10)
      expect(worker).toEqual(digest(cliReport()))
      expect(reply.json.data.summary.complete).toBe(false) // two mailboxes are unreadable by design
      expect(reply.json.data.summary.incomplete_reasons).toEqual([
        '2 mailbox(es) could not be read',
      ])
    })

    it('signs in with a certificate given as one PEM secret (AZURE_CLIENT_CERTIFICATE)', async () => {
      const reply = await ctx.audit('cert', FULL_AUDIT, await token('certificate'))
      expect(reply.status, reply.text).toBe(200)
      expect(digest(reply.json).findings).toEqual(digest(cliReport()).findings)
    })

    it('a Microsoft 365 refusal is a 502 naming the permission', async () => {
      const mine = await token('refused')
      const reply = await ctx.audit('noperm', FULL_AUDIT, mine)
      expect(reply.status, reply.text).toBe(502)
      expect(reply.json.error.code).toBe('PERMISSION_DENIED')
      expect(reply.json.error.message).toMatch(
        /grant the Microsoft Graph application permission MailboxSettings\.Read/
      )
    })
  })

  describe('tenant binding', () => {
    it('single-tenant: a token from the configured tenant audits it', async () => {
      const reply = await ctx.audit(
        'live',
        { user: MAILBOXES[0] },
        await token('own-tenant', { tid: fixtures().sims.main.tenantId })
      )
      expect(reply.status, reply.text).toBe(200)
    })

    it('single-tenant: a token from another tenant is a 403, before any Microsoft 365 call', async () => {
      const before = fixtures().sims.main.requests.total
      const reply = await ctx.audit(
        'live',
        { user: MAILBOXES[0] },
        await token('foreign', { tid: UNCONSENTED_TENANT })
      )
      expect(reply.status, reply.text).toBe(403)
      expect(reply.json.error.code).toBe('FORBIDDEN')
      expect(fixtures().sims.main.requests.total).toBe(before)
    })

    const multiToken = (tid: string | undefined, sub: string) =>
      fixtures().issuer.token(
        { sub: `${ctx.runtime}-multi-${sub}`, ...(tid ? { tid } : {}) },
        { issuer: MULTI_ISSUER.replace('{tenantid}', tid ?? 'common') }
      )

    it("multi-tenant: the tenant in the caller's tid is audited", async () => {
      const tid = fixtures().sims.main.tenantId
      const reply = await ctx.audit('multi', FULL_AUDIT, await multiToken(tid, 'own'))
      expect(reply.status, reply.text).toBe(200)
      expect(digest(reply.json).findings).toEqual(digest(cliReport()).findings)
    })

    it('multi-tenant: a tenant outside ALLOWED_TENANTS is a 403', async () => {
      const reply = await ctx.audit(
        'multi',
        FULL_AUDIT,
        await multiToken('11111111-2222-4333-8444-555555555555', 'stranger')
      )
      expect(reply.status, reply.text).toBe(403)
      expect(reply.json.error.message).toMatch(/not served by this API/)
    })

    it('multi-tenant: an allowed tenant that never consented to the app is a 502 from Entra', async () => {
      const reply = await ctx.audit(
        'multi',
        FULL_AUDIT,
        await multiToken(UNCONSENTED_TENANT, 'new')
      )
      expect(reply.status, reply.text).toBe(502)
      expect(reply.json.error.code).toBe('AUTH_FAILED')
    })

    it('multi-tenant: a token without tid, or whose issuer names another tenant, is a 401', async () => {
      const noTid = await ctx.audit('multi', FULL_AUDIT, await multiToken(undefined, 'anon'))
      expect(noTid.status, noTid.text).toBe(401)
      const tid = fixtures().sims.main.tenantId
      const crossed = await fixtures().issuer.token(
        { sub: `${ctx.runtime}-multi-crossed`, tid },
        { issuer: MULTI_ISSUER.replace('{tenantid}', UNCONSENTED_TENANT) }
      )
      expect((await ctx.audit('multi', FULL_AUDIT, crossed)).status).toBe(401)
    })
  })

  // Each waits out a 2 s deadline: side by side, they wait once.
  describe.concurrent('the deadline', () => {
    it('cuts a long scan short and answers with what was read, marked incomplete', async () => {
      const reply = await ctx.audit(
        'slow',
        { all_users: true, batch: 1, concurrency: 1 },
        await token('deadline')
      )
      expect(reply.status, reply.text).toBe(200)
      const summary = reply.json.data.summary
      expect(summary.complete).toBe(false)
      expect(summary.incomplete_reasons.join('\n')).toMatch(
        /deadline reached after \d+ mailboxes: \d+ not read/
      )
      expect(summary.mailboxes_scanned).toBeLessThan(MAILBOXES.length)
    })

    it('is a 504 when it passes before anything was read', async () => {
      const reply = await ctx.audit(
        'slow',
        { all_users: true, include_transport_rules: true },
        await token('deadline-504')
      )
      expect(reply.status, reply.text).toBe(504)
      expect(reply.json.error.code).toBe('DEADLINE_EXCEEDED')
    })
  })

  describe('the subrequest budget', () => {
    it('a listed scope that cannot fit is a 422 naming the limit, before credits or any Microsoft 365 call', async () => {
      const mine = await token('budget-listed')
      const sim = fixtures().sims.main
      const before = sim.requests.total
      const reply = await ctx.audit('budget', { users: MAILBOXES }, mine)
      expect(reply.status, reply.text).toBe(422)
      expect(reply.json.error.code).toBe('SUBREQUEST_BUDGET_EXCEEDED')
      expect(reply.json.error.message).toMatch(
        new RegExp(
          `^auditing ${MAILBOXES.length} mailboxes needs at least \\d+ Microsoft 365 requests, more than the \\d+ allowed per audit here: audit at most \\d+ mailboxes per request`
        )
      )
      expect(sim.requests.total).toBe(before)
      const next = await ctx.audit('budget', { user: MAILBOXES[0] }, mine)
      expect(next.json.meta.credits_remaining).toBe(995)
    })

    it('every mailbox, once listed, that cannot fit is a 422 before any inbox rule is read, refunded', async () => {
      const mine = await token('budget-all')
      const sim = fixtures().sims.main
      sim.resetRequests()
      const reply = await ctx.audit(
        'budget',
        { all_users: true, include_transport_rules: true },
        mine
      )
      expect(reply.status, reply.text).toBe(422)
      expect(sim.requests.byRoute['invokeCommand:Get-Mailbox']).toBeGreaterThan(0)
      expect(sim.requests.byRoute['invokeCommand:Get-InboxRule']).toBeUndefined()
      const next = await ctx.audit('budget', { user: MAILBOXES[0] }, mine)
      expect(next.json.meta.credits_remaining).toBe(995)
    })

    it('a scope that fits runs', async () => {
      const one = { user: MAILBOXES[0] }
      const reply = await ctx.audit('budget', one, await token('budget-fits'))
      expect(reply.status, reply.text).toBe(200)
      expect(reply.json.data.summary.incomplete_reasons).toEqual([])
      expect(reply.json.data.summary.mailboxes_scanned).toBe(1)
    })
  })

  describe('GET /api/v1/bec/status', () => {
    it('with every permission: ok, each check granted', async () => {
      const reply = await ctx.call('live', '/api/v1/bec/status', { token: await token('status') })
      expect(reply.status, reply.text).toBe(200)
      expect(reply.json.data).toMatchObject({ mode: 'live', ok: true })
      const names = reply.json.data.checks.map((c: { name: string }) => c.name)
      expect(names).toEqual(
        expect.arrayContaining([
          'MailboxSettings.Read',
          'Exchange.ManageAsApp',
          'Exchange role (Get-InboxRule)',
          'Graph messageRules',
        ])
      )
      for (const check of reply.json.data.checks) expect(check.status).toBe('granted')
    })

    it('with MailboxSettings.Read missing: not ok, naming it and the grant that fixes it', async () => {
      const reply = await ctx.call('noperm', '/api/v1/bec/status', {
        token: await token('status-missing'),
      })
      expect(reply.status, reply.text).toBe(200)
      expect(reply.json.data.ok).toBe(false)
      const missing = reply.json.data.checks.find(
        (c: { name: string }) => c.name === 'MailboxSettings.Read'
      )
      expect(missing).toMatchObject({ status: 'missing', required: true })
      expect(missing.fix).toMatch(
        /grant the Microsoft Graph application permission MailboxSettings\.Read/
      )
    })

    it('on the demo tenant: says so, and what to set for a live one', async () => {
      const reply = await ctx.call('demo', '/api/v1/bec/status', {
        token: await token('status-demo'),
      })
      expect(reply.json.data).toMatchObject({ mode: 'demo', tenant: 'demo' })
      expect(reply.json.data.checks[0].fix).toMatch(/AZURE_TENANT_ID, AZURE_CLIENT_ID/)
    })
  })
}
