/**
 * @module allowlist/schema
 * A reviewed allowlist: the legitimate forwarding every tenant has (departing employees,
 * migrations, archiving, helpdesk connectors, phishing-report mailboxes). Each entry says why,
 * and may expire.
 */
import { parse } from 'tldts'
import * as z from 'zod/mini'
import { isIsoDate } from '../lib/dates.ts'
import { FINDING_TYPES } from '../model/findings.ts'

const DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/

export const allowlistEntrySchema = z
  .strictObject({
    destination: z
      .optional(
        z.string().check(
          z.minLength(1),
          z.refine((value) => broadDestination(value) === undefined, {
            error: (issue) =>
              `\`destination\` ${JSON.stringify(issue.input)} matches too broadly: ${broadDestination(String(issue.input))}; name an address or one organization's domain`,
          })
        )
      )
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

const TENANT_SUFFIXES = [
  'onmicrosoft.com',
  'onmicrosoft.us',
  'onmicrosoft.de',
  'partner.onmschina.cn',
]

/**
 * Why a destination entry would cover far more than one reviewed forward, or undefined. A
 * domain entry covers the domain and every subdomain, so `com`, `co.uk`, `onmicrosoft.com` or
 * `*` would suppress every attacker's forward under it (public suffixes via tldts).
 */
export function broadDestination(value: string): string | undefined {
  const text = value.trim().toLowerCase()
  if (text.includes('*')) return 'wildcards are not patterns here, and `*` would cover everything'
  if (text.includes('@')) return undefined
  const domain = text.replace(/^\.+/, '').replace(/\.+$/, '')
  if (domain === '') return 'it names no domain'
  const parsed = parse(domain, { allowPrivateDomains: true })
  if (parsed.publicSuffix === domain) {
    return `${domain} is a public suffix: every organization's domain under it would match`
  }
  // Not on the public suffix list, but every tenant (an attacker's too) gets a domain under it.
  if (TENANT_SUFFIXES.includes(domain)) {
    return `${domain} holds every Microsoft 365 tenant's initial domain, an attacker's too`
  }
  return undefined
}

export const allowlistSchema = z.strictObject({
  $schema: z.optional(z.string()),
  version: z.literal(1, { error: '`version` must be 1' }),
  entries: z.array(allowlistEntrySchema),
})

export type Allowlist = z.infer<typeof allowlistSchema>
export type AllowlistEntry = z.infer<typeof allowlistEntrySchema>
