/**
 * docs/api.md tells an operator everything the worker reads and everything it can answer:
 * every setting worker/config.ts reads (and the launchers pass on), every error code.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERROR_STATUS } from '../../core/index.ts'
// @ts-expect-error: a plain ESM script without types
import { SETTINGS } from '../../scripts/worker-settings.mjs'

/** Codes the API never answers with, and why. */
const NOT_FROM_THE_API: Record<string, string> = {
  INVALID_SNAPSHOT: 'the API reads no snapshot document',
  INVALID_ALLOWLIST: 'the API takes no allowlist',
  OUTPUT_FAILED: "the command's output file",
  INVALID_AUDIT_LOG: 'the API reads no audit-log export file',
  INVALID_BASELINE: 'the API takes no baseline report',
}

const doc = readFileSync('docs/api.md', 'utf8')
const config = readFileSync('worker/config.ts', 'utf8')
const read = [...config.matchAll(/read\.\w+\(\s*'([A-Z_]+)'/g)].map((m) => m[1] as string)

describe('docs/api.md', () => {
  it('the worker reads settings (or this test lost track of them)', () => {
    expect(read).toContain('JWT_ISSUER')
    expect(read.length).toBeGreaterThan(15)
  })

  it.each(read)('documents %s, which the launchers pass on', (name) => {
    expect(doc).toContain(`\`${name}\``)
    expect(SETTINGS).toContain(name)
  })

  it.each(Object.entries(ERROR_STATUS).filter(([code]) => !(code in NOT_FROM_THE_API)))(
    'documents %s with its status',
    (code, { http }) => {
      // The worker's own settings are the operator's mistake, never the caller's: a 500.
      const status = code === 'INVALID_SETTING' ? 500 : http
      const row = doc
        .split('\n')
        .find((line) => line.startsWith(`| ${status} |`) && line.includes(`\`${code}\``))
      expect(row, `no row "| ${status} | ... \`${code}\`" in the errors table`).toBeDefined()
    }
  )
})
