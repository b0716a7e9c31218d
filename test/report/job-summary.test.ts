/**
 * The job summary the action writes: the gate's verdict, what changed since the baseline with
 * every risk factor, the report; attacker text inert; never over GitHub's 1 MiB per step.
 */
import { describe, expect, it } from 'vitest'
import {
  applyBaseline,
  formatJobSummary,
  formatReport,
  JOB_SUMMARY_MAX_BYTES,
  parseAllowlist,
  parseBaseline,
} from '../../core/index.ts'
import { audit, NOW, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { outsideCodeSpans } from '../evasions/markdown-reading.ts'

/** Names an attacker picks to turn a summary into a phishing page or a notification storm. */
const HOSTILE = [
  '[Click to re-authenticate](https://evil.example/login)',
  '<img src=x onerror=alert(1)><a href="https://evil.example">open</a>',
  '@contoso/security-team please approve #1',
  'line one\n## Forged heading\n| forged | row |',
  '![pixel](https://evil.example/p.png) **bold** `code` $x$ ~~gone~~',
]

function hostileTenant() {
  const t = tenant()
  HOSTILE.forEach((name, i) => {
    const upn = `user${i}@contoso.com`
    t.mailbox(upn).inboxRule(upn, { Name: name, ForwardTo: [smtpTarget(`drop${i}@evil.example`)] })
  })
  return t
}

const bytes = (text: string) => new TextEncoder().encode(text).length

describe('formatJobSummary', () => {
  it('says whether the gate passed, and by how many findings it failed', async () => {
    const report = await audit(hostileTenant())
    expect(formatJobSummary(report, { failOn: 'critical' })).toContain(
      '**Passed:** no finding reaches `fail-on: critical`.'
    )
    expect(formatJobSummary(report, { failOn: 'low' })).toContain(
      `**Failed:** ${HOSTILE.length} findings reach \`fail-on: low\`.`
    )
  })

  it('shows the change against the baseline, with every risk factor of what is new', async () => {
    const base = tenant().mailbox('user0@contoso.com')
    const report = await applyBaseline(
      await audit(hostileTenant()),
      parseBaseline(JSON.stringify(base.build()), 'baseline base.json'),
      { request: { all_users: true }, dependencies: { now: () => NOW } }
    )
    const summary = formatJobSummary(report, { failOn: 'high' })
    expect(summary).toContain('### Compared with `baseline base.json`')
    expect(summary).toContain(`| new | ${HOSTILE.length} |`)
    expect(summary).toContain('### New and raised findings')
    const finding = report.data.findings[0]!
    for (const factor of finding.risk_factors) {
      expect(summary).toContain(
        `${factor.category} (${factor.score > 0 ? '+' : ''}${factor.score})`
      )
    }
    expect(summary).toMatch(/new or raised since the baseline reach/)
  })

  it('lists findings that are gone since the baseline', async () => {
    const base = await audit(hostileTenant())
    const report = await applyBaseline(
      await audit(tenant().mailbox('user0@contoso.com')),
      parseBaseline(formatReport(base, 'json'), 'b'),
      { request: { all_users: true } }
    )
    const summary = formatJobSummary(report, { failOn: 'high' })
    expect(summary).toContain(`### No longer found (${HOSTILE.length})`)
    expect(summary).toContain('`drop0@evil.example`')
  })

  it('leaves no link, image, HTML tag, mention or forged row of an attacker’s rule names', async () => {
    const base = tenant()
    const report = await applyBaseline(
      await audit(hostileTenant()),
      parseBaseline(JSON.stringify(base.build()), 'b'),
      { request: { all_users: true }, dependencies: { now: () => NOW } }
    )
    const summary = formatJobSummary(report, { failOn: 'high' })
    // Attacker text is in code spans, where GitHub makes no link, tag or mention of it.
    const prose = outsideCodeSpans(summary)
    expect(prose).not.toMatch(/\]\(https:/)
    expect(prose).not.toMatch(/<(img|a)\b/i)
    expect(prose).not.toContain('@contoso/security-team')
    expect(summary).not.toMatch(/^## Forged/m)
    expect(summary).not.toMatch(/^\| forged/m)
  })

  it('stays within GitHub’s 1 MiB, long lists capped with a count', async () => {
    // 6,000 expired allowlist entries, each a line in the summary, would make it far too long.
    const allowlist = parseAllowlist({
      version: 1,
      entries: Array.from({ length: 6000 }, (_, i) => ({
        mailbox: `${'former.employee.'.repeat(8)}${i}@contoso.com`,
        reason: 'left the company',
        expires: '2020-01-01',
      })),
    })
    const report = await audit(hostileTenant(), { all_users: true }, { allowlist })
    const summary = formatJobSummary(report, { failOn: 'high' })
    expect(bytes(summary)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
    expect(summary).toContain('- …and 5950 more')
    // The findings come before the long tail, so every one of them is still there.
    for (let i = 0; i < HOSTILE.length; i++) expect(summary).toContain(`drop${i}@evil.example`)
  })

  it('counts the table rows it cuts and closes a details block it cut into', async () => {
    const t = tenant()
    for (let i = 0; i < 150; i++) {
      const upn = `u${i}@contoso.com`
      t.mailbox(upn).inboxRule(upn, {
        Name: `rule ${i}`,
        ForwardTo: [smtpTarget(`d${i}@x.example`)],
      })
    }
    const allowlist = parseAllowlist({
      version: 1,
      entries: [{ destination: 'x.example', reason: 'reviewed' }],
    })
    const report = await audit(t, { all_users: true }, { allowlist })
    const full = formatJobSummary(report)
    const summary = formatJobSummary(report, { maxBytes: 12_000 })
    expect(bytes(summary)).toBeLessThanOrEqual(12_000)
    const rows = (text: string) =>
      text.split('\n').filter((l) => /^\| (\*\*)?\w+(\*\*)? \| \d+ \|/.test(l)).length
    const note = /(\d+) table rows? and/.exec(summary)
    expect(Number(note?.[1])).toBe(rows(full) - rows(summary))
    expect(summary.split('<details>').length).toBe(summary.split('</details>').length)
  })
})
