/**
 * Issue 7, messages made true: what the command says about itself matches what it does.
 */
import { describe, expect, it } from 'vitest'
import { oneCleanLine, runCli } from './run-cli.ts'

describe('help and messages', () => {
  it.each([['snapshot'], ['status'], ['allowlist']])(
    '%s --help is that command’s own help',
    (command) => {
      const result = runCli([command, '--help'])
      expect(result.status).toBe(0)
      expect(result.stdout.split('\n')[0]).toMatch(new RegExp(`^forwarding-audit ${command}`))
    }
  )

  it('snapshot refuses report flags it would ignore', () => {
    const result = runCli(['snapshot', '--all-users', '--format', 'csv', '--fail-on', 'high'])
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toContain('--format, --fail-on do not apply to snapshot')
  })

  it('a malformed --authority-host names its own variable and an authority as the example', () => {
    const result = runCli(['--all-users', '--authority-host', 'not a url'], {
      AZURE_TENANT_ID: 'contoso.onmicrosoft.com',
      AZURE_CLIENT_ID: 'app',
      AZURE_CLIENT_SECRET: 'secret',
    })
    expect(result.status).toBe(2)
    const line = oneCleanLine(result.stderr)
    expect(line).toContain('AZURE_AUTHORITY_HOST (or --authority-host)')
    expect(line).toContain('such as https://login.microsoftonline.com')
    expect(line).not.toContain('graph.microsoft.com')
  })

  it.each([
    ['--authority-host', 'https://login.example'],
    ['--cloud', 'usgov'],
  ])('%s without credentials is an error, never a demo run', (flag, value) => {
    const result = runCli(['--all-users', flag, value])
    expect(result.status).toBe(2)
    expect(oneCleanLine(result.stderr)).toContain(`${flag} only applies to a live audit`)
  })

  it('the help says --since is UTC without a zone, as it is', () => {
    expect(runCli(['--help']).stdout).toMatch(/--since DATE .*no zone\s+means UTC/s)
  })
})
