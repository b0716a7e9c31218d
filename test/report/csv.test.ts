import { describe, expect, it } from 'vitest'
import { CSV_COLUMNS, csvCell } from '../../core/report/formats/csv.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { parseCsv } from './csv-parse.ts'
import { emptyReport, finding, report, sampleReport } from './fixtures.ts'

const parse = (text: string) => {
  const [header, ...rows] = parseCsv(text)
  return {
    header,
    rows: rows.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))),
  }
}

describe('csv format', () => {
  it('has a header row and one CRLF-terminated row per finding', () => {
    const out = formatReport(sampleReport, 'csv')
    const { header, rows } = parse(out)
    expect(header).toEqual([...CSV_COLUMNS])
    expect(rows).toHaveLength(sampleReport.data.findings.length)
    expect(out.endsWith('\r\n')).toBe(true)
  })

  it('writes only the header when there are no findings', () => {
    expect(formatReport(emptyReport, 'csv')).toBe(`${CSV_COLUMNS.join(',')}\r\n`)
  })

  it('writes every field of a finding in its column', () => {
    const { rows } = parse(formatReport(sampleReport, 'csv'))
    expect(rows[0]).toEqual({
      id: 'fp-7c1e9a0d2b44',
      type: 'inbox_rule',
      user: 'megan.bowen@contoso.com',
      destination: 'megan.bowen.archive@gmail.com',
      external: 'true',
      risk_score: '95',
      risk_level: 'critical',
      risk_factors:
        'external_forwarding:30;free_email_provider:25;match_all_forwarding:40;hidden_rule:20',
      is_enabled: 'true',
      hidden: 'true',
      rule_name: '.',
      action: 'redirect',
      created_at: '2026-03-02T04:11:09Z',
      suppressed: 'false',
      suppression_reason: '',
      conditions: '',
    })
  })

  it('leaves rule_name empty for SMTP forwarding and joins conditions with " | "', () => {
    const { rows } = parse(formatReport(sampleReport, 'csv'))
    const smtp = rows.find((r) => r.type === 'smtp_forwarding')
    expect(smtp?.rule_name).toBe('')
    const transport = rows.find((r) => r.type === 'transport_rule')
    expect(transport?.conditions).toBe(
      "sender is a member of 'Finance' | subject contains 'invoice'"
    )
  })

  it('marks the suppressed finding and gives the reason', () => {
    const { rows } = parse(formatReport(sampleReport, 'csv'))
    const zendesk = rows.find((r) => r.destination === 'support@contoso.zendesk.com')
    expect(zendesk?.suppressed).toBe('true')
    expect(zendesk?.suppression_reason).toBe('Helpdesk intake (CHG-1234)')
  })

  it('quotes commas, quotes and line breaks per RFC 4180', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"')
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell(null)).toBe('')
    const { rows } = parse(formatReport(sampleReport, 'csv'))
    const hostile = rows.find((r) => r.user === 'lee.gu@contoso.com')
    expect(hostile?.conditions).toBe('subject contains \'pay|slip\'\nand body contains "bank"')
  })

  it('a rule name cannot run as a spreadsheet formula', () => {
    const { rows } = parse(formatReport(sampleReport, 'csv'))
    const hostile = rows.find((r) => r.user === 'lee.gu@contoso.com')
    expect(hostile?.rule_name?.startsWith("'=cmd|")).toBe(true)
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvCell(`${start}HYPERLINK("http://evil.example")`)
      expect(cell.replace(/^"/, '').startsWith("'")).toBe(true)
    }
    expect(csvCell('user@contoso.com')).toBe('user@contoso.com')
  })

  it('guards every text column, not only the rule name', () => {
    const f = finding({ user: '@SUM(1+1)', destination: '+1-555@evil.example', action: '-x' })
    const { rows } = parse(formatReport(report([f]), 'csv'))
    expect(rows[0]?.user).toBe("'@SUM(1+1)")
    expect(rows[0]?.destination).toBe("'+1-555@evil.example")
    expect(rows[0]?.action).toBe("'-x")
  })

  it('a rule name cannot inject terminal escapes into the file', () => {
    const out = formatReport(sampleReport, 'csv')
    expect(out).not.toContain('\u001b')
    expect(out).toContain('\\x1b[31m')
  })
})
