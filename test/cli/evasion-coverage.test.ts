/**
 * Issue 7, coverage through the command: `allowlist check`, and retries said on stderr.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { retryReporter } from '../../cli/progress.ts'
import { smtpTarget, tenant } from '../core/tenant-builder.ts'
import { oneCleanLine, runCli } from './run-cli.ts'

const ALEX = 'alex.wilber@contoso.com'
const forward = { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] }

describe('coverage through the command', () => {
  it('`allowlist check` validates a file on its own and shows what each entry suppresses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fa-allow-'))
    const snapshot = join(dir, 'tenant.json')
    writeFileSync(snapshot, JSON.stringify(tenant().mailbox(ALEX).inboxRule(ALEX, forward).build()))
    const good = join(dir, 'allow.json')
    writeFileSync(
      good,
      JSON.stringify({
        version: 1,
        entries: [
          { destination: 'evil.example', reason: 'reviewed' },
          { mailbox: 'gone@contoso.com', reason: 'stale' },
        ],
      })
    )
    const checked = runCli(['allowlist', 'check', good, '--snapshot', snapshot])
    expect(checked.status, checked.stderr).toBe(0)
    expect(checked.stdout).toContain('entries[0] (destination=evil.example)')
    expect(checked.stdout).toMatch(
      /suppresses \w+ inbox_rule alex\.wilber@contoso\.com -> drop@evil\.example rule "Sync"/
    )
    expect(checked.stdout).toMatch(
      /entries\[1\] \(mailbox=gone@contoso.com\)\n {2}reason: stale\n {2}matches no finding/
    )
    const alone = runCli(['allowlist', 'check', good])
    expect(alone.status).toBe(0)
    expect(alone.stdout).toContain('give --snapshot FILE')
    const broad = join(dir, 'broad.json')
    writeFileSync(
      broad,
      JSON.stringify({ version: 1, entries: [{ destination: 'com', reason: 'x' }] })
    )
    const refused = runCli(['allowlist', 'check', broad])
    expect(refused.status).toBe(2)
    expect(oneCleanLine(refused.stderr)).toMatch(/entries\[0\]\.destination.*public suffix/)
  })

  it('the command says on stderr what it retries, throttling once per service', () => {
    let written = ''
    const stream = { write: (text: string) => (written += text) } as unknown as NodeJS.WriteStream
    const report = retryReporter(stream)
    report({
      api: 'token',
      status: 'network',
      delayMs: 2100,
      attempt: 1,
      reason: 'could not reach h (ECONNRESET)',
    })
    for (let i = 0; i < 5; i++) report({ api: 'graph', status: 429, delayMs: 1000, attempt: 1 })
    expect(written.split('\n').filter(Boolean)).toEqual([
      'retrying Microsoft Entra in 2.1 s (retry 1): could not reach h (ECONNRESET)',
      'retrying Microsoft Graph in 1.0 s (retry 1): HTTP 429',
    ])
  })
})
