import { describe, expect, it } from 'vitest'
import type { AuditReport } from '../../core/index.ts'
import { type FormatOptions, formatReport } from '../../core/report/formats/index.ts'
import { buildSarif, DEFAULT_ARTIFACT_URI } from '../../core/report/formats/sarif.ts'
import { compileSarifSchema } from '../action/sarif-validator.ts'
import { withSharedSchema } from '../shared-schemas.ts'
import { cleanReport, demoReport, hiddenRule, hostileReport } from './fixtures.ts'

const sarif = (r: AuditReport = demoReport, options: FormatOptions = { toolVersion: '1.2.3' }) =>
  JSON.parse(formatReport(r, 'sarif', options))

describe('SARIF 2.1.0 schema', () => {
  withSharedSchema('sarif-schema-2.1.0.json', 'SARIF schema validation', (schema) => {
    const validate = compileSarifSchema(schema)

    it.each([
      ['the demo tenant', demoReport],
      ['hostile rule names', hostileReport],
      ['a clean tenant', cleanReport],
    ])('validates %s', (_, r) => {
      const ok = validate(sarif(r))
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
    })
  })
})

describe('sarif format', () => {
  it('names the tool, its version and the schema GitHub expects', () => {
    const log = sarif()
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    expect(log.version).toBe('2.1.0')
    expect(log.runs).toHaveLength(1)
    expect(log.runs[0].tool.driver).toMatchObject({
      name: 'forwarding-audit',
      semanticVersion: '1.2.3',
    })
    expect(log.runs[0].tool.driver.informationUri).toMatch(/^https:\/\//)
  })

  it('includes exactly the rules the findings use, one per type and level', () => {
    const ids = sarif().runs[0].tool.driver.rules.map((r: { id: string }) => r.id)
    expect(ids).toEqual([
      'T1114.003/inbox_rule/critical',
      'T1114.003/inbox_rule/medium',
      'T1114.003/inbox_rule/low',
      'T1114.003/smtp_forwarding/critical',
      'T1114.003/smtp_forwarding/high',
      'T1114.003/smtp_forwarding/medium',
      'T1114.003/smtp_forwarding/low',
      'T1114.003/transport_rule/critical',
      'T1114.003/journal_rule/critical',
    ])
    expect(sarif(cleanReport).runs[0].tool.driver.rules).toEqual([])
  })

  it.each([
    ['critical', '9.5', 'error'],
    ['high', '8.0', 'error'],
    ['medium', '5.5', 'warning'],
    ['low', '2.0', 'note'],
  ] as const)('a %s rule has security-severity %s and level %s', (level, severity, sarifLevel) => {
    const run = sarif().runs[0]
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id.endsWith(`/${level}`))
    expect(rule.properties['security-severity']).toBe(severity)
    expect(rule.defaultConfiguration.level).toBe(sarifLevel)
    expect(rule.properties.tags).toEqual(
      expect.arrayContaining(['security', 'mitre-attack/T1114.003'])
    )
    const results = run.results.filter((r: { ruleId: string }) => r.ruleId === rule.id)
    expect(results.length).toBeGreaterThan(0)
    for (const result of results) expect(result.level).toBe(sarifLevel)
  })

  it('gives every rule the texts code scanning requires, with remediation commands', () => {
    for (const rule of sarif().runs[0].tool.driver.rules) {
      for (const text of [
        rule.name,
        rule.shortDescription.text,
        rule.fullDescription.text,
        rule.help.text,
      ]) {
        expect(text.length).toBeGreaterThan(0)
      }
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024)
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024)
      expect(rule.name.length).toBeLessThanOrEqual(255)
    }
    const help = (id: string) =>
      sarif().runs[0].tool.driver.rules.find((r: { id: string }) => r.id === id).help
    expect(help('T1114.003/inbox_rule/critical').markdown).toContain('Remove-InboxRule')
    expect(help('T1114.003/inbox_rule/critical').text).toContain('-IncludeHidden')
    expect(help('T1114.003/smtp_forwarding/critical').markdown).toContain(
      'Set-Mailbox -Identity <user> -ForwardingSmtpAddress $null'
    )
    expect(help('T1114.003/transport_rule/critical').markdown).toContain('Remove-TransportRule')
  })

  it('points every result at a repo file on line 1, linked to its rule by index', () => {
    const run = sarif().runs[0]
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId)
      expect(result.locations).toEqual([
        {
          physicalLocation: {
            artifactLocation: { uri: DEFAULT_ARTIFACT_URI },
            region: { startLine: 1 },
          },
        },
      ])
    }
    const custom = sarif(demoReport, { artifactUri: '.github/forwarding-audit.yml' })
    expect(custom.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      '.github/forwarding-audit.yml'
    )
  })

  it('fingerprints each result by finding id, the same on every run', () => {
    const first = sarif().runs[0].results
    const second = sarif(structuredClone(demoReport)).runs[0].results
    const prints = first.map((r: { partialFingerprints: object }) => r.partialFingerprints)
    expect(prints).toEqual(
      second.map((r: { partialFingerprints: object }) => r.partialFingerprints)
    )
    const ids = first.map(
      (r: { partialFingerprints: { primaryLocationLineHash: string } }) =>
        r.partialFingerprints.primaryLocationLineHash
    )
    expect(new Set(ids)).toEqual(new Set(demoReport.data.findings.map((f) => f.id)))
  })

  it('does not depend on the order findings arrive in', () => {
    const { data } = demoReport
    const reversed = { ...demoReport, data: { ...data, findings: [...data.findings].reverse() } }
    expect(formatReport(reversed, 'sarif')).toBe(formatReport(demoReport, 'sarif'))
  })

  it('says in one sentence who forwards what to where and why', () => {
    const result = sarif().runs[0].results.find(
      (r: { properties: { user: string } }) => r.properties.user === 'j.ortiz@contoso.com'
    )
    expect(result.message.text).toBe(
      'j.ortiz@contoso.com forwards all mail to external address j.ortiz.backup@proton.me with hidden inbox rule " " (forward); top factors: match_all_forwarding (40), external_forwarding (30), hidden_rule (30).'
    )
    expect(result.properties).toMatchObject({
      user: 'j.ortiz@contoso.com',
      destination: 'j.ortiz.backup@proton.me',
      risk_score: 100,
      hidden: true,
      external: true,
    })
    expect(result.properties.risk_factors).toHaveLength(hiddenRule.risk_factors.length)
  })

  it('a rule name cannot inject control characters into the alert message', () => {
    const hostile = sarif(hostileReport).runs[0].results.find(
      (r: { properties: { destination: string } }) =>
        r.properties.destination === 'lee@contoso-payroll.com'
    )
    expect(hostile.message.text).not.toMatch(/[\u0000-\u001f]/)
    expect(hostile.message.text).toContain('\\x1b[31m')
  })

  it('keeps suppressed findings as results with an accepted external suppression', () => {
    const results = sarif().runs[0].results
    const suppressed = results.filter((r: { suppressions?: unknown }) => r.suppressions)
    expect(suppressed).toHaveLength(demoReport.data.summary.suppressed)
    const zendesk = suppressed.find(
      (r: { properties: { destination: string } }) =>
        r.properties.destination === 'support@contoso.zendesk.com'
    )
    expect(zendesk.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification:
          'Support intake: the shared mailbox redirects customer mail to our Zendesk instance, which opens the tickets.',
      },
    ])
  })

  it('marks an incomplete audit as an unsuccessful execution with the reasons', () => {
    const [invocation] = sarif().runs[0].invocations
    expect(invocation.executionSuccessful).toBe(false)
    expect(invocation.toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: '2 mailbox(es) could not be read' } },
    ])
    expect(invocation.startTimeUtc).toBe('2026-11-22T12:00:00.000Z')
    expect(invocation.endTimeUtc).toBe('2026-11-22T12:00:00.000Z')
    const clean = sarif(cleanReport).runs[0].invocations[0]
    expect(clean.executionSuccessful).toBe(true)
    expect(clean.toolExecutionNotifications).toBeUndefined()
  })

  it('carries the summary counts in the run properties', () => {
    expect(sarif().runs[0].properties).toEqual({
      tenant: 'contoso.onmicrosoft.com',
      mailboxes_requested: 'all',
      mailboxes_scanned: 36,
      mailboxes_skipped: 2,
      by_level: { critical: 11, high: 1, medium: 0, low: 2 },
      by_type: { inbox_rule: 8, smtp_forwarding: 4, journal_rule: 1, transport_rule: 1 },
      suppressed: 6,
      filtered_out: 0,
      complete: false,
    })
  })

  it('omits semanticVersion when no version is given', () => {
    expect(buildSarif(demoReport).runs[0]!.tool.driver).not.toHaveProperty('semanticVersion')
  })
})
