/**
 * Fail loud: an empty value is never a default, missing credentials never fall back to the demo,
 * and output that cannot be written stops the run before the audit, or ends it cleanly.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { oneCleanLine, runCli } from './run-cli.ts'

describe('an empty value is a usage error, never a default', () => {
  it.each([
    [['--fail-on', ''], '--fail-on'],
    [['--snapshot', ''], '--snapshot'],
    [['--snapshot='], '--snapshot'],
    [['--allowlist='], '--allowlist'],
    [['--output='], '--output'],
    [['--since', ' '], '--since'],
  ])('%j', (args, flag) => {
    const result = runCli(args)
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toContain(`${flag} is empty`)
  })
})

describe('credentials: all or nothing', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a tenant id that is set but empty',
      { AZURE_TENANT_ID: '', AZURE_CLIENT_ID: 'app', AZURE_CLIENT_SECRET: 's' },
      /AZURE_TENANT_ID .*is set but empty/,
    ],
    [
      'a client id that is set but empty',
      { AZURE_TENANT_ID: 'contoso.onmicrosoft.com', AZURE_CLIENT_ID: '' },
      /AZURE_CLIENT_ID .*is set but empty/,
    ],
    [
      'an authority host without credentials',
      { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us' },
      /AZURE_AUTHORITY_HOST is set, but no credential is: set AZURE_TENANT_ID/,
    ],
    [
      'a Graph endpoint without credentials',
      { GRAPH_ENDPOINT: 'https://graph.microsoft.us' },
      /GRAPH_ENDPOINT is set, but no credential is/,
    ],
    [
      'a certificate password without the certificate',
      { AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw' },
      /AZURE_CLIENT_CERTIFICATE_PASSWORD is set, but no credential is/,
    ],
    [
      'a secret without the ids',
      { AZURE_CLIENT_SECRET: 's3cret-value' },
      /AZURE_TENANT_ID .*is not set/,
    ],
    [
      'ids without a credential',
      { AZURE_TENANT_ID: 'contoso.onmicrosoft.com', AZURE_CLIENT_ID: 'app' },
      /no credential: set AZURE_CLIENT_SECRET/,
    ],
    [
      'an empty secret',
      {
        AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
        AZURE_CLIENT_ID: 'app',
        AZURE_CLIENT_SECRET: '',
      },
      /AZURE_CLIENT_SECRET is set but empty/,
    ],
  ]
  it.each(cases)('%s is an error naming what is missing, not the demo', (_, env, message) => {
    const result = runCli(['--fail-on', 'high'], env)
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toMatch(message)
    expect(result.stdout).toBe('')
  })

  it('with no credential variable at all it audits the demo and says so', () => {
    const result = runCli(['--format', 'json'])
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/auditing the bundled demo tenant/)
    expect(JSON.parse(result.stdout).meta.tenant).toBe('demo')
  })

  it('the demo line says what is audited, not all mailboxes when one was asked for', () => {
    const result = runCli(['--user', 'r.vogel@contoso.com', '--format', 'json'])
    expect(result.status).toBe(0)
    expect(result.stderr).toMatch(/auditing the bundled demo tenant .*: r\.vogel@contoso\.com,/)
    expect(result.stderr).not.toMatch(/all mailboxes/)
  })

  it.each([
    ['--user', ['--user', 'r.vogel@contoso.com', '--user', 'e.rossi@contoso.com']],
    ['--fail-on', ['--fail-on', 'critical', '--fail-on=low']],
    ['--snapshot', ['--snapshot', 'a.json', '--snapshot', 'b.json']],
  ])('%s given twice is a usage error, not the last one silently', (flag, args) => {
    const result = runCli(args)
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toMatch(
      new RegExp(`^forwarding-audit: ${flag} is given twice`)
    )
    expect(result.stdout).toBe('')
  })
})

describe('output that cannot be written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-out-'))

  it.each([
    ['a missing directory', join(dir, 'nowhere', 'r.json'), /the directory .* does not exist/],
    ['a directory', dir, /is a directory/],
  ])('%s fails before the audit, naming --output', (_, path, message) => {
    const result = runCli(['--output', path])
    expect(result.status).toBe(2)
    const line = oneCleanLine(result.stderr)
    expect(line).toMatch(/--output/)
    expect(line).toMatch(message)
  })

  it('a full disk ends cleanly with exit 3, not the findings status', () => {
    const result = runCli(['--fail-on', 'low', '--output', '/dev/full'])
    expect(result.status).toBe(3)
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/--output \/dev\/full is full/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('a pipe closed by the reader ends cleanly with exit 3, not the findings status', async () => {
    const child = spawn(process.execPath, ['dist/cli.mjs', '--fail-on', 'low'], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    })
    // The reader goes away before the report is written, as `| head -0` would.
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(status).toBe(3)
    expect(stderr).toMatch(/standard output was closed before the whole report was written/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})

describe('provenance and sweep flags are checked before any work', () => {
  it.each([
    [['--hidden-sweep', 'some'], /--hidden-sweep must be one of all, changed, off/],
    [['--audit-log-days=-1'], /--audit-log-days must be a whole number/],
    [['--audit-log-days', '400'], /--audit-log-days must be at most 365/],
    [['--recent-days', '0'], /--recent-days must be at least 1/],
  ])('%j', (args, message) => {
    const result = runCli(args)
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toMatch(message)
  })
})
