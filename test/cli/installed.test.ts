/**
 * The command as npm installs it: packed, then installed globally (a symlink named
 * `forwarding-audit` in a bin folder) and into a project (`node_modules/.bin`). A CI gate built
 * on it must run the audit and fail when it should, whatever path the command is called by.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
let dir: string
let global: string
let local: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fa-installed-'))
  // dist/ is built by the global setup; packing must not build again.
  execFileSync(npm, ['pack', process.cwd(), '--ignore-scripts', '--silent'], { cwd: dir })
  const tarball = join(dir, readdirSync(dir).find((name) => name.endsWith('.tgz'))!)
  const install = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--silent']
  execFileSync(npm, ['install', '-g', '--prefix', join(dir, 'prefix'), tarball, ...install])
  global = join(dir, 'prefix', 'bin', 'forwarding-audit')
  execFileSync(npm, ['init', '-y', '--silent'], { cwd: dir })
  execFileSync(npm, ['install', tarball, ...install], { cwd: dir })
  local = join(dir, 'node_modules', '.bin', 'forwarding-audit')
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(command: string, args: string[]) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AZURE_'))
  )
  return spawnSync(command, args, { encoding: 'utf8', env: { ...env, NO_COLOR: '1' } })
}

describe.each([
  ['a global install', () => global],
  ['a project install (node_modules/.bin)', () => local],
])('forwarding-audit from %s', (_, bin) => {
  it('audits the demo tenant and fails the gate on its high findings', () => {
    const result = run(bin(), ['--fail-on', 'high'])
    expect(result.stdout).toMatch(/critical/)
    expect(result.status).toBe(1)
  })

  it('refuses an unknown flag with exit 2', () => {
    const result = run(bin(), ['--no-such-flag'])
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/unknown flag --no-such-flag/)
  })

  it('prints its version', () => {
    expect(run(bin(), ['--version']).stdout).toMatch(/^forwarding-audit \d+\.\d+\.\d+/)
  })
})
