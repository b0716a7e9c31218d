/**
 * Issue 7, input too big or wrong, through the installed command: limits before parsing,
 * named with the variable that raises them, and `--since` in UTC whatever the machine's zone.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newInboxRuleRecord, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { oneCleanLine, runCli } from './run-cli.ts'

const ALEX = 'alex.wilber@contoso.com'
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('input limits and dates through the command', () => {
  it('the command refuses a deeply nested snapshot with status 2, naming the variable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-limits-'))
    const file = join(dir, 'deep.json')
    writeFileSync(file, nested(2_000_000))
    const result = runCli(['--snapshot', file, '--all-users'])
    expect(result.status).toBe(2)
    const line = oneCleanLine(result.stderr)
    expect(line).toMatch(/--snapshot .*deep\.json nests deeper than the limit of 64 levels/)
    expect(line).toContain('FORWARDING_AUDIT_MAX_JSON_DEPTH')
    // Each limit names its own variable: the size limit does nothing for depth.
    expect(line).not.toContain('FORWARDING_AUDIT_MAX_INPUT_MB')
  })
  it('the command refuses a file over FORWARDING_AUDIT_MAX_INPUT_MB before reading it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-limits-'))
    const file = join(dir, 'big.json')
    writeFileSync(file, ' '.repeat(2 * 1024 * 1024))
    const result = runCli(['--snapshot', file, '--all-users'], {
      FORWARDING_AUDIT_MAX_INPUT_MB: '1',
    })
    expect(result.status).toBe(2)
    const line = oneCleanLine(result.stderr)
    expect(line).toMatch(/is 2\.0 MiB, more than the limit of 1\.0 MiB/)
    expect(line).toContain('FORWARDING_AUDIT_MAX_INPUT_MB (now 1)')
    expect(line).not.toContain('FORWARDING_AUDIT_MAX_JSON_DEPTH')
  })
  it.each([
    ['the audit-log export', (file: string) => ['events', file]],
    [
      'an allowlist',
      (file: string) => ['events', 'test/fixtures/audit-log/records.jsonl', '--allowlist', file],
    ],
  ])('events refuses %s over FORWARDING_AUDIT_MAX_INPUT_MB before reading it', (_what, args) => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-limits-'))
    const file = join(dir, 'big.json')
    writeFileSync(file, ' '.repeat(2 * 1024 * 1024))
    const result = runCli(args(file), { FORWARDING_AUDIT_MAX_INPUT_MB: '1' })
    expect(result.status).toBe(2)
    const line = oneCleanLine(result.stderr)
    expect(line).toMatch(/big\.json is 2\.0 MiB, more than the limit of 1\.0 MiB/)
    expect(line).toContain('FORWARDING_AUDIT_MAX_INPUT_MB (now 1)')
  })
  it.each([[''], ['0'], ['lots']])('FORWARDING_AUDIT_MAX_INPUT_MB=%j is a usage error', (value) => {
    const result = runCli(['--all-users'], { FORWARDING_AUDIT_MAX_INPUT_MB: value })
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toContain('FORWARDING_AUDIT_MAX_INPUT_MB must be')
  })
  it('a --since without a zone is UTC, whatever the machine’s time zone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-since-'))
    const file = join(dir, 'tenant.json')
    // Created 2026-11-17T02:00Z; a since of 2026-11-17T01:00 (UTC) keeps it, read in
    // New York time (06:00Z) it would not.
    const snapshot = tenant()
      .mailbox(ALEX)
      .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })
      .audit(
        newInboxRuleRecord({
          mailbox: ALEX,
          ruleName: 'Sync',
          actor: ALEX,
          time: '2026-11-17T02:00:00',
        })
      )
      .build()
    writeFileSync(file, JSON.stringify(snapshot))
    const args = ['--snapshot', file, '--all-users', '--format', 'json']
    for (const TZ of ['America/New_York', 'Asia/Tokyo']) {
      const result = runCli([...args, '--since', '2026-11-17T01:00'], { TZ })
      expect(result.status, result.stderr).toBe(0)
      expect(JSON.parse(result.stdout).data.findings, TZ).toHaveLength(1)
      const later = runCli([...args, '--since', '2026-11-17T03:00:00'], { TZ })
      expect(JSON.parse(later.stdout).data.findings, TZ).toHaveLength(0)
    }
  })
})
