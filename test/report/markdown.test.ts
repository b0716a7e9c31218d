import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { MAX_MARKDOWN_ROWS } from '../../core/report/formats/markdown.ts'
import { codeCell, escapeMarkdown } from '../../core/report/formats/markdown-escape.ts'
import { criticalHiddenRule, emptyReport, finding, report, sampleReport } from './fixtures.ts'
import { splitRow, tables } from './markdown-table.ts'

const md = formatReport(sampleReport, 'markdown')

describe('markdown format', () => {
  it('opens with a heading naming the tenant and a one-line verdict', () => {
    const [heading, blank, verdict] = md.split('\n')
    expect(heading).toBe('## Mail forwarding audit: contoso.onmicrosoft.com')
    expect(blank).toBe('')
    expect(verdict).toBe(
      '**Action needed:** 4 forwarding findings in 41 mailboxes (1 critical, 1 high, 1 medium, 1 low). The audit is **incomplete**; see below.'
    )
  })

  it('gives a clean verdict for a clean, complete audit', () => {
    const out = formatReport(emptyReport, 'markdown')
    expect(out.split('\n')[2]).toBe('No forwarding found in 41 mailboxes.')
    expect(out).not.toContain('### Findings')
    expect(out).not.toContain('<details>')
  })

  it('counts findings by level, suppressed and filtered', () => {
    const counts = tables(md)[0]!.slice(2).map(splitRow)
    expect(counts).toEqual([
      ['critical', '1'],
      ['high', '1'],
      ['medium', '1'],
      ['low', '1'],
      ['suppressed', '1'],
      ['filtered out', '2'],
    ])
  })

  it('lists reported findings most severe first, with their top factors', () => {
    const rows = tables(md)[1]!.map(splitRow)
    expect(rows[0]).toEqual(['Level', 'Score', 'Type', 'Mailbox', 'Destination', 'Rule', 'Factors'])
    expect(rows.slice(2).map((r) => r[1])).toEqual(['95', '75', '50', '20'])
    expect(rows[2]).toEqual([
      '**critical**',
      '95',
      'inbox rule, hidden, external',
      '<code>megan.bowen@contoso.com</code>',
      '<code>megan.bowen.archive@gmail.com</code>',
      '<code>.</code>',
      'match\\_all\\_forwarding (40), external\\_forwarding (30), free\\_email\\_provider (25)',
    ])
  })

  it('puts suppressed findings and their reasons in a details block', () => {
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>'))
    expect(details).toContain('<summary>1 suppressed by the allowlist</summary>')
    expect(details).toContain('support@contoso.zendesk.com')
    expect(details).toContain('Helpdesk intake (CHG-1234)')
    expect(tables(md)[1]!.join('\n')).not.toContain('zendesk')
  })

  it('reports skipped mailboxes, incomplete reasons and expired allowlist entries', () => {
    expect(md).toContain('### Skipped mailboxes (1)')
    expect(md).toContain('- <code>room-4@contoso.com</code>: MAILBOX\\_UNAVAILABLE')
    expect(md).toContain('### Incomplete')
    expect(md).toContain('- 1 mailbox could not be read (MAILBOX\\_UNAVAILABLE)')
    expect(md).toContain('backup@contoso-old.com (expired 2026-01-31)')
  })

  it('a rule name cannot break the table, open HTML or format text', () => {
    const rows = tables(md)[1]!.map(splitRow)
    expect(rows.every((r) => r.length === 7)).toBe(true)
    const rule = rows.find((r) => r[3] === '<code>lee.gu@contoso.com</code>')?.[5]
    expect(rule).toBe(
      "<code>=cmd\\|' /C calc'!A0 \\| &lt;script&gt;alert(1)&lt;/script&gt; \\\\x1b\\[31m\\*urgent\\*\\\\x1b\\[0m \\[x\\](y) \\`z\\`</code>"
    )
    expect(md).not.toContain('<script>')
    expect(md).not.toContain('\u001b')
  })

  it('escapes every markdown and HTML special character in attacker text', () => {
    expect(escapeMarkdown('a|b`c*d_e[f]g<h>i&j\\k~l$m')).toBe(
      'a\\|b\\`c\\*d\\_e\\[f\\]g&lt;h&gt;i&amp;j\\\\k\\~l\\$m'
    )
    expect(escapeMarkdown('two\nlines\r\n')).toBe('two\\\\x0alines\\\\x0d\\\\x0a')
  })

  it('sets attacker text in code so it cannot @mention anyone', () => {
    expect(codeCell('@security-team')).toBe('<code>@security-team</code>')
    expect(codeCell(null)).toBe('—')
    expect(codeCell('')).toBe('—')
  })

  it('cuts long attacker text so a summary stays small', () => {
    const huge = finding({ id: 'huge', rule_name: '&'.repeat(100_000) })
    const out = formatReport(report([huge]), 'markdown')
    expect(out.length).toBeLessThan(5_000)
    expect(out).toContain('…')
  })

  it('caps the findings table and says how many more there are', () => {
    const many = Array.from({ length: MAX_MARKDOWN_ROWS + 5 }, (_, i) =>
      finding({ ...criticalHiddenRule, id: `f${i}`, user: `u${i}@contoso.com` })
    )
    const out = formatReport(report(many), 'markdown')
    expect(tables(out)[1]).toHaveLength(MAX_MARKDOWN_ROWS + 2)
    expect(out).toContain('…and 5 more')
  })
})
