/**
 * @module request/schema
 * The audit request: the seed API's body, one schema for the CLI, the worker and the action.
 * Every message names the field and the fix.
 */
import * as z from 'zod/mini'
import { isUpn } from '../lib/address.ts'
import { isIsoDate } from '../lib/dates.ts'
import { RISK_LEVELS } from '../model/findings.ts'

const upn = (field: string) =>
  z
    .string({
      error: `\`${field}\` must be a string: a user principal name such as alex@contoso.com`,
    })
    .check(
      z.trim(),
      z.refine(isUpn, {
        error: (issue) =>
          `\`${field}\` is not a valid user principal name (${JSON.stringify(issue.input)}): use the form alex@contoso.com`,
      })
    )

const bool = (field: string) => z.boolean({ error: `\`${field}\` must be true or false` })

const intIn = (field: string, min: number, max: number, fallback: number) =>
  z._default(
    z
      .number({ error: `\`${field}\` must be a whole number from ${min} to ${max}` })
      .check(
        z.int({ error: `\`${field}\` must be a whole number from ${min} to ${max}` }),
        z.minimum(min, { error: `\`${field}\` must be at least ${min}` }),
        z.maximum(max, { error: `\`${field}\` must be at most ${max}` })
      ),
    fallback
  )

/** ISO 8601 date (`2026-01-01`) or date-time, a day that exists; without a zone it is UTC. */
const since = z
  .string({ error: '`since` must be an ISO 8601 date such as 2026-01-01 or 2026-01-01T00:00:00Z' })
  .check(
    z.refine(isIsoDate, {
      error: (issue) =>
        `\`since\` is not an ISO 8601 date that exists (${JSON.stringify(issue.input)}): use 2026-01-01 or 2026-01-01T00:00:00Z (no zone means UTC)`,
    })
  )

/** `all`: every mailbox; `changed`: those the audit log shows changing rules; `off`: none. */
export const HIDDEN_SWEEP_MODES = ['all', 'changed', 'off'] as const
export type HiddenSweepMode = (typeof HIDDEN_SWEEP_MODES)[number]

export const auditRequestSchema = z
  .strictObject(
    {
      user: z
        .optional(upn('user'))
        .check(z.describe('Target user UPN. Required unless all_users or users.')),
      users: z
        .optional(
          z
            .array(upn('users[]'), { error: '`users` must be a list of user principal names' })
            .check(
              z.minLength(1, { error: '`users` is empty: list at least one user principal name' })
            )
        )
        .check(z.describe('Several target UPNs (what the CLI reads from --user-file).')),
      all_users: z
        ._default(bool('all_users'), false)
        .check(z.describe('Audit every mailbox in the tenant.')),
      external_only: z
        ._default(bool('external_only'), false)
        .check(z.describe('Only return findings that forward outside the accepted domains.')),
      flag_freemail: z
        ._default(bool('flag_freemail'), false)
        .check(z.describe('Add a risk factor for freemail provider destinations.')),
      include_transport_rules: z
        ._default(bool('include_transport_rules'), false)
        .check(
          z.describe(
            'Include organization-level rules: Exchange transport (mail flow) rules, journal rules, and the outbound connectors transport rules route through.'
          )
        ),
      include_inbox_rules: z
        ._default(bool('include_inbox_rules'), true)
        .check(z.describe('Include inbox rules with forward/redirect actions.')),
      since: z
        .optional(since)
        .check(
          z.describe(
            'Only include forwarding created at or after this ISO 8601 date or time (no zone means UTC); forwarding of unknown creation time is kept and marked.'
          )
        ),
      risk_threshold: z
        ._default(
          z.enum(RISK_LEVELS, {
            error: `\`risk_threshold\` must be one of ${RISK_LEVELS.join(', ')}`,
          }),
          'low'
        )
        .check(z.describe('Minimum risk level to include.')),
      recent_days: intIn('recent_days', 1, 365, 7).check(
        z.describe('Days before the audit that count as "recently created" (audit log times).')
      ),
      audit_log_days: intIn('audit_log_days', 0, 365, 90).check(
        z.describe('Days of unified audit log a live audit reads for provenance; 0 reads none.')
      ),
      hidden_sweep: z
        ._default(
          z.enum(HIDDEN_SWEEP_MODES, {
            error: `\`hidden_sweep\` must be one of ${HIDDEN_SWEEP_MODES.join(', ')}`,
          }),
          'all'
        )
        .check(
          z.describe(
            'Get-InboxRule -IncludeHidden for all mailboxes, only those the audit log shows changing, or none.'
          )
        ),
      concurrency: intIn('concurrency', 1, 50, 5).check(z.describe('Max parallel mailbox scans.')),
      batch: intIn('batch', 1, 1000, 10).check(
        z.describe(
          'Mailboxes per unit of work in multi-user scans; a live scan rounds it up to whole Graph batches of 20.'
        )
      ),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.map((k) => `\`${k}\``).join(', ')}: remove it (fields are ${AUDIT_REQUEST_FIELDS.join(', ')})`
          : 'the request body must be a JSON object',
    }
  )
  .check(
    z.superRefine((request, ctx) => {
      const targets = [request.user && 'user', request.users && 'users'].filter(Boolean)
      if (request.all_users && targets.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: [targets[0] as string],
          message: `\`${targets[0]}\` and \`all_users\` exclude each other: give one of them`,
        })
      } else if (targets.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['user'],
          message: '`user` and `users` exclude each other: give one of them',
        })
      } else if (!request.all_users && targets.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['user'],
          message:
            '`user` is required when `all_users` is false: name a mailbox or set `all_users`',
        })
      }
    })
  )

export const AUDIT_REQUEST_FIELDS = [
  'user',
  'users',
  'all_users',
  'external_only',
  'flag_freemail',
  'include_transport_rules',
  'include_inbox_rules',
  'since',
  'risk_threshold',
  'recent_days',
  'audit_log_days',
  'hidden_sweep',
  'concurrency',
  'batch',
] as const

/** A validated request with every default filled in. */
export type AuditRequest = z.output<typeof auditRequestSchema>
/** What a caller may send. */
export type AuditRequestInput = z.input<typeof auditRequestSchema>
