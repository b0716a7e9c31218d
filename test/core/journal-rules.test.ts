/**
 * Journal rules (Get-JournalRule, docs/microsoft-apis.md §5.11): one admin cmdlet that copies
 * every message of its scope to an address of the admin's choice, outside Exchange Online. Read
 * with transport rules (both are organization-level), reported as `journal_rule` findings of
 * the organization.
 */
import { describe, expect, it } from 'vitest'
import { formatReport, parseAllowlist } from '../../core/index.ts'
import { normalizeJournalRule } from '../../core/normalize/journal-rule.ts'
import {
  audit,
  categoriesOf,
  daysBeforeCapture,
  newJournalRuleRecord,
  onlyFinding,
  tenant,
} from './tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'
/** Journal rules are organization-level: read with transport rules, like them. */
const ORG = { all_users: true, include_transport_rules: true }
const VAULT = 'journal@ledgerline.example'

/** A tenant whose Default outbound policy blocks external automatic forwarding. */
const blockingTenant = () =>
  tenant()
    .mailbox(ALEX)
    .withBothViews()
    .controls({
      policies: [{ Name: 'Default', IsDefault: true, AutoForwardingMode: 'Off' }],
      remoteDomains: [{ Name: 'Default', DomainName: '*', AutoForwardEnabled: false }],
    })

describe('Get-JournalRule rows', () => {
  it('the REST shape: name, journal address, scope, recipient, state', () => {
    expect(
      normalizeJournalRule({
        Name: 'Brokerage Communications',
        Identity: 'Brokerage Communications',
        Guid: '0c6f7c8a-57a5-4bd6-9c2d-1f4a5b3e9d10',
        JournalEmailAddress: 'journal@archive.example',
        Recipient: 'brokers@contoso.com',
        Scope: 'External',
        Enabled: true,
        WhenChangedUTC: '2026-11-14T02:31:07.0000000Z',
      })
    ).toMatchObject({
      id: '0c6f7c8a-57a5-4bd6-9c2d-1f4a5b3e9d10',
      name: 'Brokerage Communications',
      enabled: true,
      journalEmailAddress: { address: 'journal@archive.example' },
      recipient: 'brokers@contoso.com',
      scope: 'External',
      whenChanged: '2026-11-14T02:31:07.000Z',
    })
  })

  it.each([
    [0, 'Internal'],
    [1, 'External'],
    [2, 'Global'],
    [null, 'Global'],
    ['global', 'Global'],
  ])('Scope %j (PowerShell without -EnumsAsStrings writes numbers) is %s', (scope, expected) => {
    const rule = normalizeJournalRule({
      Name: 'J',
      JournalEmailAddress: 'j@x.example',
      Scope: scope,
    })
    expect(rule.scope).toBe(expected)
  })

  it('a PowerShell SmtpAddress object and a missing Enabled are read, the rule counted as on', () => {
    const rule = normalizeJournalRule({
      Name: 'J',
      JournalEmailAddress: { Address: 'Journal@Archive.example', Local: 'Journal' },
      Recipient: { Address: 'cfo@contoso.com' },
    })
    expect(rule).toMatchObject({
      enabled: true,
      journalEmailAddress: { address: 'journal@archive.example' },
      recipient: 'cfo@contoso.com',
    })
  })
})

describe('a journal rule finding', () => {
  it('to an outside address, scope Global, for everyone, is critical: the whole tenant’s mail', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Records vault', JournalEmailAddress: VAULT }),
      ORG
    )
    expect(finding).toMatchObject({
      type: 'journal_rule',
      user: 'organization',
      destination: VAULT,
      external: true,
      rule_name: 'Records vault',
      action: 'journal',
      conditions: [],
      is_enabled: true,
      risk_score: 95,
      risk_level: 'critical',
    })
    expect(categoriesOf(finding)).toEqual([
      'external_forwarding',
      'match_all_forwarding',
      'organization_wide',
    ])
  })

  it('is read with transport rules, organization-level like them; a mailbox audit leaves it out', async () => {
    const snapshot = tenant()
      .mailbox(ALEX)
      .withBothViews()
      .journalRule({ Name: 'J', JournalEmailAddress: VAULT })
    const withRules = await audit(snapshot, { user: ALEX, include_transport_rules: true })
    expect(withRules.data.findings.map((f) => f.type)).toEqual(['journal_rule'])
    expect(withRules.data.summary.sources).toContain('snapshot:Get-JournalRule')
    const without = await audit(snapshot, { user: ALEX })
    expect(without.data.findings).toEqual([])
    expect(without.data.summary).toMatchObject({ complete: true, incomplete_reasons: [] })
  })

  it('for one recipient copies all of that person’s mail, not the organization’s', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'CFO', JournalEmailAddress: VAULT, Recipient: 'r.vogel@contoso.com' }),
      ORG
    )
    expect(categoriesOf(finding)).toEqual(['external_forwarding', 'match_all_forwarding'])
    expect(finding.conditions).toEqual(['sent to or from "r.vogel@contoso.com"'])
    expect(finding.risk_score).toBe(70)
  })

  it('with scope External takes every message of one direction of the whole organization’s mail', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Ext', JournalEmailAddress: VAULT, Scope: 'External' }),
      ORG
    )
    expect(categoriesOf(finding)).toEqual([
      'external_forwarding',
      'match_all_forwarding',
      'organization_wide',
    ])
    expect(finding.conditions).toEqual(['scope External: mail to or from outside the organization'])
    expect(finding.risk_score).toBe(95)
  })

  it('that is disabled stays a finding, 40 points lower', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Old archive', JournalEmailAddress: VAULT, Enabled: false }),
      ORG
    )
    expect(finding).toMatchObject({ is_enabled: false, risk_score: 55 })
    expect(categoriesOf(finding)).toContain('disabled')
  })

  it('naming a mail contact journals to the contact’s outside address', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .mailContact('Records Vault', VAULT)
        .journalRule({ Name: 'Vault', JournalEmailAddress: 'Records Vault' }),
      ORG
    )
    expect(finding).toMatchObject({ destination: VAULT, external: true })
  })

  it('is not judged by the outbound spam policy: journal reports are not automatic forwarding', async () => {
    const finding = await onlyFinding(
      blockingTenant().journalRule({ Name: 'Vault', JournalEmailAddress: VAULT }),
      ORG
    )
    expect(finding.tenant_policy).toBeUndefined()
    expect(categoriesOf(finding)).not.toContain('blocked_by_tenant_policy')
  })

  it('is dated by its New-JournalRule audit record, and recent is a factor', async () => {
    const time = daysBeforeCapture(6)
    const finding = await onlyFinding(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Vault', JournalEmailAddress: VAULT })
        .audit(
          newJournalRuleRecord({
            time,
            actor: 'it-support2@contoso.com',
            clientIp: '203.0.113.54:40112',
            ruleName: 'Vault',
            parameters: { JournalEmailAddress: VAULT, Enabled: 'True' },
          })
        ),
      ORG
    )
    expect(finding.created_at).toBe(new Date(`${time}Z`).toISOString())
    expect(finding.provenance?.[0]).toMatchObject({
      operation: 'New-JournalRule',
      actor: 'it-support2@contoso.com',
      client_ip: '203.0.113.54',
    })
    expect(categoriesOf(finding)).toContain('recently_created')
  })

  it('an allowlist entry of type journal_rule suppresses it', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [
        {
          type: 'journal_rule',
          rule_name: 'Vault',
          destination: VAULT,
          reason: 'Records retention with the archiving vendor (ticket CHG-0042)',
        },
      ],
    })
    const report = await audit(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Vault', JournalEmailAddress: VAULT }),
      ORG,
      { allowlist }
    )
    expect(report.data.findings[0]?.suppressed?.reason).toMatch(/archiving vendor/)
    expect(report.meta.total_findings).toBe(0)
  })
})

describe('coverage', () => {
  it('a snapshot without journalRules was not read: the summary says so and is incomplete', async () => {
    const report = await audit(tenant().mailbox(ALEX).withBothViews().noJournalRules(), ORG)
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.incomplete_reasons).toEqual([
      expect.stringMatching(/^journal rules not read: the snapshot has no `journalRules`/),
    ])
    expect(report.data.summary.sources).not.toContain('snapshot:Get-JournalRule')
  })

  it('without include_transport_rules nothing organization-level was asked for, so nothing is missing', async () => {
    const report = await audit(tenant().mailbox(ALEX).withBothViews().noJournalRules(), {
      all_users: true,
    })
    expect(report.data.summary).toMatchObject({ complete: true, incomplete_reasons: [] })
  })

  it('an empty list was read: no journal rules, and nothing missing', async () => {
    const report = await audit(tenant().mailbox(ALEX).withBothViews(), ORG)
    expect(report.data.summary).toMatchObject({ complete: true, incomplete_reasons: [] })
    expect(report.data.summary.sources).toContain('snapshot:Get-JournalRule')
  })

  it('one rule written as a bare object (ConvertTo-Json without -AsArray) is a list of one', async () => {
    const snapshot = tenant().mailbox(ALEX).withBothViews().build()
    snapshot.journalRules = { Name: 'Vault', JournalEmailAddress: VAULT, Scope: 2, Enabled: true }
    const report = await audit(snapshot, ORG)
    expect(report.data.findings.map((f) => f.rule_name)).toEqual(['Vault'])
  })

  it('a rule without a journal address is an invalid snapshot, named by its field', async () => {
    const snapshot = tenant().mailbox(ALEX).withBothViews().build()
    snapshot.journalRules = [{ Name: 'Vault', Scope: 'Global' }]
    await expect(async () => audit(snapshot, ORG)).rejects.toMatchObject({
      code: 'INVALID_SNAPSHOT',
      field: expect.stringMatching(/^journalRules/),
    })
  })
})

describe('every format names the journal rule', () => {
  const report = () =>
    audit(
      tenant()
        .mailbox(ALEX)
        .withBothViews()
        .journalRule({ Name: 'Vault', JournalEmailAddress: VAULT }),
      ORG
    )

  it('table, csv, markdown, json', async () => {
    const r = await report()
    expect(formatReport(r, 'table')).toMatch(/critical\s+95\s+journal\s+organization/)
    expect(formatReport(r, 'csv')).toContain(',journal_rule,')
    expect(formatReport(r, 'markdown')).toContain('journal rule')
    expect(JSON.parse(formatReport(r, 'json')).meta.by_type).toEqual({ journal_rule: 1 })
  })

  it('sarif: a rule of its own kind, with how to investigate and remove it', async () => {
    const sarif = JSON.parse(formatReport(await report(), 'sarif'))
    const run = sarif.runs[0]
    expect(run.results[0].ruleId).toBe('T1114.003/journal_rule/critical')
    expect(run.results[0].message.text).toMatch(/^The organization forwards all mail to external/)
    const rule = run.tool.driver.rules[0]
    expect(rule.name).toBe('CriticalJournalRuleCollection')
    expect(rule.help.text).toContain('Get-JournalRule -Identity')
    expect(rule.help.text).toContain('Remove-JournalRule')
    expect(rule.properties.tags).toContain('forwarding/journal_rule')
  })
})
