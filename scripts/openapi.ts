/**
 * The worker's OpenAPI document, `docs/openapi.json`, served at `GET /api/v1/openapi.json`.
 * The request schema is core's (z.toJSONSchema of auditRequestSchema, the schema every adapter
 * validates with); the error codes and their statuses are core's table (ERROR_STATUS). The
 * envelope's schema is written here after core/model/findings.ts and is held to the real
 * responses: test/worker validates every response it gets against this document.
 * `npm run docs:generate` writes it; test/docs.test.ts fails when it is stale.
 */
import * as z from 'zod/mini'
import { ERROR_STATUS } from '../core/errors/error-status.ts'
import { FINDING_TYPES, RISK_LEVELS, SKIP_CODES, UNDATED_CODES } from '../core/model/findings.ts'
import { auditRequestSchema } from '../core/request/schema.ts'
import pkg from '../package.json' with { type: 'json' }

type Schema = Record<string, unknown>

const string: Schema = { type: 'string' }
const integer: Schema = { type: 'integer', minimum: 0 }
const counts: Schema = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } }
const object = (properties: Record<string, Schema>, optional: string[] = []): Schema => ({
  type: 'object',
  required: Object.keys(properties).filter((key) => !optional.includes(key)),
  properties,
  additionalProperties: false,
})
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` })
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] })

const riskLevel: Schema = { type: 'string', enum: [...RISK_LEVELS] }

const finding = object(
  {
    id: { ...string, description: 'Stable fingerprint of tenant, mailbox, rule and destination.' },
    type: { type: 'string', enum: [...FINDING_TYPES] },
    user: {
      ...string,
      description: 'UPN of the mailbox; `organization` for transport and journal rules.',
    },
    destination: string,
    external: { type: 'boolean' },
    risk_score: { type: 'integer', minimum: 0, maximum: 100 },
    risk_level: riskLevel,
    risk_factors: {
      type: 'array',
      items: object({ category: string, description: string, score: { type: 'integer' } }),
    },
    is_enabled: { type: 'boolean' },
    rule_name: nullable(string),
    created_at: nullable(string),
    modified_at: nullable(string),
    undated: object({ code: { type: 'string', enum: [...UNDATED_CODES] }, reason: string }),
    created_at_unknown: { type: 'boolean' },
    hidden: { type: 'boolean' },
    action: string,
    conditions: { type: 'array', items: string },
    exceptions: { type: 'array', items: string },
    actions: { type: 'array', items: string },
    delivers_copy: { type: 'boolean' },
    provenance: {
      type: 'array',
      items: object(
        {
          source: { const: 'audit_log' },
          record_id: string,
          operation: string,
          time: string,
          actor: string,
          actor_type: { type: 'string', enum: ['user', 'admin', 'service', 'application'] },
          client_ip: string,
          client_app: string,
        },
        ['actor', 'client_ip', 'client_app']
      ),
    },
    tenant_policy: object({
      external_forwarding_blocked: {
        type: ['boolean', 'null'],
        description:
          'Null when a group-scoped outbound spam policy decides and the mailbox’s group membership could not be read: nothing is subtracted.',
      },
      reason: string,
    }),
    suppressed: object({ reason: string, entry: string, expires: string }, ['expires']),
  },
  [
    'undated',
    'created_at_unknown',
    'exceptions',
    'delivers_copy',
    'provenance',
    'tenant_policy',
    'suppressed',
  ]
)

const mailboxReasons: Schema = { type: 'array', items: object({ mailbox: string, reason: string }) }
const auditLog = object(
  {
    read: { type: 'boolean' },
    source: string,
    start: string,
    end: string,
    records: integer,
    notes: { type: 'array', items: string },
    auditing: { type: 'array', items: string },
    unaudited_mailboxes: mailboxReasons,
  },
  ['source', 'start', 'end']
)
const sweepMode: Schema = { type: 'string', enum: ['all', 'changed', 'off'] }
const hiddenSweep = object(
  {
    mode: sweepMode,
    requested: sweepMode,
    swept: integer,
    swept_mailboxes: mailboxReasons,
    from_baseline: integer,
    not_swept: integer,
    note: string,
  },
  ['swept_mailboxes', 'note']
)

const summary = object(
  {
    tenant: string,
    mailboxes_requested: { anyOf: [integer, { const: 'all' }] },
    mailboxes_scanned: integer,
    mailboxes_skipped: integer,
    skipped: {
      type: 'array',
      items: object({
        mailbox: string,
        code: { type: 'string', enum: [...SKIP_CODES] },
        reason: string,
      }),
    },
    by_type: counts,
    by_level: object(Object.fromEntries(RISK_LEVELS.map((level) => [level, integer]))),
    suppressed: integer,
    filtered_out: integer,
    filtered_out_by: {
      ...object({ since: integer, risk_threshold: integer, external_only: integer }),
      description:
        'What each filter removed, in the order they run (since, risk_threshold, external_only); the allowlist runs after them.',
    },
    sources: { type: 'array', items: string },
    started_at: string,
    duration_ms: integer,
    complete: {
      type: 'boolean',
      description:
        'False when anything the request asked for was not seen: skipped mailboxes, the deadline or the request budget, or a view of the rules the data lacks; incomplete_reasons says which.',
    },
    incomplete_reasons: { type: 'array', items: string },
    request: { type: 'object' },
    expired_allowlist_entries: { type: 'array', items: string },
    unmatched_allowlist_entries: {
      type: 'array',
      items: string,
      description:
        'Allowlist entries that matched no finding (present when an allowlist was given).',
    },
    coverage: {
      type: 'array',
      items: string,
      description:
        'What the data held but the request left out, and how to include it (transport rules without include_transport_rules).',
    },
    audit_log: auditLog,
    hidden_sweep: hiddenSweep,
  },
  ['unmatched_allowlist_entries', 'coverage', 'hidden_sweep']
)

const auditResponse = object({
  data: object({ findings: { type: 'array', items: ref('Finding') }, summary: ref('Summary') }),
  meta: object({
    tenant: { ...string, description: '`demo` for the bundled demo tenant.' },
    total_findings: integer,
    by_type: counts,
    ...Object.fromEntries(RISK_LEVELS.map((level) => [level, integer])),
    credits_used: integer,
    credits_remaining: integer,
  }),
})

const check = object(
  {
    name: string,
    status: { type: 'string', enum: ['granted', 'missing', 'unknown'] },
    required: { type: 'boolean' },
    detail: string,
    fix: string,
  },
  ['fix']
)

const statusResponse = object({
  data: object({
    mode: { type: 'string', enum: ['live', 'demo'] },
    ok: { type: 'boolean' },
    tenant: string,
    checks: { type: 'array', items: check },
  }),
  meta: object({ credits_used: { const: 0 } }),
})

const codes = Object.keys(ERROR_STATUS)
const errorBody = object({
  error: object(
    {
      code: { type: 'string', enum: codes },
      message: string,
      details: { type: 'object' },
    },
    ['details']
  ),
})

/** Which codes each status of a route can carry, from core's table. */
function errorResponses(statuses: number[]): Record<string, Schema> {
  return Object.fromEntries(
    statuses.map((status) => {
      const list = codes.filter(
        (code) => ERROR_STATUS[code as keyof typeof ERROR_STATUS].http === status
      )
      return [
        String(status),
        {
          description: `Error: ${list.join(', ')}`,
          content: { 'application/json': { schema: ref('Error') } },
        },
      ]
    })
  )
}

function requestSchema(): Schema {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(auditRequestSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Schema
  return schema
}

const json = (schema: Schema) => ({ 'application/json': { schema } })

/** The OpenAPI 3.1 document. */
export function openApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'forwarding-audit',
      version: pkg.version,
      description:
        'Audits Microsoft 365 mailboxes for mail forwarding that could exfiltrate data (MITRE ATT&CK T1114.003). See docs/api.md.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
      schemas: {
        AuditRequest: requestSchema(),
        AuditResponse: auditResponse,
        Finding: finding,
        Summary: summary,
        StatusResponse: statusResponse,
        Error: errorBody,
      },
    },
    paths: {
      '/api/v1/bec/forwarding-audit': {
        post: {
          summary: 'Audit mailboxes for forwarding; costs 5 credits',
          security: [{ bearer: ['bec:read'] }],
          requestBody: { required: true, content: json(ref('AuditRequest')) },
          responses: {
            200: { description: 'The audit report', content: json(ref('AuditResponse')) },
            ...errorResponses([400, 401, 402, 403, 413, 415, 422, 429, 500, 502, 503, 504]),
          },
        },
      },
      '/api/v1/bec/status': {
        get: {
          summary: 'Check the tokens, permissions and roles a live audit needs; no credits',
          security: [{ bearer: ['bec:read'] }],
          responses: {
            200: {
              description: 'What is granted and what to grant',
              content: json(ref('StatusResponse')),
            },
            ...errorResponses([401, 403, 429, 500, 502, 503, 504]),
          },
        },
      },
      '/api/v1/openapi.json': {
        get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } },
      },
      '/healthz': {
        get: {
          summary: 'Liveness: no auth, no Microsoft 365 call',
          responses: {
            200: { description: 'ok', content: json(object({ status: { const: 'ok' } })) },
          },
        },
      },
    },
  }
}
