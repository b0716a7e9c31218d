import { describe, expect, it } from 'vitest'
import { formatReport } from '../../core/report/formats/index.ts'
import { demoReport, HOSTILE_RULE_NAME, hostileReport } from './fixtures.ts'

describe('json format', () => {
  it('round-trips to the same envelope', () => {
    const out = formatReport(demoReport, 'json')
    expect(JSON.parse(out)).toEqual(demoReport)
  })

  it('is two-space indented and ends with a newline', () => {
    const out = formatReport(demoReport, 'json')
    expect(out).toBe(`${JSON.stringify(demoReport, null, 2)}\n`)
  })

  it('writes only data and meta at the top level', () => {
    const extra = { ...demoReport, debug: { token: 'secret' } }
    expect(Object.keys(JSON.parse(formatReport(extra, 'json')))).toEqual(['data', 'meta'])
  })

  it('keeps attacker text byte-for-byte but escapes control characters', () => {
    const out = formatReport(hostileReport, 'json')
    expect(out).not.toContain('\u001b')
    expect(out).toContain('\\u001b[31m')
    const names = JSON.parse(out).data.findings.map((f: { rule_name: string }) => f.rule_name)
    expect(names).toContain(HOSTILE_RULE_NAME)
  })
})
