/**
 * `forwarding-audit --baseline`: the real command compares with a previous JSON report or a
 * snapshot, marks each finding, and exits 1 only for new or raised findings at --fail-on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { smtpTarget, type TenantBuilder, tenant } from '../core/tenant-builder.ts'
import { oneCleanLine, runCli } from './run-cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'fa-baseline-'))
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const snapshotFile = (name: string, builder: TenantBuilder) =>
  write(name, JSON.stringify(builder.build(), null, 2))

/** The committed state: one reviewed-looking forward that scores high. */
const base = () =>
  tenant()
    .mailbox('alice@contoso.com')
    .inboxRule('alice@contoso.com', {
      Name: 'Partner copy',
      ForwardTo: [smtpTarget('partner@fabrikam.com')],
    })
    .mailbox('bob@contoso.com')

/** The proposed state: bob gains a high-scoring forward; alice's is unchanged. */
const proposed = () =>
  base().inboxRule('bob@contoso.com', { Name: 'Sync', ForwardTo: [smtpTarget('bob@proton.me')] })

const AUDIT = ['--all-users', '--fail-on', 'high', '--format', 'json']

describe('forwarding-audit --baseline', () => {
  it('with a previous JSON report: exit 1 for the new finding, and the report says which is which', () => {
    const before = snapshotFile('before.json', base())
    const report = join(dir, 'before-report.json')
    expect(runCli(['--snapshot', before, ...AUDIT, '--output', report]).status).toBe(1)

    const after = snapshotFile('after.json', proposed())
    const { status, stdout, stderr } = runCli(['--snapshot', after, ...AUDIT, '--baseline', report])
    expect(status).toBe(1)
    expect(stderr).toMatch(
      /^1 finding\(s\) new or raised since --baseline at or above --fail-on high$/m
    )
    const json = JSON.parse(stdout)
    const byUser = Object.fromEntries(
      json.data.findings.map((f: { user: string; baseline: string }) => [f.user, f.baseline])
    )
    expect(byUser).toEqual({ 'alice@contoso.com': 'unchanged', 'bob@contoso.com': 'new' })
    expect(json.data.summary.baseline).toMatchObject({
      compared_with: `--baseline ${report}`,
      kind: 'report',
      new: 1,
      unchanged: 1,
      gone: 0,
    })
  })

  it('with a snapshot: the same comparison, and exit 0 when nothing new reaches --fail-on', () => {
    const before = snapshotFile('base-snapshot.json', base())
    const after = snapshotFile('after-snapshot.json', proposed())
    const failed = runCli(['--snapshot', after, ...AUDIT, '--baseline', before])
    expect(failed.status).toBe(1)
    expect(JSON.parse(failed.stdout).data.summary.baseline.kind).toBe('snapshot')

    // Without the baseline alice's high finding fails the gate; against it, it is unchanged.
    expect(runCli(['--snapshot', before, ...AUDIT]).status).toBe(1)
    const same = runCli(['--snapshot', before, ...AUDIT, '--baseline', before])
    expect(same.status).toBe(0)
    expect(JSON.parse(same.stdout).data.summary.baseline).toMatchObject({ new: 0, unchanged: 1 })
  })

  it('a file that is neither a report nor a snapshot exits 2 naming the flag', () => {
    const before = snapshotFile('base2.json', base())
    const { status, stderr } = runCli([
      '--snapshot',
      before,
      '--all-users',
      '--baseline',
      'demo/allowlist.json',
    ])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(
      /^forwarding-audit: --baseline demo\/allowlist\.json is neither a JSON report/
    )
  })

  it('a missing file exits 2 before any audit', () => {
    const { status, stderr } = runCli(['--all-users', '--baseline', join(dir, 'nope.json')])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/--baseline .*nope\.json does not exist/)
  })

  it('the snapshot command takes no baseline', () => {
    const { status, stderr } = runCli(['snapshot', '--baseline', 'x.json'])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(
      /--baseline compares audits of a tenant or snapshot: the snapshot command takes none/
    )
  })

  it('the SARIF log carries each result’s baseline state', () => {
    const before = snapshotFile('base3.json', base())
    const after = snapshotFile('after3.json', proposed())
    const { stdout } = runCli([
      '--snapshot',
      after,
      '--all-users',
      '--format',
      'sarif',
      '--baseline',
      before,
    ])
    const states = JSON.parse(stdout).runs[0].results.map(
      (r: { baselineState: string }) => r.baselineState
    )
    expect(states.sort()).toEqual(['new', 'unchanged'])
  })
})
