import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import {
  criticalHiddenRule,
  emptyReport,
  finding,
  report,
  sampleReport,
  stripAnsi,
  zendeskSuppressed,
} from './fixtures.ts'

const lines = (text: string): string[] => text.split('\n')
const widest = (text: string): number => Math.max(...lines(stripAnsi(text)).map(displayWidth))
const rowOf = (text: string, needle: string): number =>
  lines(stripAnsi(text)).findIndex((line) => line.includes(needle))

describe('table format', () => {
  it.each([80, 100, 120])('fits a %i-column terminal, colour or not', (width) => {
    expect(widest(formatReport(sampleReport, 'table', { width }))).toBeLessThanOrEqual(width)
    expect(widest(formatReport(sampleReport, 'table', { width, color: true }))).toBeLessThanOrEqual(
      width
    )
  })

  it('fits 100 columns when no width is given', () => {
    expect(widest(formatReport(sampleReport, 'table'))).toBeLessThanOrEqual(100)
  })

  it('still fits a terminal narrower than its minimum columns', () => {
    for (const width of [1, 10, 40]) {
      expect(widest(formatReport(sampleReport, 'table', { width }))).toBeLessThanOrEqual(width)
    }
  })

  it('shows whole addresses when there is room', () => {
    const out = formatReport(sampleReport, 'table', { width: 200 })
    expect(out).toContain('megan.bowen.archive@gmail.com')
    expect(out).not.toContain('…')
  })

  it('shrinks long text columns with an ellipsis instead of wrapping', () => {
    const long = finding({
      id: 'long',
      rule_name: 'x'.repeat(300),
      destination: `${'d'.repeat(200)}@evil.example`,
    })
    const out = formatReport(report([long]), 'table', { width: 80 })
    expect(out).toContain('…')
    expect(lines(out)[1]).toMatch(/^medium\s+40\s+inbox/)
    expect(lines(out)[2]).toBe('')
  })

  it('lists the most severe findings first and suppressed findings last', () => {
    const out = formatReport(sampleReport, 'table', { width: 120 })
    const order = ['megan.bowen', 'adele.vance', 'organization', 'lee.gu', 'support@'].map((u) =>
      rowOf(out, u)
    )
    expect(order.every((row) => row > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(rowOf(out, 'suppressed by the allowlist: 1')).toBe(order[4]! - 1)
  })

  it('breaks score ties by mailbox then destination', () => {
    const b = finding({ id: 'b', user: 'b@contoso.com', destination: 'z@x.example' })
    const a2 = finding({ id: 'a2', user: 'a@contoso.com', destination: 'y@x.example' })
    const a1 = finding({ id: 'a1', user: 'a@contoso.com', destination: 'x@x.example' })
    const out = formatReport(report([b, a2, a1]), 'table', { width: 120 })
    const rows = [rowOf(out, 'x@x.example'), rowOf(out, 'y@x.example'), rowOf(out, 'z@x.example')]
    expect([...rows].sort((x, y) => x - y)).toEqual(rows)
  })

  it('marks flags in the notes column', () => {
    const out = stripAnsi(formatReport(sampleReport, 'table', { width: 160 }))
    expect(lines(out)[rowOf(out, 'megan.bowen')]).toMatch(/hidden, external$/)
    expect(lines(out)[rowOf(out, 'adele.vance')]).toMatch(/no copy, external$/)
    expect(lines(out)[rowOf(out, 'lee.gu')]).toMatch(/disabled, external$/)
    expect(lines(out)[rowOf(out, 'support@')]).toMatch(/external, suppressed$/)
  })

  it('writes no ANSI codes unless colour is asked for', () => {
    expect(formatReport(sampleReport, 'table', { width: 100 })).not.toContain('\u001b')
    expect(formatReport(sampleReport, 'table', { width: 100, color: false })).not.toContain(
      '\u001b'
    )
  })

  it('colours critical red and bold, high red, medium yellow, and dims suppressed rows', () => {
    const out = formatReport(sampleReport, 'table', { width: 120, color: true })
    expect(out).toContain('\u001b[1;31mcritical\u001b[0m')
    expect(out).toContain('\u001b[31mhigh\u001b[0m')
    expect(out).toContain('\u001b[33mmedium\u001b[0m')
    const suppressedRow = lines(out).find((line) => line.includes('Zendesk'))
    expect(suppressedRow).toContain('\u001b[2mZendesk intake\u001b[0m')
  })

  it('a rule name cannot inject terminal escapes into the table', () => {
    for (const color of [false, true]) {
      const out = formatReport(sampleReport, 'table', { width: 200, color })
      // Our own colour codes are the only escapes left, and only the SGR kind.
      expect(out.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(
        /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/
      )
      expect(out).toContain('\\x1b[31m*urgent*\\x1b[0m')
    }
  })

  it('a line break in a rule name cannot add a row', () => {
    const broken = finding({ id: 'nl', rule_name: 'ok\ncritical  99  inbox  ceo@contoso.com' })
    const out = formatReport(report([broken]), 'table', { width: 200 })
    expect(lines(out)[2]).toBe('')
    expect(out).toContain('ok\\x0acritical')
  })

  it('says plainly when no forwarding was found', () => {
    const out = formatReport(emptyReport, 'table')
    expect(lines(out)[0]).toBe('No forwarding found.')
    expect(out).not.toContain('LEVEL')
  })

  it('says so when every finding is allowlisted, and still lists them', () => {
    const out = formatReport(report([zendeskSuppressed]), 'table', { width: 120 })
    expect(lines(out)[0]).toBe('No forwarding found outside the allowlist.')
    expect(out).toContain('support@contoso.zendesk.com')
  })

  it('summarises coverage, counts, filtering, incompleteness and expired entries', () => {
    const out = formatReport(sampleReport, 'table', { width: 120 })
    expect(out).toContain('Mailboxes: 41 scanned, 1 skipped (requested: all)')
    expect(out).toContain('skipped room-4@contoso.com: MAILBOX_UNAVAILABLE')
    expect(out).toContain('Findings: 1 critical, 1 high, 1 medium, 1 low')
    expect(out).toContain('Suppressed by the allowlist: 1')
    expect(out).toContain('Filtered out by the request: 2')
    expect(out).toContain('INCOMPLETE')
    expect(out).toContain('  - 1 mailbox could not be read (MAILBOX_UNAVAILABLE)')
    expect(out).toContain('backup@contoso-old.com (expired 2026-01-31)')
  })

  it('lists ten skipped mailboxes, then counts the rest', () => {
    const skipped = Array.from({ length: 13 }, (_, i) => ({
      mailbox: `m${i}@contoso.com`,
      code: 'THROTTLED' as const,
      reason: 'retry budget spent',
    }))
    const out = formatReport(
      report([criticalHiddenRule], { skipped, mailboxes_skipped: 13 }),
      'table'
    )
    expect(out).toContain('m9@contoso.com')
    expect(out).not.toContain('m10@contoso.com')
    expect(out).toContain('and 3 more')
  })
})
