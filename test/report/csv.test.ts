import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS, csvCell } from '../../core/report/formats/csv.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { parseCsv } from './csv-parse.ts'
import {
  cleanReport,
  demoReport,
  HOSTILE_RULE_NAME,
  hiddenRule,
  hostileReport,
  hostileRule,
  LINE_BREAK_RULE_NAME,
  smtpNoCopy,
  zendeskSuppressed,
} from './fixtures.ts'

const parse = (text: string) => {
  const [header, ...rows] = parseCsv(text)
  return {
    header,
    rows: rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))),
  }
}

describe('csv format', () => {
  it('has a header row and one CRLF-terminated row per finding', () => {
    const out = formatReport(demoReport, 'csv')
    const { header, rows } = parse(out)
    expect(header).toEqual([...CSV_COLUMNS])
    expect(rows).toHaveLength(demoReport.data.findings.length)
    expect(out.endsWith('\r\n')).toBe(true)
  })

  it('writes only the header when there are no findings', () => {
    expect(formatReport(cleanReport, 'csv')).toBe(`${CSV_COLUMNS.join(',')}\r\n`)
  })

  it('writes every field of a finding in its column', () => {
    const { rows } = parse(formatReport(demoReport, 'csv'))
    expect(rows.find((r) => r.id === hiddenRule.id)).toEqual({
      id: hiddenRule.id,
      type: 'inbox_rule',
      user: 'j.ortiz@contoso.com',
      destination: 'j.ortiz.backup@proton.me',
      external: 'true',
      risk_score: '100',
      risk_level: 'critical',
      risk_factors:
        'external_forwarding:30;free_email_provider:25;hidden_rule:30;suspicious_rule_name:15;match_all_forwarding:40;blocked_by_tenant_policy:-30;blocked_but_malicious:30',
      is_enabled: 'true',
      hidden: 'true',
      rule_name: ' ',
      action: 'forward',
      created_at: '2026-11-08T21:14:52.000Z',
      modified_at: '',
      changed_by: 'j.ortiz@contoso.com',
      suppressed: 'false',
      suppression_reason: '',
      conditions: '',
      exceptions: '',
    })
  })

  it('leaves rule_name empty for SMTP forwarding and joins conditions with " | "', () => {
    const { rows } = parse(formatReport(demoReport, 'csv'))
    const smtp = rows.find((r) => r.id === smtpNoCopy.id)
    expect(smtp?.rule_name).toBe('')
    const hostile = parse(formatReport(hostileReport, 'csv')).rows.find(
      (r) => r.id === hostileRule.id
    )
    expect(hostile?.conditions).toBe(
      `subject contains 'pay|slip' or '"bank", wire' | from 'payroll@contoso.com'`
    )
  })

  it('marks the suppressed finding and gives the reason', () => {
    const { rows } = parse(formatReport(demoReport, 'csv'))
    const zendesk = rows.find((r) => r.id === zendeskSuppressed.id)
    expect(zendesk?.suppressed).toBe('true')
    expect(zendesk?.suppression_reason).toBe(
      'Support intake: the shared mailbox redirects customer mail to our Zendesk instance, which opens the tickets.'
    )
  })

  it('quotes commas and quotes per RFC 4180; a line break never stays raw in a cell', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('one\r\ntwo')).toBe('one\\x0d\\x0atwo')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(null)).toBe('')
    const { rows } = parse(formatReport(hostileReport, 'csv'))
    const hostile = rows.find((r) => r.id === hostileRule.id)
    expect(hostile?.conditions).toContain(`'"bank", wire'`)
    // The line break is shown, never kept raw: it cannot forge a row of its own.
    expect(rows.map((r) => r.rule_name)).toContain(LINE_BREAK_RULE_NAME.replace('\n', '\\x0a'))
  })

  it('a rule name cannot run as a spreadsheet formula', () => {
    const { rows } = parse(formatReport(hostileReport, 'csv'))
    const hostile = rows.find((r) => r.id === hostileRule.id)
    expect(HOSTILE_RULE_NAME.startsWith('=')).toBe(true)
    expect(hostile?.rule_name?.startsWith("'=cmd|")).toBe(true)
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://evil.example")`)
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true)
    }
    expect(csvCell('user@contoso.com')).toBe('user@contoso.com')
  })

  it('guards every text column, not only the rule name', () => {
    const { rows } = parse(formatReport(hostileReport, 'csv'))
    const forward = rows.find((r) => r.type === 'smtp_forwarding')
    expect(forward?.user).toBe("'+1-555@contoso.com")
    expect(forward?.destination).toBe("'-x@evil.example")
  })

  it('a rule name cannot inject terminal escapes into the file', () => {
    const out = formatReport(hostileReport, 'csv')
    expect(out).not.toContain('\u001b')
    expect(out).toContain('\\x1b[31m')
  })
})
