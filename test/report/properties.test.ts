/**
 * Whatever text an attacker puts where a tenant lets them (rule names, condition words, forwarding
 * targets) and whatever a reviewer writes as an allowlist reason, the engine's report renders in
 * every format without changing its structure or leaking a control character.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type AuditReport, parseAllowlist } from '../../core/index.ts'
import { CSV_COLUMNS } from '../../core/report/formats/csv.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import { audit, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { outsideCodeSpans } from '../evasions/markdown-reading.ts'
import { parseCsv } from './csv-parse.ts'
import { stripAnsi } from './fixtures.ts'
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

/** One mailbox of a hostile tenant: what its owner or an attacker could have typed. */
const hostileMailbox = fc.record({
  user: hostile,
  ruleName: hostile,
  word: hostile,
  target: hostile,
  reason: fc.option(
    hostile.filter((text) => text.trim() !== ''),
    { nil: undefined }
  ),
})

type HostileMailbox = typeof hostileMailbox extends fc.Arbitrary<infer T> ? T : never

/** Audit a tenant built from the hostile text; every mailbox forwards at least once. */
function auditHostile(mailboxes: HostileMailbox[]): Promise<AuditReport> {
  const snapshot = tenant()
  const entries: Record<string, unknown>[] = []
  mailboxes.forEach((m, i) => {
    // A UPN is checked when the snapshot is read (a hostile one is refused); the owner's
    // display name is free text.
    const upn = `user.${i}@contoso.com`
    snapshot.mailbox(upn, { DisplayName: m.user }).inboxRule(upn, {
      Name: m.ruleName,
      SubjectContainsWords: [m.word],
      // The raw target as Get-InboxRule could return it, and one that surely resolves.
      ForwardTo: [m.target, smtpTarget(`drop.${i}@evil.example`, m.target)],
    })
    if (m.reason !== undefined) entries.push({ mailbox: upn, reason: m.reason })
  })
  const allowlist = parseAllowlist({ version: 1, entries })
  return audit(snapshot, { all_users: true }, { allowlist })
}

const hostileTenant = fc.array(hostileMailbox, { maxLength: 4 })

describe('untrusted text in any format', () => {
  it('never changes the CSV row or column count', async () => {
    await fc.assert(
      fc.asyncProperty(hostileTenant, async (mailboxes) => {
        const report = await auditHostile(mailboxes)
        const rows = parseCsv(formatReport(report, 'csv'))
        expect(rows).toHaveLength(report.data.findings.length + 1)
        for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length)
      })
    )
  })

  it('never changes the markdown table structure', async () => {
    await fc.assert(
      fc.asyncProperty(hostileTenant, async (mailboxes) => {
        const report = await auditHostile(mailboxes)
        const md = formatReport(report, 'markdown')
        const active = report.data.findings.filter((f) => !f.suppressed).length
        const suppressed = report.data.findings.length - active
        const found = tables(md)
        // counts, then findings (if any), then suppressed (if any): each header + delimiter + rows.
        expect(found.map((t) => t.length)).toEqual(
          [8, active && active + 2, suppressed && suppressed + 2].filter((n) => n > 0)
        )
        for (const table of found.slice(1)) {
          for (const line of table) expect(splitRow(line)).toHaveLength(7)
        }
        expect(outsideCodeSpans(md)).not.toMatch(/<(?!\/?(details|summary)>)/)
      })
    )
  })

  it('never overflows the terminal or leaks a control character', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileTenant,
        fc.integer({ min: 20, max: 200 }),
        fc.boolean(),
        async (mailboxes, width, color) => {
          const out = formatReport(await auditHostile(mailboxes), 'table', { width, color })
          const plain = stripAnsi(out)
          for (const line of plain.split('\n')) {
            expect(displayWidth(line)).toBeLessThanOrEqual(width)
          }
          expect(plain).not.toMatch(
            /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]|[\ud800-\udfff]/u
          )
        }
      )
    )
  })

  it('always produces SARIF that parses, with one result per finding', async () => {
    await fc.assert(
      fc.asyncProperty(hostileTenant, async (mailboxes) => {
        const report = await auditHostile(mailboxes)
        const log = JSON.parse(formatReport(report, 'sarif'))
        expect(log.runs[0].results).toHaveLength(report.data.findings.length)
      })
    )
  })
})
