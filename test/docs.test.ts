/**
 * docs/ tells the truth: the generated parts are current, every flag is documented, every
 * risk factor is in the table with its weight.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CLI_FLAGS } from '../cli/args.ts'
import { ERROR_STATUS, RISK_TABLE } from '../core/index.ts'
import { renderSchemas, withRiskTable } from '../scripts/schemas.ts'

const read = (path: string) => readFileSync(path, 'utf8')

describe('docs/', () => {
  it.each(Object.entries(renderSchemas()))(
    '%s is generated from the current schema',
    (path, text) => {
      expect(read(path), 'run npm run docs:generate').toBe(text)
    }
  )

  it('risk-scoring.md carries the current risk table', () => {
    const doc = read('docs/risk-scoring.md')
    expect(doc, 'run npm run docs:generate').toBe(withRiskTable(doc))
    for (const [category, { weight }] of Object.entries(RISK_TABLE)) {
      expect(doc).toMatch(new RegExp(`\\| \`${category}\` \\| \\+?${weight} \\|`))
    }
  })

  it('cli.md documents every flag the command accepts', () => {
    const doc = read('docs/cli.md')
    for (const flag of Object.keys(CLI_FLAGS)) expect(doc).toContain(`--${flag}`)
  })

  it('library.md lists every error code with the status the table gives it', () => {
    const doc = read('docs/library.md')
    for (const [code, { exit, http }] of Object.entries(ERROR_STATUS)) {
      expect(doc).toMatch(new RegExp(`\\| \`${code}\` \\| \`\\w+\` \\| ${exit} \\| ${http} \\|`))
    }
  })

  it('the README shows the set-up, start and test commands', () => {
    const readme = read('README.md')
    for (const command of ['npm ci', 'npm start', 'npm test']) expect(readme).toContain(command)
  })
})
