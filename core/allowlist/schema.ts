/**
 * @module allowlist/schema
 * A reviewed allowlist: the legitimate forwarding every tenant has (departing employees,
 * migrations, archiving, helpdesk connectors, phishing-report mailboxes). Each entry says why,
 * and may expire.
 */
import { z } from 'zod'

const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}))?$/

export const allowlistEntrySchema = z
  .strictObject({
    destination: z
      .string()
      .min(1)
      .optional()
      .describe('Destination address, or a domain (matches the domain and its subdomains)'),
    mailbox: z
      .string()
      .min(1)
      .optional()
      .describe('Mailbox UPN, or `organization` for transport rules'),
    rule_name: z
      .string()
      .optional()
      .describe(
        'Inbox or transport rule name (case-insensitive); never matches mailbox forwarding'
      ),
    finding_id: z.string().min(1).optional().describe('A finding id from an earlier report'),
    type: z.enum(['smtp_forwarding', 'inbox_rule', 'transport_rule']).optional(),
    reason: z
      .string({
        error: 'every allowlist entry needs a `reason`: say why this forwarding is legitimate',
      })
      .trim()
      .min(1, { error: 'every allowlist entry needs a non-empty `reason`' }),
    expires: z
      .string()
      .refine((value) => DATE.test(value) && !Number.isNaN(Date.parse(value)), {
        error: '`expires` must be a real date such as 2027-01-31',
      })
      .optional(),
    reviewed_by: z.string().optional(),
  })
  .refine(
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

export const allowlistSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1, { error: '`version` must be 1' }),
  entries: z.array(allowlistEntrySchema),
})

export type Allowlist = z.infer<typeof allowlistSchema>
export type AllowlistEntry = z.infer<typeof allowlistEntrySchema>
