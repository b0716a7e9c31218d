/**
 * The forwarding-audit command end to end: real process, real files, real exit codes.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI_FLAGS } from '../../cli/args.ts'
import { oneCleanLine, runCli } from './run-cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'fa-cli-'))
const write = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const demo = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))

describe('with no snapshot and no credentials', () => {
  it('audits the bundled demo tenant, says so in one stderr line, and prints the findings table', () => {
    const { status, stdout, stderr } = runCli([])
    expect(status).toBe(0)
    expect(oneCleanLine(stderr)).toMatch(/bundled demo tenant/)
    expect(stdout).toMatch(/^LEVEL\s+SCORE\s+TYPE\s+MAILBOX\s+DESTINATION/m)
    for (const text of [
      'svc-retention@',
      'j.ortiz.backup@',
      'ap.contoso@gmail.com',
      'cfo.personal@',
    ]) {
      expect(stdout).toContain(text)
    }
    expect(stdout).not.toMatch(/\u001b\[/)
  })
})

describe('--explain', () => {
  it('prints the factors under every finding, not only under the high and critical ones', () => {
    const plain = runCli([])
    const explained = runCli(['--explain'])
    expect(explained.status).toBe(0)
    // Under a high or critical finding either way; under the low internal report only with --explain.
    expect(plain.stdout).toMatch(
      /^\s+\+30 {2}external_forwarding: Forwards to external address: ap\.contoso@gmail\.com$/m
    )
    expect(plain.stdout).not.toMatch(/internal_destination: p\.novak@contoso\.com/)
    expect(explained.stdout).toMatch(
      /^\s+-20 {2}internal_destination: p\.novak@contoso\.com is inside/m
    )
  })
})

describe('npm start', () => {
  it('passes its arguments to the command: npm start -- --format json --output r.json', () => {
    const out = join(dir, 'npm-start.json')
    const result = spawnSync(
      'npm',
      ['start', '--silent', '--', '--format', 'json', '--output', out],
      {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
        timeout: 60_000,
      }
    )
    expect(result.status, result.stderr).toBe(0)
    const report = JSON.parse(readFileSync(out, 'utf8'))
    expect(report.meta.total_findings).toBeGreaterThan(0)
  })
})

describe('--format json --output', () => {
  it('writes exactly the documented envelope', () => {
    const out = join(dir, 'r.json')
    const { status } = runCli(['--format', 'json', '--output', out])
    expect(status).toBe(0)
    const report = JSON.parse(readFileSync(out, 'utf8'))
    expect(Object.keys(report).sort()).toEqual(['data', 'meta'])
    expect(Object.keys(report.data).sort()).toEqual(['findings', 'summary'])
    expect(Object.keys(report.meta).sort()).toEqual(
      ['by_type', 'critical', 'high', 'low', 'medium', 'tenant', 'total_findings'].sort()
    )
    // No credentials, no snapshot: the bundled demo, and the report says so.
    expect(report.meta.tenant).toBe('demo')
    expect(report.meta.total_findings).toBe(report.data.findings.length)
  })

  it('takes the format from the output file extension', () => {
    const out = join(dir, 'r.sarif')
    expect(runCli(['--output', out]).status).toBe(0)
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe('2.1.0')
  })
})

describe('bad input exits 2 with one line that names what to fix', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['--frobnicate'], /unknown flag --frobnicate/],
    ['a bad date', ['--all-users', '--since', 'yesterday'], /--since.*ISO 8601/],
    ['--user with --all-users', ['--user', 'a@contoso.com', '--all-users'], /--user.*--all-users/],
    ['a malformed UPN', ['--user', 'not-an-address'], /--user.*user principal name/],
    ['concurrency out of range', ['--all-users', '--concurrency', '51'], /--concurrency.*50/],
    ['a non-numeric batch', ['--all-users', '--batch', 'ten'], /--batch must be a whole number/],
    ['an unknown format', ['--format', 'xml'], /--format must be one of/],
    [
      'an unknown risk level',
      ['--all-users', '--risk-threshold', 'severe'],
      /--risk-threshold must be one of/,
    ],
    [
      'a missing snapshot file',
      ['--all-users', '--snapshot', '/nonexistent/t.json'],
      /--snapshot .* does not exist/,
    ],
    ['a missing flag value', ['--all-users', '--since'], /--since needs a value/],
    [
      'a value that looks like a flag',
      ['--all-users', '--audit-log-days', '-1'],
      /--audit-log-days needs a value \(write one that starts with a dash as --audit-log-days=VALUE\)/,
    ],
    ['a value for a switch', ['--all-users=yes'], /--all-users takes no value/],
  ]
  it.each(cases)('%s', (_name, args, message) => {
    const { status, stderr } = runCli(args)
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(message)
  })

  it('a snapshot that is not JSON', () => {
    const { status, stderr } = runCli([
      '--all-users',
      '--snapshot',
      write('bad.json', '{"format": '),
    ])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/--snapshot .* is not valid JSON/)
  })

  it('a malformed snapshot names the field', () => {
    const broken = structuredClone(demo)
    delete broken.mailboxes[3].mailbox.UserPrincipalName
    const { status, stderr } = runCli([
      '--all-users',
      '--snapshot',
      write('broken.json', JSON.stringify(broken)),
    ])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/mailboxes\[3\]\.mailbox\.UserPrincipalName/)
  })

  it('a file that is not a snapshot says what a snapshot is', () => {
    const { status, stderr } = runCli([
      '--all-users',
      '--snapshot',
      write('other.json', '{"hello": 1}'),
    ])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/not a tenant snapshot/)
  })

  it('an allowlist entry without a reason', () => {
    const path = write(
      'allow.json',
      JSON.stringify({ version: 1, entries: [{ mailbox: 'a@contoso.com' }] })
    )
    const { status, stderr } = runCli(['--allowlist', path])
    expect(status).toBe(2)
    expect(oneCleanLine(stderr)).toMatch(/entries\[0\]\.reason/)
  })
})

describe('exit status', () => {
  it('is 1 when an unsuppressed finding reaches --fail-on', () => {
    const { status, stderr } = runCli(['--fail-on', 'critical', '--format', 'json'])
    expect(status).toBe(1)
    expect(stderr).toMatch(/at or above --fail-on critical/)
  })

  it('is 0 when every finding at the --fail-on level is allowlisted or filtered', () => {
    const { status } = runCli([
      '--snapshot',
      'demo/contoso-tenant.json',
      '--user',
      'support@contoso.com',
      '--allowlist',
      'demo/allowlist.json',
      '--fail-on',
      'low',
    ])
    expect(status).toBe(0)
  })
})

describe('a snapshot and a user file', () => {
  it('audits only the listed mailboxes and names the one it cannot find', () => {
    const users = write('users.txt', '# targets\nr.vogel@contoso.com\n\nnobody@contoso.com\n')
    const snapshot = write('tenant.json', JSON.stringify(demo))
    const { status, stdout, stderr } = runCli([
      '--snapshot',
      snapshot,
      '--user-file',
      users,
      '--format',
      'json',
    ])
    expect(status).toBe(0)
    expect(stderr).toBe('')
    const report = JSON.parse(stdout)
    expect(new Set(report.data.findings.map((f: { user: string }) => f.user))).toEqual(
      new Set(['r.vogel@contoso.com'])
    )
    expect(report.data.summary.skipped).toEqual([
      { mailbox: 'nobody@contoso.com', code: 'MAILBOX_NOT_FOUND', reason: expect.any(String) },
    ])
    expect(report.data.summary.complete).toBe(false)
  })
})

describe('--help and --version', () => {
  it('--help lists every flag the command accepts', () => {
    const { status, stdout } = runCli(['--help'])
    expect(status).toBe(0)
    for (const flag of Object.keys(CLI_FLAGS)) expect(stdout).toContain(`--${flag}`)
  })

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(runCli(['--version']).stdout.trim()).toBe(`forwarding-audit ${pkg.version}`)
  })
})
