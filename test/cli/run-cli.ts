/**
 * Runs the built CLI (dist/cli.mjs, built by test/cli/build-setup.ts) as a real child process,
 * the way a user or a CI job runs it.
 */
import { spawn, spawnSync } from 'node:child_process'

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('AZURE_') && key !== 'FORCE_COLOR'
    )
  )
}

/**
 * Run the CLI without blocking this process: needed when this process also serves the
 * Microsoft 365 simulator the CLI talks to.
 */
export function runCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${process.cwd()}/dist/cli.mjs`, ...args], {
      env: { ...cleanEnv(), NO_COLOR: '1', ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

/** Run `forwarding-audit ARGS` with a clean environment (no credentials, no colour). */
export function runCli(args: string[], env: Record<string, string> = {}, cwd?: string): CliResult {
  const clean = cleanEnv()
  const result = spawnSync(process.execPath, [`${process.cwd()}/dist/cli.mjs`, ...args], {
    encoding: 'utf8',
    env: { ...clean, NO_COLOR: '1', ...env },
    ...(cwd ? { cwd } : {}),
    timeout: 60_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The stderr of a failed run is one line and no stack trace. */
export function oneCleanLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  if (lines.length !== 1) throw new Error(`expected one line on stderr, got:\n${stderr}`)
  if (/^\s+at |Error:|\.ts:\d+|\.mjs:\d+/m.test(stderr))
    throw new Error(`stack trace on stderr:\n${stderr}`)
  return lines[0] as string
}
