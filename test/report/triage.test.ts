/**
 * Triage where people read: under each high or critical finding the table and the markdown list
 * the factors that made its score, one short line each (every finding with `explain`), through
 * the format's own escaping. The reports are what the engine produces.
 */

import { describe, expect, it } from 'vitest'
import type { AuditReport, Finding } from '../../core/index.ts'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import {
  audit,
  daysBeforeCapture,
  newInboxRuleRecord,
  smtpTarget,
  tenant,
} from '../core/tenant-builder.ts'
import { outsideCodeSpans } from '../evasions/markdown-reading.ts'
import { demoReport, HOSTILE_RULE_NAME, stripAnsi } from './fixtures.ts'

const LEE = 'lee.gu@contoso.com'
/** A hidden rule named to break every format, dated by a record whose actor carries escapes. */
const hostileCritical: AuditReport = await audit(
  tenant()
    .mailbox(LEE)
    .inboxRule(LEE, { Name: HOSTILE_RULE_NAME, ForwardTo: [smtpTarget('lee@contoso-payroll.com')] })
    .noGraphRules(LEE)
    .audit(
      newInboxRuleRecord({
        mailbox: LEE,
        ruleName: HOSTILE_RULE_NAME,
        time: daysBeforeCapture(1),
        actor: 'it\u001b[2J\u202eadmin@contoso.com',
      })
    )
)

const lines = (text: string): string[] => stripAnsi(text).split('\n')
const find = (user: string, destination: string): Finding => {
  const found = demoReport.data.findings.find(
    (f) => f.user === user && f.destination === destination
  )
  if (!found) throw new Error(`no finding ${user} → ${destination}`)
  return found
}

/** The factor lines right under the row that mentions `needle`. */
function linesUnder(text: string, needle: string): string[] {
  const all = lines(text)
  const start = all.findIndex((line) => line.includes(needle))
  const out: string[] = []
  for (const line of all.slice(start + 1)) {
    if (!/^ {6}[ +-]{1,4}\d+ {2}\w+: /.test(line)) break
    out.push(line.trim())
  }
  return out
}

describe('factor lines in the table', () => {
  it('a critical finding lists every factor with its weight, highest first, negative ones last', () => {
    const ortiz = find('j.ortiz@contoso.com', 'j.ortiz.backup@proton.me')
    const under = linesUnder(formatReport(demoReport, 'table', { width: 300 }), ortiz.destination)
    expect(under).toHaveLength(ortiz.risk_factors.length)
    expect(under[0]).toBe(
      '+40  match_all_forwarding: Match-all rule with forwarding (no conditions set)'
    )
    expect(under).toContain(
      "+30  blocked_but_malicious: Kept critical: hidden_rule, suspicious_rule_name mark an attacker's rule, and the mailbox stays compromised whatever the policy blocks"
    )
    expect(under.at(-1)).toMatch(
      /^-30 {2}blocked_by_tenant_policy: Blocked today: outbound spam policy "Default"/
    )
  })

  it('low, medium and suppressed findings get no lines unless explain is asked', () => {
    const plain = formatReport(demoReport, 'table', { width: 300 })
    const explained = formatReport(demoReport, 'table', { width: 300, explain: true })
    for (const [user, destination] of [
      ['b.schulz@contoso.com', 'ben.schulz87@gmail.com'], // low
      ['project.atlas@contoso.com', 'project.team@fabrikam.com'], // suppressed
    ] as const) {
      expect(linesUnder(plain, destination), destination).toEqual([])
      expect(linesUnder(explained, destination), destination).toHaveLength(
        find(user, destination).risk_factors.length
      )
    }
    expect(linesUnder(explained, 'ben.schulz87@gmail.com')).toContain(
      '-40  disabled: Rule is disabled: no mail flows through it now'
    )
  })

  it('attacker text in a description is neutralised, and every line fits the terminal', () => {
    for (const width of [60, 100]) {
      const out = formatReport(hostileCritical, 'table', { width, color: true })
      for (const line of lines(out)) expect(displayWidth(line)).toBeLessThanOrEqual(width)
    }
    const wide = formatReport(hostileCritical, 'table', { width: 400 })
    const recent = linesUnder(wide, 'lee@contoso-payroll.com').find((l) =>
      l.includes('recently_created')
    )
    // Audit-log actors are lower-cased with the UPN; the escapes stay visible, never live.
    expect(recent).toContain('by it\\x1b[2j\\u{202E}admin@contoso.com')
    expect(wide).not.toContain('\u001b[2J')
    expect(wide).not.toContain('\u202e')
  })
})

describe('factor lines in the markdown', () => {
  const md = formatReport(demoReport, 'markdown')
  const start = md.indexOf('### Why these scores')
  const why = md.slice(start, md.indexOf('<details>', start))

  it('a "Why these scores" list names each high or critical finding and its factors', () => {
    expect(why).toContain(
      '- **critical 100** inbox rule `j.ortiz@contoso.com` → `j.ortiz.backup@proton.me`'
    )
    expect(why).toContain('  - +30 `hidden_rule`: `Rule " " is hidden from Outlook and Graph`')
    expect(why).toMatch(/ {2}- -30 `blocked_by_tenant_policy`: `Blocked today/)
    expect(why).not.toContain('ben.schulz87@gmail.com')
  })

  it('descriptions go through the markdown escaping: code spans, never markup', () => {
    const hostile = formatReport(hostileCritical, 'markdown')
    const line = hostile.split('\n').find((l) => l.includes('`hidden_rule`')) ?? ''
    expect(line).toContain("=cmd\\|' /C calc'")
    expect(outsideCodeSpans(line)).not.toMatch(/<script>|\]\(y\)/)
    const recent = hostile.split('\n').find((l) => l.includes('`recently_created`')) ?? ''
    expect(recent).not.toContain('\u001b')
    expect(recent).not.toContain('\u202e')
  })

  it('with explain every active finding is listed', () => {
    const explained = formatReport(demoReport, 'markdown', { explain: true })
    expect(explained.slice(explained.indexOf('### Why these scores'))).toContain(
      '`ben.schulz87@gmail.com`'
    )
  })
})
