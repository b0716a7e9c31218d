/**
 * The parts of docs/ generated from code, so the docs cannot drift from what the code does:
 * JSON Schemas for the snapshot, the allowlist and the request, the API's OpenAPI document
 * and the risk table.
 * `npm run docs:generate` writes them; test/docs.test.ts checks they are current.
 */
import * as z from 'zod/mini'
import { allowlistSchema } from '../core/allowlist/schema.ts'
import { auditRequestSchema } from '../core/request/schema.ts'
import { RISK_TABLE, type RiskFactorDefinition } from '../core/risk/risk-table.ts'
import { tenantSnapshot } from '../core/sources/snapshot/schema.ts'
import { openApiDocument } from './openapi.ts'

function jsonSchema(schema: z.ZodMiniType, id: string, title: string): string {
  const body = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  })
  return `${JSON.stringify({ $id: id, title, ...body }, null, 2)}\n`
}

/** Schema files: path → contents. */
export function renderSchemas(): Record<string, string> {
  return {
    'docs/snapshot.schema.json': jsonSchema(
      tenantSnapshot,
      'snapshot.schema.json',
      'forwarding-audit tenant snapshot v1'
    ),
    'docs/allowlist.schema.json': jsonSchema(
      allowlistSchema,
      'allowlist.schema.json',
      'forwarding-audit allowlist v1'
    ),
    'docs/request.schema.json': jsonSchema(
      auditRequestSchema,
      'request.schema.json',
      'forwarding-audit request'
    ),
    'docs/openapi.json': `${JSON.stringify(openApiDocument(), null, 2)}\n`,
  }
}

export const RISK_TABLE_START = '<!-- risk-table:start (generated from core/risk/risk-table.ts) -->'
export const RISK_TABLE_END = '<!-- risk-table:end -->'

/** The risk table as markdown. */
export function renderRiskTable(): string {
  const rows = Object.entries(RISK_TABLE as Record<string, RiskFactorDefinition>).map(
    ([category, d]) =>
      `| \`${category}\` | ${d.weight > 0 ? '+' : ''}${d.weight} | ${d.summary} | ${d.source} |`
  )
  return [
    RISK_TABLE_START,
    '| category | weight | meaning | from |',
    '| --- | ---: | --- | --- |',
    ...rows,
    RISK_TABLE_END,
  ].join('\n')
}

/** Replace the generated block inside a document. */
export function withRiskTable(document: string): string {
  const start = document.indexOf(RISK_TABLE_START)
  const end = document.indexOf(RISK_TABLE_END)
  if (start < 0 || end < 0) throw new Error('docs/risk-scoring.md lacks the risk-table markers')
  return document.slice(0, start) + renderRiskTable() + document.slice(end + RISK_TABLE_END.length)
}
