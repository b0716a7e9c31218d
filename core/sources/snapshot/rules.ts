/**
 * @module sources/snapshot/rules
 * A snapshot mailbox's inbox rules, checked as they are read: every rule's name and shape,
 * and the full schema for the rules that forward (the only ones the audit looks into).
 */
import type * as z from 'zod/mini'
import { InvalidInputError } from '../../errors/errors.ts'
import { optionalList } from '../../lib/lists.ts'
import { issuePath, mainIssue, safeParseInEnglish } from '../../lib/schema-check.ts'
import type { InboxRule } from '../../model/tenant.ts'
import { exchangeRuleForwards } from '../../normalize/exchange-inbox-rule.ts'
import { graphRuleForwards } from '../../normalize/graph-message-rule.ts'
import { folderIndex } from '../../normalize/mail-folders.ts'
import { forwardingRules } from '../../normalize/mailbox-rules.ts'
import {
  type RawExchangeInboxRule,
  type RawGraphMessageRule,
  rawExchangeInboxRule,
  rawGraphMessageRule,
} from '../../normalize/raw.ts'
import type { SnapshotMailboxEntry } from './schema.ts'

/** The forwarding rules of snapshot entry `index`; throws INVALID_SNAPSHOT naming the field. */
export function snapshotForwardingRules(entry: SnapshotMailboxEntry, index: number): InboxRule[] {
  const exchange = optionalList(entry.exchangeInboxRules)
  const graph = optionalList(entry.graphInboxRules)
  exchange?.forEach((rule, j) => {
    const path = `mailboxes[${index}].exchangeInboxRules[${j}]`
    if (typeof rule.Name !== 'string') fail(`${path}.Name`, 'expected a string (the rule name)')
    if (exchangeRuleForwards(rule)) check(rawExchangeInboxRule, rule, path)
  })
  graph?.forEach((rule, j) => {
    const path = `mailboxes[${index}].graphInboxRules[${j}]`
    if (
      rule.displayName !== undefined &&
      rule.displayName !== null &&
      typeof rule.displayName !== 'string'
    ) {
      fail(`${path}.displayName`, 'expected a string (the rule name)')
    }
    if (graphRuleForwards(rule)) check(rawGraphMessageRule, rule, path)
  })
  return forwardingRules(
    exchange as RawExchangeInboxRule[] | undefined,
    graph as RawGraphMessageRule[] | undefined,
    folderIndex(entry.mailFolders)
  )
}

function check(schema: z.ZodMiniType, rule: unknown, path: string): void {
  const result = safeParseInEnglish(schema, rule)
  if (result.success) return
  const issue = mainIssue(result.error.issues)
  fail(`${path}.${issuePath(issue.path)}`, issue.message.replace(/^Invalid input: /, ''))
}

function fail(field: string, message: string): never {
  throw new InvalidInputError(
    'INVALID_SNAPSHOT',
    `snapshot \`${field}\`: ${message}; see docs/snapshot.md`,
    field
  )
}
