/**
 * The committed action bundle auditing tenant snapshots, run as a runner runs it: outputs, the
 * JSON report, SARIF on the snapshot's lines, the job summary, pull-request annotations, the
 * baseline, the allowlist, and an exit status of 1 exactly when a finding reaches fail-on.
 */

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { smtpTarget, type TenantBuilder, tenant } from '../core/tenant-builder.ts'
import { outsideCodeSpans } from '../evasions/markdown-reading.ts'
import { type ActionRun, newRunner, type Runner, runAction } from './run-action.ts'
import { sarifSchemaTest } from './sarif-validator.ts'

const SNAPSHOT = 'tenant/snapshot.json'
const snapshotText = (builder: TenantBuilder) => `${JSON.stringify(builder.build(), null, 2)}\n`

/** The committed tenant: alice forwards to a partner (high). */
const committed = () =>
  tenant()
    .mailbox('alice@contoso.com')
    .inboxRule('alice@contoso.com', {
      Name: 'Partner copy',
      ForwardTo: [smtpTarget('partner@fabrikam.com')],
    })
    .mailbox('bob@contoso.com')
    .mailbox('carol@contoso.com', {
      ForwardingSmtpAddress: 'smtp:carol@fabrikam.com',
      DeliverToMailboxAndForward: true,
    })

/** A pull request that gives bob a forward to ProtonMail. */
const proposed = () =>
  committed().inboxRule('bob@contoso.com', {
    Name: 'Sync',
    ForwardTo: [smtpTarget('bob.sync@proton.me')],
  })

const errors = (run: ActionRun) => run.commands.filter((c) => c.command === 'error')
const lineOf = (text: string, needle: string) =>
  text.split('\n').findIndex((line) => line.includes(needle)) + 1

function audit(runner: Runner, inputs: Record<string, string>, event = 'push') {
  return runAction(runner, {
    inputs: { snapshot: SNAPSHOT, 'all-users': 'true', ...inputs },
    event,
  })
}

describe('the action on a snapshot', () => {
  it('sets every output, writes the JSON report and the job summary', async () => {
    const runner = newRunner()
    runner.file(SNAPSHOT, snapshotText(committed()))
    const run = await audit(runner, { 'fail-on': 'critical' })
    expect(run.status, run.stdout).toBe(0)
    expect(run.outputs).toMatchObject({
      'total-findings': '2',
      'new-findings': '2',
      failed: 'false',
      'snapshot-path': `${runner.workspace}/${SNAPSHOT}`,
    })
    expect(Number(run.outputs.high) + Number(run.outputs.medium)).toBe(2)
    const report = JSON.parse(readFileSync(run.outputs['report-path']!, 'utf8'))
    expect(report.meta.total_findings).toBe(2)
    expect(run.summary).toContain('**Passed:** no finding reaches `fail-on: critical`.')
    expect(run.summary).toContain('`partner@fabrikam.com`')
  })

  it('exits 1 exactly when a finding reaches fail-on', async () => {
    const runner = newRunner()
    runner.file(SNAPSHOT, snapshotText(committed()))
    const levels = JSON.parse(
      readFileSync((await audit(runner, {})).outputs['report-path']!, 'utf8')
    ).data.findings.map((f: { risk_level: string }) => f.risk_level)
    expect(levels).toContain('high')
    expect(levels).not.toContain('critical')
    for (const [failOn, status] of [
      ['critical', 0],
      ['high', 1],
      ['medium', 1],
      ['low', 1],
    ] as const) {
      const run = await audit(runner, { 'fail-on': failOn })
      expect(run.status, failOn).toBe(status)
      expect(run.outputs.failed).toBe(String(status === 1))
      if (status === 1) {
        expect(errors(run).at(-1)?.message).toMatch(new RegExp(`at or above fail-on ${failOn}`))
      }
    }
  })

  it('allowlisted findings are suppressed, never a failure, and SARIF says why', async () => {
    const runner = newRunner()
    runner.file(SNAPSHOT, snapshotText(committed()))
    runner.file(
      'allowlist.json',
      JSON.stringify({
        version: 1,
        entries: [{ destination: 'fabrikam.com', reason: 'partner contract, reviewed by SOC' }],
      })
    )
    const run = await audit(runner, { allowlist: 'allowlist.json', 'fail-on': 'low' })
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({ 'total-findings': '0', failed: 'false' })
    const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8'))
    const suppressions = sarif.runs[0].results.map((r: { suppressions: unknown }) => r.suppressions)
    expect(suppressions).toEqual([
      [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'partner contract, reviewed by SOC',
        },
      ],
      [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'partner contract, reviewed by SOC',
        },
      ],
    ])
    expect(run.summary).toContain('2 suppressed by the allowlist')
  })

  it('SARIF results point at the snapshot file, on the line of the rule or the forwarding', async () => {
    const runner = newRunner()
    const text = snapshotText(committed())
    runner.file(SNAPSHOT, text)
    const run = await audit(runner, {})
    const sarif = JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8'))
    const places = sarif.runs[0].results.map(
      (r: {
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }
        }[]
      }) => r.locations[0]!.physicalLocation
    )
    expect(places).toEqual(
      expect.arrayContaining([
        {
          artifactLocation: { uri: SNAPSHOT },
          region: { startLine: lineOf(text, '"Name": "Partner copy"') },
        },
        {
          artifactLocation: { uri: SNAPSHOT },
          region: { startLine: lineOf(text, '"ForwardingSmtpAddress": "smtp:carol@fabrikam.com"') },
        },
      ])
    )
  })

  sarifSchemaTest('the SARIF log validates against the SARIF 2.1.0 schema', async (validate) => {
    const runner = newRunner()
    runner.file(SNAPSHOT, readFileSync('demo/contoso-tenant.json', 'utf8'))
    runner.file('allowlist.json', readFileSync('demo/allowlist.json', 'utf8'))
    const run = await audit(runner, {
      allowlist: 'allowlist.json',
      'include-transport-rules': 'true',
    })
    const ok = validate(JSON.parse(readFileSync(run.outputs['sarif-path']!, 'utf8')))
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })
})

describe('the pull-request gate', () => {
  async function gate(head: TenantBuilder, inputs: Record<string, string> = {}) {
    const runner = newRunner()
    const text = snapshotText(head)
    runner.file(SNAPSHOT, text)
    // What the documented workflow's step does: the base branch's snapshot, beside the checkout.
    runner.file('../runner-temp/base-snapshot.json', snapshotText(committed()))
    const run = await audit(
      runner,
      { baseline: `${runner.temp}/base-snapshot.json`, 'fail-on': 'high', ...inputs },
      'pull_request'
    )
    return { run, text }
  }

  it('fails on what the change adds, with an annotation on its line, and not on what was there', async () => {
    const { run, text } = await gate(proposed())
    expect(run.status).toBe(1)
    expect(run.outputs['new-findings']).toBe('1')
    const annotations = errors(run).filter((c) => c.properties.file)
    expect(annotations).toEqual([
      {
        command: 'error',
        properties: expect.objectContaining({
          file: SNAPSHOT,
          line: String(lineOf(text, '"Name": "Sync"')),
          title: expect.stringMatching(/^forwarding-audit: new (high|critical) inbox rule/),
        }),
        message: expect.stringContaining('bob.sync@proton.me'),
      },
    ])
    expect(errors(run).at(-1)?.message).toBe(
      '1 finding(s) new or raised since the baseline at or above fail-on high; see the job summary'
    )
    expect(run.summary).toContain('### New and raised findings')
    expect(run.summary).toContain('| new | 1 |')
    expect(run.summary).toContain('| unchanged | 2 |')
  })

  it('passes a change that adds nothing, though the tenant has high findings', async () => {
    const { run } = await gate(committed())
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({ 'new-findings': '0', failed: 'false', high: '2' })
    expect(errors(run)).toEqual([])
    expect(run.summary).toContain('**Passed:** no finding new or raised since the baseline reaches')
  })

  it('annotates a new finding below fail-on as a warning, and does not fail', async () => {
    const head = committed().inboxRule('bob@contoso.com', {
      Name: 'Weekly report',
      SubjectContainsWords: ['weekly report'],
      ForwardTo: [smtpTarget('manager@contoso.com')],
    })
    const { run } = await gate(head)
    expect(run.status).toBe(0)
    const warnings = run.commands.filter((c) => c.command === 'warning' && c.properties.file)
    expect(warnings.map((w) => w.properties.file)).toEqual([SNAPSHOT])
  })

  it('keeps hostile rule names inert in the annotations and the summary', async () => {
    const hostile =
      'x\n::error file=.github/workflows/ci.yml,line=1::forged%0A::add-mask::,line=9 <img src=x onerror=alert(1)> [login](https://evil.example) @contoso/admins'
    const head = committed().inboxRule('bob@contoso.com', {
      Name: hostile,
      ForwardTo: [smtpTarget('drop@evil.example')],
    })
    const { run, text } = await gate(head)
    expect(run.status).toBe(1)
    // Only our own commands: one annotation and the failure; nothing forged by the rule name.
    expect(run.commands.filter((c) => c.command === 'error')).toHaveLength(2)
    expect(run.commands.some((c) => c.command === 'add-mask')).toBe(false)
    const [annotation] = errors(run)
    expect(annotation?.properties.file).toBe(SNAPSHOT)
    expect(annotation?.properties.line).toBe(String(lineOf(text, '"Name": "x\\n::error')))
    expect(annotation?.message).not.toMatch(/\n/)
    expect(annotation?.message).toContain('x\\x0a::error file=')
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error')).length).toBe(2)
    // Attacker text is in code spans, where GitHub makes no tag or link of it.
    expect(outsideCodeSpans(run.summary)).not.toMatch(/<img/i)
    expect(outsideCodeSpans(run.summary)).not.toMatch(/\]\(https:/)
    expect(run.summary).not.toMatch(/^::/m)
  })
})

describe('inputs are checked before any work, and each error names the input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'fail-on',
      { 'fail-on': 'severe' },
      /^fail-on must be one of low, medium, high, critical, not "severe"$/,
    ],
    ['a boolean', { 'all-users': 'yes' }, /^all-users must be true or false, not "yes"$/],
    ['command', { command: 'delete' }, /^command must be audit or snapshot, not "delete"$/],
    ['a number', { concurrency: 'many' }, /^concurrency must be a whole number, not "many"$/],
    [
      'a request field',
      { 'risk-threshold': 'extreme' },
      /risk-threshold must be one of low, medium, high, critical/,
    ],
    ['a missing snapshot', { snapshot: 'nope.json' }, /^snapshot nope\.json does not exist/],
    [
      'a snapshot with live inputs',
      { 'tenant-id': 'contoso.onmicrosoft.com' },
      /^tenant-id is for live audits, and snapshot is set/,
    ],
    ['a bad allowlist', { allowlist: 'tenant/snapshot.json' }, /^allowlist/],
    [
      'two credentials',
      { snapshot: '', 'client-secret': 's', 'client-certificate': 'c' },
      /^client-secret and client-certificate are both set/,
    ],
    [
      'snapshot inputs on the snapshot command',
      { command: 'snapshot' },
      /^snapshot is for audits: command snapshot exports the live tenant/,
    ],
  ]

  it.each(cases)('%s', async (_, inputs, message) => {
    const runner = newRunner()
    runner.file(SNAPSHOT, snapshotText(committed()))
    const run = await audit(runner, inputs)
    expect(run.status, run.stdout).toBe(2)
    expect(errors(run).map((e) => e.message)).toEqual([expect.stringMatching(message)])
    expect(run.outputs).toEqual({})
    expect(run.stdout).not.toMatch(/\n\s+at /)
  })

  it('nothing to audit: no snapshot and no tenant', async () => {
    const run = await runAction(newRunner(), { inputs: { 'all-users': 'true' } })
    expect(run.status).toBe(2)
    expect(errors(run)[0]?.message).toMatch(/^nothing to audit: set snapshot/)
  })
})
