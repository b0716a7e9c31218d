/**
 * action.yml is the action's contract with every workflow that uses it: only keys GitHub knows,
 * every input read by the running bundle and nothing read that is not declared, every output
 * set, and `runs` pointing at the committed bundle on node24.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { INPUT_NAMES } from '../../action/config.ts'
import { OUTPUT_NAMES } from '../../action/outputs.ts'
import { smtpTarget, tenant } from '../core/tenant-builder.ts'
import { newRunner, runAction } from './run-action.ts'

const action = parse(readFileSync('action.yml', 'utf8')) as Record<string, unknown>
const inputs = action.inputs as Record<string, Record<string, unknown>>
const outputs = action.outputs as Record<string, Record<string, unknown>>

// GitHub's metadata syntax for a JavaScript action (docs: metadata syntax for GitHub Actions).
const TOP_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
const RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if']

describe('action.yml', () => {
  it('has only keys GitHub knows, and the required ones', () => {
    expect(Object.keys(action).filter((key) => !TOP_KEYS.includes(key))).toEqual([])
    for (const key of ['name', 'description', 'runs']) expect(action).toHaveProperty(key)
    for (const [name, input] of Object.entries(inputs)) {
      expect(
        Object.keys(input).filter((key) => !INPUT_KEYS.includes(key)),
        name
      ).toEqual([])
      expect(typeof input.description, name).toBe('string')
    }
    for (const [name, output] of Object.entries(outputs)) {
      // A JavaScript action's outputs have a description only; `value` is for composite ones.
      expect(Object.keys(output), name).toEqual(['description'])
    }
    expect(Object.keys(action.runs as object).filter((key) => !RUNS_KEYS.includes(key))).toEqual([])
    expect((action.description as string).length).toBeLessThanOrEqual(125)
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'action/dist/index.js' })
    expect(existsSync('action/dist/index.js')).toBe(true)
  })

  it('declares exactly the inputs and outputs the action has', () => {
    expect(Object.keys(inputs).sort()).toEqual([...INPUT_NAMES].sort())
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  })

  it('defaults fail-on to high and command to audit, as the docs say', () => {
    expect(inputs['fail-on']?.default).toBe('high')
    expect(inputs.command?.default).toBe('audit')
  })

  it('the running bundle reads every declared input, and reads none that is not declared', async () => {
    const runner = newRunner()
    runner.file(
      'tenant.json',
      JSON.stringify(
        tenant()
          .mailbox('a@contoso.com')
          .inboxRule('a@contoso.com', {
            Name: 'Weekly report',
            SubjectContainsWords: ['weekly report'],
            ForwardTo: [smtpTarget('manager@contoso.com')],
          })
          .build()
      )
    )
    const trace = join(runner.temp, 'inputs.json')
    const run = await runAction(runner, {
      inputs: { snapshot: 'tenant.json', 'all-users': 'true', 'fail-on': 'critical' },
      env: { FA_TRACE_INPUTS: trace },
      nodeArgs: ['--import', new URL('./trace-inputs.mjs', import.meta.url).href],
    })
    expect(run.status, run.stdout).toBe(0)
    const read = JSON.parse(readFileSync(trace, 'utf8')) as string[]
    const declared = Object.keys(inputs).map((name) => `INPUT_${name.toUpperCase()}`)
    expect(read).toEqual(declared.sort())
    // ... and sets every declared output.
    expect(Object.keys(run.outputs).sort()).toEqual(Object.keys(outputs).sort())
  })

  it('inputs are read in the entry point only', () => {
    const files = readdirSync('action').filter((f) => f.endsWith('.ts') && f !== 'main.ts')
    for (const file of files) {
      expect(readFileSync(join('action', file), 'utf8'), file).not.toMatch(
        /\bget(Boolean|Multiline)?Input\(/
      )
    }
    expect(readFileSync('action/main.ts', 'utf8')).toMatch(/actions\.getInput\(/)
  })
})
