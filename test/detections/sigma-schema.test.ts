/**
 * Every rule in detections/ is valid Sigma: it validates against the Sigma specification's JSON
 * schema for its kind (detection or correlation), read from ../shared/schemas/sigma/ beside the
 * clone through test/shared-schemas.ts (never copied in), and carries what the project asks of
 * each rule: a UUID, a title, ATT&CK tags, a level and references. Where the schemas are
 * absent, one skipped test per schema says so.
 */
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { withSharedSchema } from '../shared-schemas.ts'
import { loadRules } from './sigma-evaluator.ts'

const rules = loadRules('detections')
const SCHEMA_FILES = {
  detection: 'sigma/sigma-specification__json-schema_sigma-detection-rule-schema.json',
  correlation: 'sigma/sigma-specification__json-schema_sigma-correlation-rules-schema.json',
} as const

const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)

describe('detections/ against the Sigma JSON schemas', () => {
  for (const kind of ['detection', 'correlation'] as const) {
    withSharedSchema(SCHEMA_FILES[kind], `Sigma ${kind} rules`, (schema) => {
      // `$schema` ends in `#`, which Ajv does not know as the 2020-12 meta-schema's id.
      delete schema.$schema
      const validate = ajv.compile(schema)
      it.each(rules.filter((rule) => rule.kind === kind).map((rule) => [rule.file, rule] as const))(
        `%s is a valid Sigma ${kind} rule`,
        (_file, rule) => {
          const valid = validate(rule.document)
          expect(validate.errors ?? [], 'schema errors').toEqual([])
          expect(valid).toBe(true)
        }
      )
      if (kind === 'detection') {
        it('the detection schema rejects a rule without a condition or with a bad id', () => {
          const rule = rules.find((r) => r.kind === 'detection')!.document
          expect(validate({ ...rule, detection: { selection: { Operation: 'x' } } })).toBe(false)
          expect(validate({ ...rule, id: 'df00tech-t1114-003' })).toBe(false)
        })
      }
    })
  }
})

describe('detections/ house rules', () => {
  it('holds the five detections and the spray correlation', () => {
    expect(rules.map((rule) => rule.kind).sort()).toEqual([
      'correlation',
      'detection',
      'detection',
      'detection',
      'detection',
      'detection',
    ])
  })

  it.each(rules.map((rule) => [rule.file, rule] as const))(
    '%s has a UUID, a title, ATT&CK tags for T1114.003, a level and references',
    (_file, rule) => {
      const d = rule.document
      expect(d.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(typeof d.title).toBe('string')
      expect(d.tags).toContain('attack.t1114.003')
      expect(d.tags).toContain('attack.collection')
      expect(['low', 'medium', 'high', 'critical']).toContain(d.level)
      expect((d.references as string[]).length).toBeGreaterThan(0)
      expect((d.falsepositives as string[]).length).toBeGreaterThan(0)
      if (rule.kind === 'detection') {
        expect(d.logsource).toMatchObject({ product: 'm365', service: 'audit' })
      }
    }
  )

  it('ids are unique, and the correlation names only rules that exist', () => {
    const ids = rules.map((rule) => rule.document.id)
    expect(new Set(ids).size).toBe(ids.length)
    const names = rules.flatMap((rule) =>
      rule.kind === 'detection' && rule.name ? [rule.name] : []
    )
    for (const rule of rules) {
      if (rule.kind === 'correlation') {
        for (const name of rule.correlation.rules) expect(names).toContain(name)
      }
    }
  })
})
