/**
 * Issue 7, hostile text in every output: every string field of a report (rule names, addresses,
 * the tenant's name, skip reasons and codes, every reason, factor descriptions, even the
 * closed-set fields) is filled with control characters, bidi overrides, newlines, markup,
 * URLs, mentions and references, and every format must stay intact and inert.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AuditReport, Finding, Summary } from '../../core/model/findings.ts'
import { CSV_COLUMNS } from '../../core/report/formats/csv.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { formatJobSummary } from '../../core/report/formats/job-summary.ts'
import { MAX_MARKDOWN_BYTES } from '../../core/report/formats/markdown.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import { parseCsv } from '../report/csv-parse.ts'
import { demoReport, stripAnsi } from '../report/fixtures.ts'
import { splitRow, tables } from '../report/markdown-table.ts'
import { outsideCodeSpans } from './markdown-reading.ts'

const base = demoReport.data.findings[0] as Finding

/** A finding like the demo's first, with `overrides`. */
const finding = (overrides: Partial<Finding>): Finding => ({ ...base, ...overrides })

/** The demo report's envelope around `findings`, its summary changed by `overrides`. */
const report = (findings: Finding[], overrides: Partial<Summary> = {}): AuditReport => ({
  data: { findings, summary: { ...demoReport.data.summary, ...overrides } },
  meta: demoReport.meta,
})

/** The demo report with every optional part present, so every string field is there. */
const FULL: AuditReport = report(
  [
    ...demoReport.data.findings,
    finding({
      id: 'full',
      provenance: [
        {
          source: 'audit_log',
          record_id: 'rec-1',
          operation: 'New-InboxRule',
          time: '2026-03-02T04:11:09Z',
          actor: 'a@contoso.com',
          actor_type: 'user',
          client_ip: '185.220.101.4',
          client_app: 'OWA',
        },
      ],
      modified_at: '2026-03-03T04:11:09Z',
      undated: { code: 'BEFORE_WINDOW', reason: 'no creation in the window read' },
      tenant_policy: { external_forwarding_blocked: true, reason: 'policy Default is Off' },
      suppressed: { reason: 'reviewed', entry: 'entries[0]', expires: '2027-01-01' },
      created_at_unknown: true,
      delivers_copy: false,
      baseline: 'raised',
      baseline_risk_level: 'low',
    }),
  ],
  {
    coverage: ['2 transport rule(s) in the data were not audited'],
    audit_log: {
      read: true,
      source: 'graph-audit-query',
      start: '2026-09-01T00:00:00Z',
      end: '2026-12-01T00:00:00Z',
      records: 3,
      notes: ['fell back to Search-UnifiedAuditLog'],
      auditing: ['mailbox auditing is off for x'],
      unaudited_mailboxes: [{ mailbox: 'x@contoso.com', reason: 'audit bypass' }],
    },
    hidden_sweep: {
      mode: 'changed',
      requested: 'changed',
      swept: 1,
      swept_mailboxes: [{ mailbox: 'a@contoso.com', reason: 'UpdateInboxRules on 2026-11-30' }],
      from_baseline: 2,
      not_swept: 0,
      note: 'hidden rules of 2 mailboxes from the baseline',
    },
    unmatched_allowlist_entries: ['entries[3] (mailbox=x) matched no finding'],
    baseline: {
      compared_with: '--baseline base.json',
      kind: 'report',
      new: 1,
      raised: 1,
      unchanged: 0,
      lowered: 0,
      gone: 1,
      gone_findings: [
        {
          id: 'g',
          type: 'inbox_rule',
          user: 'a@contoso.com',
          destination: 'b@evil.example',
          rule_name: 'r',
          risk_level: 'high',
        },
      ],
      warnings: ['the baseline is of another request'],
    },
  }
)

/** Every string in a value, replaced in order by `texts` (cycled). */
function fillStrings<T>(value: T, texts: string[]): T {
  let next = 0
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') return texts[next++ % texts.length]
    if (Array.isArray(v)) return v.map(fill)
    if (v === null || typeof v !== 'object') return v
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, fill(item)]))
  }
  return fill(value) as T
}

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      '\u001b[2J',
      '\u001b]8;;https://evil.example\u0007',
      '\r',
      '\n',
      '\t',
      '\u0000',
      '\u009b',
      '\u202e',
      '\u2066',
      '\u200b',
      '\u2028',
      '\ufeff',
      '\ud800',
      '|',
      '\\',
      '`',
      '``',
      '"',
      ',',
      '=',
      '<script>',
      '</code>',
      '<img src=x>',
      '[x](https://evil.example)',
      'https://evil.example/a',
      'www.evil.example',
      '@security-team',
      '#123',
      'drop@evil.example',
      '*',
      '_',
      '~',
      '$',
      '&amp;',
      ' ',
      '田',
      '📧',
      'e\u0301'
    ),
    maxLength: 25,
  })
)

const hostileReport = fc
  .array(hostile, { minLength: 1, maxLength: 80 })
  .map((texts) => fillStrings(FULL, texts))

/** C0 controls but LF, C1 controls, DEL, format characters (bidi, zero-width), separators, lone surrogates. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]|\p{Cf}|[\ud800-\udfff]/u
const RUNS = { numRuns: 150 }

describe('every string field of a report filled with hostile text', () => {
  it('the table neither leaks a control character nor overflows the terminal', () => {
    fc.assert(
      fc.property(
        hostileReport,
        fc.integer({ min: 20, max: 160 }),
        fc.boolean(),
        (r, width, color) => {
          const plain = stripAnsi(formatReport(r, 'table', { width, color }))
          expect(plain).not.toMatch(UNSAFE)
          for (const line of plain.split('\n'))
            expect(displayWidth(line)).toBeLessThanOrEqual(width)
        }
      ),
      RUNS
    )
  })

  it('the CSV keeps its rows and columns, and no cell holds a raw CR or LF', () => {
    fc.assert(
      fc.property(hostileReport, (r) => {
        const text = formatReport(r, 'csv')
        const rows = parseCsv(text)
        expect(rows).toHaveLength(r.data.findings.length + 1)
        for (const row of rows) {
          expect(row).toHaveLength(CSV_COLUMNS.length)
          for (const cell of row) {
            expect(cell).not.toMatch(/[\r\n]/)
            expect(cell).not.toMatch(UNSAFE)
            expect(cell).not.toMatch(/^[=+\-@\t\r]/)
          }
        }
      }),
      RUNS
    )
  })

  it('the markdown keeps its tables, and no attacker text links, mentions or tags', () => {
    fc.assert(
      fc.property(hostileReport, (r) => {
        const md = formatReport(r, 'markdown')
        expect(md).not.toMatch(UNSAFE)
        const found = tables(md)
        expect(found[0]?.map(splitRow).every((row) => row.length === 2)).toBe(true)
        for (const table of found.slice(1)) {
          for (const line of table) expect(splitRow(line)).toHaveLength(7)
        }
        const summary = formatJobSummary(r, { failOn: 'high' })
        expect(summary).not.toMatch(UNSAFE)
        expect(outsideCodeSpans(summary)).not.toMatch(/@\w|#\d|https?:|www\.|\]\(|&\w+;/)
        const prose = outsideCodeSpans(md)
        expect(prose).not.toMatch(/@\w|#\d|https?:|www\.|\]\(|&\w+;/)
        expect(prose).not.toMatch(/<(?!\/?(details|summary)>)/)
        // Whatever is outside code spans is ours: no attacker character reaches it.
        expect(prose).not.toMatch(/[\\|`]{2}|\*{3}/)
      }),
      RUNS
    )
  })

  it('the JSON is the report byte for byte, with invisible characters written as escapes', () => {
    fc.assert(
      fc.property(hostileReport, (r) => {
        const text = formatReport(r, 'json')
        expect(text.replace(/\n/g, '')).not.toMatch(UNSAFE)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(r)))
      }),
      RUNS
    )
  })

  it('the SARIF parses, has one result per finding, and shows no control character', () => {
    fc.assert(
      fc.property(hostileReport, (r) => {
        const text = formatReport(r, 'sarif')
        expect(text.replace(/\n/g, '')).not.toMatch(UNSAFE)
        const log = JSON.parse(text)
        expect(log.runs[0].results).toHaveLength(r.data.findings.length)
        for (const result of log.runs[0].results) {
          expect(result.message.text).not.toMatch(UNSAFE)
          expect(result.message.text).not.toMatch(/[\n\r]/)
        }
      }),
      RUNS
    )
  })
})

describe('a markdown report stays under GitHub’s 1 MiB whatever the input', () => {
  it('thousands of findings with huge wide-character names still fit, with a marker', () => {
    const long = '📧田'.repeat(50_000)
    const many = Array.from({ length: 3_000 }, (_, i) =>
      finding({
        id: `f${i}`,
        user: long,
        destination: long,
        rule_name: long,
        risk_factors: [{ category: long, description: long, score: 30 }],
        ...(i % 2 ? { suppressed: { reason: long, entry: long } } : {}),
      })
    )
    const huge = report(many, {
      tenant: long,
      skipped: Array.from({ length: 5_000 }, () => ({
        mailbox: long,
        code: 'READ_FAILED' as const,
        reason: long,
      })),
      incomplete_reasons: Array.from({ length: 5_000 }, () => long),
      expired_allowlist_entries: Array.from({ length: 5_000 }, () => long),
    })
    const md = formatReport(huge, 'markdown')
    expect(new TextEncoder().encode(md).length).toBeLessThanOrEqual(MAX_MARKDOWN_BYTES)
    expect(md).toContain('…')
    expect(md).toMatch(/…and \d+ more/)
  })
})
