import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Finding } from '../../core/model/findings.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import { parseCsv } from './csv-parse.ts'
import { finding, report, stripAnsi } from './fixtures.ts'
import { splitRow, tables } from './markdown-table.ts'

/** Hostile text: any code points including lone surrogates, plus the characters that matter. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      '|',
      '\\',
      '`',
      '"',
      ',',
      '\r',
      '\n',
      '\t',
      '\u001b',
      '=',
      '<',
      '*',
      '田',
      '📧',
      '\u0301',
      '\u202e',
      '\ud800'
    ),
    maxLength: 40,
  })
)

const hostileFinding = fc
  .record({
    id: fc.uuid(),
    user: hostile,
    destination: hostile,
    rule_name: fc.option(hostile, { nil: null }),
    action: hostile,
    condition: hostile,
    score: fc.integer({ min: 0, max: 100 }),
    suppressed: fc.option(hostile, { nil: undefined }),
  })
  .map(
    (r): Finding =>
      finding({
        id: r.id,
        user: r.user,
        destination: r.destination,
        rule_name: r.rule_name,
        action: r.action,
        conditions: [r.condition],
        risk_score: r.score,
        ...(r.suppressed !== undefined && { suppressed: { reason: r.suppressed, entry: 'e' } }),
      })
  )

const findings = fc.array(hostileFinding, { maxLength: 6 })

describe('untrusted text in any format', () => {
  it('never changes the CSV row or column count', () => {
    fc.assert(
      fc.property(findings, (fs) => {
        const rows = parseCsv(formatReport(report(fs), 'csv'))
        expect(rows).toHaveLength(fs.length + 1)
        for (const row of rows) expect(row).toHaveLength(16)
      })
    )
  })

  it('never changes the markdown table structure', () => {
    fc.assert(
      fc.property(findings, (fs) => {
        const md = formatReport(report(fs), 'markdown')
        const active = fs.filter((f) => !f.suppressed).length
        const suppressed = fs.length - active
        const found = tables(md)
        // counts, then findings (if any), then suppressed (if any): each header + delimiter + rows.
        expect(found.map((t) => t.length)).toEqual(
          [8, active && active + 2, suppressed && suppressed + 2].filter((n) => n > 0)
        )
        for (const table of found.slice(1)) {
          for (const line of table) expect(splitRow(line)).toHaveLength(7)
        }
        expect(md).not.toMatch(/<(?!\/?(code|details|summary)>)/)
      })
    )
  })

  it('never overflows the terminal or leaks a control character', () => {
    fc.assert(
      fc.property(findings, fc.integer({ min: 20, max: 200 }), fc.boolean(), (fs, width, color) => {
        const out = formatReport(report(fs), 'table', { width, color })
        const plain = stripAnsi(out)
        for (const line of plain.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width)
        expect(plain).not.toMatch(
          /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]|[\ud800-\udfff]/u
        )
      })
    )
  })

  it('always produces SARIF that parses, with one result per finding', () => {
    fc.assert(
      fc.property(findings, (fs) => {
        const log = JSON.parse(formatReport(report(fs), 'sarif'))
        expect(log.runs[0].results).toHaveLength(fs.length)
      })
    )
  })
})
