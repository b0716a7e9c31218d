import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import { audit, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { auditDemo, DEMO_REQUEST } from '../demo-audit.ts'
import { cleanReport, demoReport, hostileReport, stripAnsi } from './fixtures.ts'

const lines = (text: string): string[] => text.split('\n')
const widest = (text: string): number => Math.max(...lines(stripAnsi(text)).map(displayWidth))
/** A factor line under a high or critical finding: `      +30  external_forwarding: ...`. */
const isFactorLine = (line: string): boolean => /^ {6}[ +-]{1,4}\d+ {2}\w+: /.test(line)
const rowOf = (text: string, needle: string): number =>
  lines(stripAnsi(text)).findIndex((line) => line.includes(needle))
const reports = [demoReport, hostileReport]

describe('table format', () => {
  it.each([80, 100, 120])('fits a %i-column terminal, colour or not', (width) => {
    for (const report of reports) {
      expect(widest(formatReport(report, 'table', { width }))).toBeLessThanOrEqual(width)
      expect(widest(formatReport(report, 'table', { width, color: true }))).toBeLessThanOrEqual(
        width
      )
    }
  })

  it('fits 100 columns when no width is given', () => {
    for (const report of reports) {
      expect(widest(formatReport(report, 'table'))).toBeLessThanOrEqual(100)
    }
  })

  it('still fits a terminal narrower than its minimum columns', () => {
    for (const width of [1, 10, 40]) {
      expect(widest(formatReport(demoReport, 'table', { width }))).toBeLessThanOrEqual(width)
    }
  })

  it('shows whole addresses when there is room', () => {
    const out = formatReport(demoReport, 'table', { width: 200 })
    expect(out).toContain('svc-retention@contoso-archive.net')
    // The finding rows are whole; factor lines under them may be cut to the width.
    const table = lines(out).slice(0, lines(out).indexOf(''))
    expect(table.filter((line) => !isFactorLine(line)).join('\n')).not.toContain('…')
  })

  it('shrinks long text columns with an ellipsis instead of wrapping', async () => {
    const long = await audit(
      tenant()
        .mailbox('alex.wilber@contoso.com')
        .inboxRule('alex.wilber@contoso.com', {
          Name: 'x'.repeat(300),
          ForwardTo: [smtpTarget(`${'d'.repeat(200)}@evil.example`)],
        })
    )
    const out = formatReport(long, 'table', { width: 80 })
    expect(out).toContain('…')
    expect(lines(out)[1]).toMatch(/^high\s+70\s+inbox/)
    // Under the one row, only its factor lines, then the blank line before the summary.
    const under = lines(out).slice(2, lines(out).indexOf(''))
    expect(under.length).toBeGreaterThan(0)
    expect(under.every(isFactorLine)).toBe(true)
  })

  it('lists the most severe findings first and suppressed findings last', () => {
    const out = formatReport(demoReport, 'table', { width: 120 })
    const order = [
      'ap.contoso@gmail.com', // critical
      'svc-sync@contoso.com', // high
      'ben.schulz87@gmail.com', // low
      'p.novak@contoso.com', // low, 0
      'journal@archive.mimecast.com', // suppressed, critical
      'support@contoso.zendesk.com', // suppressed, medium
    ].map((destination) => rowOf(out, destination))
    expect(order.every((row) => row > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(rowOf(out, 'suppressed by the allowlist: 6')).toBe(order[4]! - 1)
  })

  it('breaks score ties by mailbox then destination', () => {
    const out = formatReport(demoReport, 'table', { width: 120 })
    // Ten findings score 100, then 70; phishing@ has two suppressed findings.
    const rows = [
      'accounts.payable@',
      'd.hoffmann@',
      'e.rossi@',
      'h.tanaka@',
      'j.ortiz@',
      'l.martin@',
      'r.vogel@',
      's.kowalski@',
      't.nguyen@',
      'c.dubois@',
      'reports@phishalarm.example',
      'soc@contoso.com',
    ].map((needle) => rowOf(out, needle))
    expect(rows.every((row) => row > 0)).toBe(true)
    expect([...rows].sort((x, y) => x - y)).toEqual(rows)
  })

  it('marks flags in the notes column', () => {
    const out = stripAnsi(formatReport(demoReport, 'table', { width: 160 }))
    expect(lines(out)[rowOf(out, 'j.ortiz@')]).toMatch(/hidden, external, blocked$/)
    expect(lines(out)[rowOf(out, 'r.vogel@')]).toMatch(/no copy, external$/)
    expect(lines(out)[rowOf(out, 'b.schulz@')]).toMatch(/disabled, external, blocked$/)
    expect(lines(out)[rowOf(out, 'support@')]).toMatch(/external, blocked, suppressed$/)
  })

  it('writes no ANSI codes unless colour is asked for', () => {
    expect(formatReport(demoReport, 'table', { width: 100 })).not.toContain('\u001b')
    expect(formatReport(demoReport, 'table', { width: 100, color: false })).not.toContain('\u001b')
  })

  it('colours critical red and bold, high red, medium yellow, and dims suppressed rows', () => {
    const out = formatReport(demoReport, 'table', { width: 120, color: true })
    expect(out).toContain('\u001b[1;31mcritical\u001b[0m')
    expect(out).toContain('\u001b[31mhigh\u001b[0m')
    const suppressedRow = lines(out).find((line) => line.includes('Zendesk'))
    expect(suppressedRow).toContain('\u001b[2msupport@contoso.com\u001b[0m')
    const hostile = formatReport(hostileReport, 'table', { width: 120, color: true })
    expect(hostile).toContain('\u001b[33mmedium\u001b[0m')
  })

  it('a rule name cannot inject terminal escapes into the table', () => {
    for (const color of [false, true]) {
      const out = formatReport(hostileReport, 'table', { width: 200, color })
      // Our own colour codes are the only escapes left, and only the SGR kind.
      expect(out.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/
      )
      expect(out).toContain('\\x1b[31m*urgent*\\x1b[0m')
    }
  })

  it('a line break in a rule name cannot add a row', () => {
    const out = formatReport(hostileReport, 'table', { width: 200 })
    // The header, one row per finding (with the factor lines of the high ones), then a blank line.
    const rows = lines(out).filter((line) => !isFactorLine(line))
    expect(rows[hostileReport.data.findings.length + 1]).toBe('')
    expect(out).toContain('ok\\x0acritical')
  })

  it('says plainly when no forwarding was found', () => {
    const out = formatReport(cleanReport, 'table')
    expect(lines(out)[0]).toBe('No forwarding found.')
    expect(out).not.toContain('LEVEL')
  })

  it('says so when every finding is allowlisted, and still lists them', async () => {
    const report = await auditDemo({ user: 'support@contoso.com' })
    const out = formatReport(report, 'table', { width: 120 })
    expect(lines(out)[0]).toBe('No forwarding found outside the allowlist.')
    expect(out).toContain('support@contoso.zendesk.com')
  })

  it('summarises coverage, counts, filtering, incompleteness and expired entries', async () => {
    const report = await auditDemo({ ...DEMO_REQUEST, risk_threshold: 'high' })
    const out = formatReport(report, 'table', { width: 120 })
    expect(out).toContain('Mailboxes: 36 scanned, 2 skipped (requested: all)')
    expect(out).toContain('skipped f.wagner@contoso.com: MAILBOX_UNAVAILABLE')
    expect(out).toContain('Findings: 11 critical, 1 high, 0 medium, 0 low')
    expect(out).toContain(
      'Audit log: read from snapshot, 2026-05-24T09:00:00.000Z to 2026-11-20T09:00:00.000Z, 16 forwarding records'
    )
    expect(out).toContain('Suppressed by the allowlist: 1')
    expect(out).toContain(
      'Filtered out by the request: 7 (since 0, risk_threshold 7, external_only 0)'
    )
    expect(out).toContain('INCOMPLETE')
    expect(out).toContain('  - 2 mailbox(es) could not be read')
    expect(out).toContain('mailbox=b.schulz@contoso.com) expired on 2026-06-30')
  })

  it('lists ten skipped mailboxes, then counts the rest', async () => {
    const missing = Array.from({ length: 13 }, (_, i) => `m${i}@contoso.com`)
    const report = await audit(tenant().mailbox('alex.wilber@contoso.com'), { users: missing })
    const out = formatReport(report, 'table')
    expect(out).toContain('m9@contoso.com')
    expect(out).not.toContain('m10@contoso.com')
    expect(out).toContain('and 3 more')
  })
})
