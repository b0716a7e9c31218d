/**
 * @module allowlist/schema
 * A reviewed allowlist: the legitimate forwarding every tenant has (departing employees,
 * migrations, archiving, helpdesk connectors, phishing-report mailboxes). Each entry says why,
 * and may expire.
 */

import * as z from 'zod/mini'
import { isIsoDate } from '../lib/dates.ts'
import { FINDING_TYPES } from '../model/findings.ts'

const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/

export const allowlistEntrySchema = z
  .strictObject({
    destination: z
      .optional(z.string().check(z.minLength(1)))
      .check(
        z.describe('Destination address, or a domain (matches the domain and its subdomains)')
      ),
    mailbox: z
      .optional(z.string().check(z.minLength(1)))
      .check(z.describe('Mailbox UPN, or `organization` for transport and journal rules')),
    rule_name: z
      .optional(z.string())
      .check(
        z.describe(
          'Inbox, transport or journal rule name (case-insensitive); never matches mailbox forwarding'
        )
      ),
    finding_id: z
      .optional(z.string().check(z.minLength(1)))
      .check(z.describe('A finding id from an earlier report')),
    type: z.optional(z.enum(FINDING_TYPES)),
    reason: z
      .string({
        error: 'every allowlist entry needs a `reason`: say why this forwarding is legitimate',
      })
      .check(
        z.trim(),
        z.minLength(1, { error: 'every allowlist entry needs a non-empty `reason`' })
      ),
    expires: z.optional(
      z.string().check(
        z.refine((value) => DATE.test(value) && isIsoDate(value), {
          error: '`expires` must be a date that exists, such as 2027-01-31',
        })
      )
    ),
    reviewed_by: z.optional(z.string()),
  })
  .check(
    z.refine(
      (entry) =>
        entry.destination !== undefined ||
        entry.mailbox !== undefined ||
        entry.rule_name !== undefined ||
        entry.finding_id !== undefined,
      {
        error:
          'an allowlist entry must match on at least one of destination, mailbox, rule_name, finding_id',
      }
    )
  )

export const allowlistSchema = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.literal(1, { error: '`version` must be 1' }),
  entries: z.array(allowlistEntrySchema),
})

export type Allowlist = z.infer<typeof allowlistSchema>
export type AllowlistEntry = z.infer<typeof allowlistEntrySchema>
