/**
 * @module test/worker/suite/credits
 * Credits as the seed documents them, from each runtime's own store (Deno KV, the Durable
 * Object): 5 per audit, refused at zero before any Microsoft 365 call, given back when an
 * audit fails, and exact under a race of 50 parallel requests.
 */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../harness/client.ts'
import { MAILBOXES } from '../harness/fixtures.ts'

export function creditCases(ctx: SuiteContext) {
  const token = (sub: string) =>
    ctx.fixtures().issuer.token({ sub: `${ctx.runtime}-credits-${sub}` })

  describe('credits', () => {
    it('each audit costs 5, and meta says what was used and what remains', async () => {
      const mine = await token('five')
      const first = await ctx.audit('demo', { all_users: true }, mine)
      expect(first.json.meta).toMatchObject({ credits_used: 5, credits_remaining: 95 })
      const second = await ctx.audit('demo', { user: 'accounts.payable@contoso.com' }, mine)
      expect(second.json.meta).toMatchObject({ credits_used: 5, credits_remaining: 90 })
    })

    it('50 parallel audits against a balance of 100 charge exactly 20', async () => {
      const mine = await token('race')
      const replies = await Promise.all(
        Array.from({ length: 50 }, () => ctx.audit('demo', { all_users: true }, mine))
      )
      const ok = replies.filter((reply) => reply.status === 200)
      const refused = replies.filter((reply) => reply.status === 402)
      expect(ok).toHaveLength(20)
      expect(refused).toHaveLength(30)
      // Each charge saw its own balance: no two audits were paid from the same credits.
      const remaining = ok.map((reply) => reply.json.meta.credits_remaining).sort((a, b) => a - b)
      expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => i * 5))
      for (const reply of refused) {
        expect(reply.json.error).toMatchObject({
          code: 'CREDITS_EXHAUSTED',
          details: { credits_needed: 5 },
        })
      }
      const after = await ctx.audit('demo', { all_users: true }, mine)
      expect(after.status).toBe(402)
      expect(after.json.error.details.credits_remaining).toBe(0)
    })

    it('the status check costs nothing; at zero an audit is refused before any Microsoft 365 call', async () => {
      const mine = await token('zero')
      const status = await ctx.call('tight', '/api/v1/bec/status', { token: mine })
      expect(status.status, status.text).toBe(200)
      expect(status.json.meta).toEqual({ credits_used: 0 })
      const paid = await ctx.audit('tight', { user: MAILBOXES[0] }, mine)
      expect(paid.status, paid.text).toBe(200)
      expect(paid.json.meta.credits_remaining).toBe(0)
      const sim = ctx.fixtures().sims.main
      const before = sim.requests.total
      const refused = await ctx.audit('tight', { all_users: true }, mine)
      expect(refused.status).toBe(402)
      expect(refused.json.error.message).toMatch(/costs 5 credits and 0 remain/)
      expect(sim.requests.total).toBe(before)
    })

    it('a failed audit is refunded', async () => {
      const mine = await token('refund')
      // The slow tenant's transport rules outlast the 2 s deadline: nothing read, a 504.
      const failed = await ctx.audit(
        'slow',
        { all_users: true, include_transport_rules: true },
        mine
      )
      expect(failed.status, failed.text).toBe(504)
      const next = await ctx.audit('slow', { user: MAILBOXES[0] }, mine)
      expect(next.status, next.text).toBe(200)
      expect(next.json.meta).toMatchObject({ credits_used: 5, credits_remaining: 995 })
    })
  })
}
