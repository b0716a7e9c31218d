/**
 * SARIF for the action: results on their snapshot line, each one's state against the baseline,
 * allowlisted findings as accepted suppressions with their reason, and GitHub's 25,000 results
 * per run with what was left out said in the log.
 */
import { describe, expect, it } from 'vitest'
import {
  type AuditReport,
  applyBaseline,
  formatReport,
  parseAllowlist,
  parseBaseline,
  SARIF_MAX_RESULTS,
  snapshotLocator,
} from '../../core/index.ts'
import { buildSarif } from '../../core/report/formats/sarif.ts'
import { sarifSchemaTest } from '../action/sarif-validator.ts'
import { audit, NOW, smtpTarget, tenant } from '../core/tenant-builder.ts'

const sarifOf = (report: AuditReport, options = {}) =>
  JSON.parse(formatReport(report, 'sarif', options))

function changedTenant() {
  return tenant()
    .mailbox('a@contoso.com')
    .inboxRule('a@contoso.com', { Name: 'Sync', ForwardTo: [smtpTarget('a@evil.example')] })
    .mailbox('b@contoso.com', { ForwardingSmtpAddress: 'smtp:b@gmail.com' })
}

describe('SARIF for code scanning', () => {
  it('points each result at its line in the snapshot file', async () => {
    const text = JSON.stringify(changedTenant().build(), null, 2)
    const locator = snapshotLocator(text)
    const report = await audit(changedTenant())
    const log = sarifOf(report, {
      artifactUri: 'tenant/snapshot.json',
      locate: (f: never) => ({ uri: 'tenant/snapshot.json', line: locator.line(f) ?? 1 }),
    })
    const lines = text.split('\n')
    for (const result of log.runs[0].results) {
      const { artifactLocation, region } = result.locations[0].physicalLocation
      expect(artifactLocation.uri).toBe('tenant/snapshot.json')
      expect(lines[region.startLine - 1]).toMatch(/"Name": "Sync"|"ForwardingSmtpAddress"/)
    }
  })

  it('says each result’s state against the baseline', async () => {
    const base = tenant().mailbox('a@contoso.com').mailbox('b@contoso.com', {
      ForwardingSmtpAddress: 'smtp:b@gmail.com',
    })
    const report = await applyBaseline(
      await audit(changedTenant()),
      parseBaseline(JSON.stringify(base.build())),
      { request: { all_users: true }, dependencies: { now: () => NOW } }
    )
    const states = sarifOf(report).runs[0].results.map(
      (r: { properties: { user: string }; baselineState: string }) => [
        r.properties.user,
        r.baselineState,
      ]
    )
    expect(states.sort()).toEqual([
      ['a@contoso.com', 'new'],
      ['b@contoso.com', 'unchanged'],
    ])
  })

  it('marks allowlisted findings as accepted suppressions with the reviewer’s reason', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ mailbox: 'b@contoso.com', reason: 'travelling until May, approved by CISO' }],
    })
    const log = sarifOf(await audit(changedTenant(), { all_users: true }, { allowlist }))
    const b = log.runs[0].results.find(
      (r: { properties: { user: string } }) => r.properties.user === 'b@contoso.com'
    )
    expect(b.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'travelling until May, approved by CISO',
      },
    ])
  })

  it('keeps an unchanged finding’s fingerprint from run to run, and a changed one’s too', async () => {
    const first = sarifOf(await audit(changedTenant()))
    const again = changedTenant().inboxRule('a@contoso.com', { Name: 'Other', MoveToFolder: 'x' })
    const second = sarifOf(await audit(again))
    const prints = (log: { runs: { results: { partialFingerprints: object }[] }[] }) =>
      log.runs[0]!.results.map((r) => r.partialFingerprints)
    expect(prints(second)).toEqual(prints(first))
  })

  describe('GitHub’s 25,000 results per run', () => {
    const many = (count: number) => {
      const t = tenant()
      for (let i = 0; i < count; i++) {
        t.mailbox(`u${i}@contoso.com`, { ForwardingSmtpAddress: `smtp:u${i}@fabrikam.com` })
      }
      return t
    }

    it('lists at most SARIF_MAX_RESULTS results and says how many were left out', async () => {
      const report = await audit(many(SARIF_MAX_RESULTS + 3), {
        all_users: true,
        include_inbox_rules: false,
      })
      expect(report.data.findings).toHaveLength(SARIF_MAX_RESULTS + 3)
      const run = buildSarif(report).runs[0]!
      expect(run.results).toHaveLength(SARIF_MAX_RESULTS)
      expect(run.properties.results_left_out).toBe(3)
      expect(run.invocations[0]?.toolExecutionNotifications?.[0]?.message.text).toMatch(
        /^3 of 25003 findings are left out of this SARIF log/
      )
    }, 120_000)

    it('drops suppressed findings before reported ones', async () => {
      const allowlist = parseAllowlist({
        version: 1,
        entries: [{ mailbox: 'u0@contoso.com', reason: 'reviewed' }],
      })
      const report = await audit(many(4), { all_users: true }, { allowlist })
      const results = buildSarif(report, { maxResults: 3 }).runs[0]!.results
      expect(results.map((r) => r.properties.user)).not.toContain('u0@contoso.com')
    })
  })

  sarifSchemaTest(
    'validates against the SARIF 2.1.0 schema with locations, baseline states, suppressions and a cut',
    async (validate) => {
      const allowlist = parseAllowlist({
        version: 1,
        entries: [{ mailbox: 'b@contoso.com', reason: 'reviewed' }],
      })
      const report = await applyBaseline(
        await audit(changedTenant(), { all_users: true }, { allowlist }),
        parseBaseline(JSON.stringify(tenant().build())),
        { request: { all_users: true }, dependencies: { allowlist, now: () => NOW } }
      )
      const log = buildSarif(report, {
        maxResults: 1,
        locate: () => ({ uri: 'tenant.json', line: 7 }),
      })
      const ok = validate(JSON.parse(JSON.stringify(log)))
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
    }
  )
})
