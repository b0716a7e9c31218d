import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { MAX_MARKDOWN_ROWS } from '../../core/report/formats/markdown.ts'
import { markdownText } from '../../core/report/formats/markdown-escape.ts'
import { audit, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { cleanReport, demoReport, hostileReport } from './fixtures.ts'
import { splitRow, tables } from './markdown-table.ts'

const md = formatReport(demoReport, 'markdown')

describe('markdown format', () => {
  it('opens with a heading naming the tenant and a one-line verdict', () => {
    const [heading, blank, verdict] = md.split('\n')
    expect(heading).toBe('## Mail forwarding audit: `contoso.onmicrosoft.com`')
    expect(blank).toBe('')
    expect(verdict).toBe(
      '**Action needed:** 14 forwarding findings in 36 mailboxes (11 critical, 1 high, 2 low). The audit is **incomplete**; see below.'
    )
  })

  it('gives a clean verdict for a clean, complete audit', () => {
    const out = formatReport(cleanReport, 'markdown')
    expect(out.split('\n')[2]).toBe('No forwarding found in 1 mailbox.')
    expect(out).not.toContain('### Findings')
    expect(out).not.toContain('<details>')
  })

  it('counts findings by level, suppressed and filtered', () => {
    const counts = tables(md)[0]!.slice(2).map(splitRow)
    expect(counts).toEqual([
      ['critical', '11'],
      ['high', '1'],
      ['medium', '0'],
      ['low', '2'],
      ['suppressed', '6'],
      ['filtered out', '0'],
    ])
  })

  it('lists reported findings most severe first, with every factor and its sign', () => {
    const rows = tables(md)[1]!.map(splitRow)
    expect(rows[0]).toEqual(['Level', 'Score', 'Type', 'Mailbox', 'Destination', 'Rule', 'Factors'])
    expect(rows.slice(2).map((r) => r[1])).toEqual([...Array(11).fill('100'), '70', '25', '0'])
    const row = rows.find((r) => r[3] === '`j.ortiz@contoso.com`')
    expect(row?.slice(0, 6)).toEqual([
      '**critical**',
      '100',
      'inbox rule, hidden, external, blocked',
      '`j.ortiz@contoso.com`',
      '`j.ortiz.backup@proton.me`',
      '` `',
    ])
    // The mitigation is shown beside the score it lowered, not only the factors that raised it.
    const factors = row?.[6] ?? ''
    expect(factors).toMatch(/^match_all_forwarding \(\+40\), /)
    expect(factors).toMatch(/blocked_by_tenant_policy \(-\d+\)/)
  })

  it('puts suppressed findings and their reasons in a details block', () => {
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'))
    expect(details).toContain('<summary>6 suppressed by the allowlist</summary>')
    expect(details).toContain('support@contoso.zendesk.com')
    expect(details).toContain('the shared mailbox redirects customer mail to our Zendesk instance')
    expect(tables(md)[1]!.join('\n')).not.toContain('zendesk')
  })

  it('reports skipped mailboxes, incomplete reasons and expired allowlist entries', () => {
    expect(md).toContain('### Skipped mailboxes (2)')
    expect(md).toContain('- `f.wagner@contoso.com`: MAILBOX_UNAVAILABLE')
    expect(md).toContain('### Incomplete')
    expect(md).toContain('- `2 mailbox(es) could not be read`')
    expect(md).toContain('mailbox=b.schulz@contoso.com) expired on 2026-06-30')
  })

  it('a rule name cannot break the table, open HTML or format text', () => {
    const out = formatReport(hostileReport, 'markdown')
    const rows = tables(out)[1]!.map(splitRow)
    expect(rows.every((r) => r.length === 7)).toBe(true)
    const rule = rows.find((r) => r[4] === '`lee@contoso-payroll.com`')?.[5]
    expect(rule).toBe(
      "`` =cmd\\|' /C calc'!A0 \\| <script>alert(1)</script> \\x1b[31m*urgent*\\x1b[0m [x](y) `z` ``"
    )
    expect(out).not.toContain('\u001b')
  })

  it('sets attacker text in a code span fenced longer than any backtick run in it', () => {
    expect(markdownText('a`b``c')).toBe('```a`b``c```')
    expect(markdownText('`x`')).toBe('`` `x` ``')
    expect(markdownText('two\nlines\r\n')).toBe('`two\\x0alines\\x0d\\x0a`')
  })

  it('keeps a pipe escaped even after backslashes, so a cell cannot be split', () => {
    expect(markdownText('a|b')).toBe('`a\\|b`')
    expect(markdownText('a\\|b')).toBe('`a\\\\\\|b`')
  })

  it('sets attacker text in code so it cannot @mention anyone', () => {
    expect(markdownText('@security-team')).toBe('`@security-team`')
    expect(markdownText('')).toBe('—')
  })

  it('cuts long attacker text so a summary stays small', async () => {
    const report = await audit(
      tenant()
        .mailbox('alex.wilber@contoso.com')
        .inboxRule('alex.wilber@contoso.com', {
          Name: '&'.repeat(100_000),
          ForwardTo: [smtpTarget('drop@evil.example')],
        })
    )
    const out = formatReport(report, 'markdown')
    expect(out.length).toBeLessThan(5_000)
    expect(out).toContain('…')
  })

  it('caps the findings table and says how many more there are', async () => {
    const many = tenant()
    for (let i = 0; i < MAX_MARKDOWN_ROWS + 5; i++) {
      many.mailbox(`u${i}@contoso.com`, { ForwardingSmtpAddress: `smtp:u${i}@fabrikam.com` })
    }
    const out = formatReport(await audit(many), 'markdown')
    expect(tables(out)[1]).toHaveLength(MAX_MARKDOWN_ROWS + 2)
    expect(out).toContain('…and 5 more')
  })
})
