/**
 * Triage where people read: under each high or critical finding the table and the markdown list
 * the factors that made its score, one short line each (every finding with `explain`), through
 * the format's own escaping.
 */
import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { displayWidth } from '../../core/report/formats/safe-text.ts'
import {
  criticalHiddenRule,
  finding,
  HOSTILE_RULE_NAME,
  report,
  sampleReport,
  smtpToProton,
  stripAnsi,
  transportBcc,
} from './fixtures.ts'

const lines = (text: string): string[] => stripAnsi(text).split('\n')

/** The lines right under the row that mentions `needle`, up to the next finding row. */
function linesUnder(text: string, needle: string): string[] {
  const all = lines(text)
  const start = all.findIndex((line) => line.includes(needle))
  const out: string[] = []
  for (const line of all.slice(start + 1)) {
    if (!/^\s{6}\s*[+-]\d+ {2}/.test(line)) break
    out.push(line.trim())
  }
  return out
}

/** A blocked high finding whose factor description carries the attacker's rule name. */
const blockedHostile = finding({
  id: 'fp-blocked',
  user: 'e.rossi@contoso.com',
  destination: 'dropbox.sales@outlook.com',
  risk_score: 70,
  risk_level: 'high',
  risk_factors: [
    { category: 'external_forwarding', description: 'Forwards outside', score: 30 },
    { category: 'match_all_forwarding', description: 'No conditions', score: 40 },
    { category: 'suspicious_rule_name', description: `Named ${HOSTILE_RULE_NAME}`, score: 15 },
    { category: 'blocked_by_tenant_policy', description: 'Blocked today: Default', score: -30 },
    { category: 'blocked_but_malicious', description: 'Kept high', score: 30 },
  ],
})

describe('factor lines in the table', () => {
  it('a critical finding lists every factor with its weight, highest first', () => {
    const out = formatReport(report([criticalHiddenRule]), 'table', { width: 160 })
    expect(linesUnder(out, criticalHiddenRule.destination)).toEqual([
      '+40  match_all_forwarding: No conditions',
      '+30  external_forwarding: Forwards outside',
      '+25  free_email_provider: gmail.com is freemail',
      '+20  hidden_rule: Invisible to Outlook',
    ])
  })

  it('negative factors show their minus sign, below the positive ones', () => {
    const out = formatReport(report([blockedHostile]), 'table', { width: 200 })
    const under = linesUnder(out, 'dropbox.sales@outlook.com')
    expect(under.at(-1)).toBe('-30  blocked_by_tenant_policy: Blocked today: Default')
    expect(under).toContain('+30  blocked_but_malicious: Kept high')
  })

  it('medium and low findings get no lines unless explain is asked', () => {
    const out = formatReport(report([transportBcc]), 'table', { width: 160 })
    expect(linesUnder(out, transportBcc.destination)).toEqual([])
    const explained = formatReport(report([transportBcc]), 'table', { width: 160, explain: true })
    expect(linesUnder(explained, transportBcc.destination)).toEqual([
      '+30  external_forwarding: Forwards outside',
    ])
  })

  it('attacker text in a description is neutralised, and every line fits the terminal', () => {
    for (const width of [60, 100]) {
      const out = formatReport(report([blockedHostile]), 'table', { width, color: true })
      expect(out).not.toContain('\u001b[31m*urgent*')
      for (const line of lines(out)) expect(displayWidth(line)).toBeLessThanOrEqual(width)
    }
    expect(formatReport(report([blockedHostile]), 'table', { width: 300 })).toContain('\\x1b[31m')
  })

  it('the sample report explains its critical and high findings and nothing else', () => {
    const out = formatReport(sampleReport, 'table', { width: 200 })
    expect(linesUnder(out, criticalHiddenRule.destination)).toHaveLength(4)
    expect(linesUnder(out, smtpToProton.destination)).toHaveLength(3)
    expect(linesUnder(out, 'support@contoso.zendesk.com')).toEqual([])
  })
})

describe('factor lines in the markdown', () => {
  it('a "Why these scores" list names each high or critical finding and its factors', () => {
    const md = formatReport(sampleReport, 'markdown')
    const why = md.slice(md.indexOf('### Why these scores'))
    expect(why).toContain(
      '- **critical 95** inbox rule <code>megan.bowen@contoso.com</code> → <code>megan.bowen.archive@gmail.com</code>'
    )
    expect(why).toContain('  - +40 `match_all_forwarding`: No conditions')
    expect(why).toContain('<code>adele.v@proton.me</code>')
    expect(why).not.toContain('audit@partner-archive.net')
  })

  it('descriptions go through the markdown escaping', () => {
    const md = formatReport(report([blockedHostile]), 'markdown')
    const line = md.split('\n').find((l) => l.includes('`suspicious_rule_name`')) ?? ''
    expect(line).not.toContain('<script>')
    expect(line).toContain('&lt;script&gt;')
    expect(line).toContain('\\[x\\](y)')
    expect(line).toContain("=cmd\\|' /C calc'")
    expect(line).not.toContain('\u001b')
    expect(md).toContain('  - -30 `blocked_by_tenant_policy`: Blocked today: Default')
  })

  it('with explain every active finding is listed', () => {
    const md = formatReport(sampleReport, 'markdown', { explain: true })
    expect(md.slice(md.indexOf('### Why these scores'))).toContain(
      '<code>audit@partner-archive.net</code>'
    )
  })
})
