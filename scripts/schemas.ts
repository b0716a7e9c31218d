/**
 * The documents generated from code: JSON Schemas for the snapshot, the allowlist and the
 * request. Shared by the writer script and the test that checks docs/ is current.
 */
import { z } from 'zod'
import { allowlistSchema } from '../core/allowlist/schema.ts'
import { auditRequestSchema } from '../core/request/schema.ts'
import { tenantSnapshot } from '../core/sources/snapshot/schema.ts'

function jsonSchema(schema: z.ZodType, id: string, title: string): string {
  const body = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  })
  return `${JSON.stringify({ $id: id, title, ...body }, null, 2)}\n`
}

/** Path → file contents. */
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
  }
}
