/**
 * @module normalize/journal-rule
 * A Get-JournalRule row (REST or PowerShell) to a JournalRule (docs/microsoft-apis.md §5.11).
 */
import type { JournalRule } from '../model/tenant.ts'
import { toIsoTime } from './dates.ts'
import type { RawJournalRule } from './raw.ts'
import { parseRecipient, parseRecipientList, recipientText } from './recipients.ts'

/**
 * JournalRuleScope as PowerShell writes it without -EnumsAsStrings: the enum declares Internal,
 * External, Global in that order without explicit values (Microsoft.Exchange.MessagingPolicies
 * .Journaling, seen in decompiled Exchange management code; §5.11).
 */
const SCOPE_NUMBERS: Record<number, string> = { 0: 'Internal', 1: 'External', 2: 'Global' }

/** Normalize one Get-JournalRule row. */
export function normalizeJournalRule(raw: RawJournalRule): JournalRule {
  const target = parseRecipient(raw.JournalEmailAddress)
  const recipient = recipientOf(raw.Recipient)
  const whenChanged = toIsoTime(raw.WhenChangedUTC ?? raw.WhenChanged)
  return {
    id: typeof raw.Guid === 'string' && raw.Guid ? raw.Guid : raw.Name,
    name: raw.Name,
    // A row without `Enabled` cannot say the rule is off: the enabled rule is the worse case.
    enabled: raw.Enabled !== false,
    // An empty target still names something: the report shows it as written, unresolved.
    journalEmailAddress: target ?? { identity: '(no journal address)' },
    ...(recipient ? { recipient } : {}),
    scope: scopeOf(raw.Scope),
    ...(whenChanged ? { whenChanged } : {}),
  }
}

/** Unset, or an unknown number, means Global: the widest scope, and Exchange's default. */
function scopeOf(scope: unknown): string {
  if (typeof scope === 'number') return SCOPE_NUMBERS[scope] ?? 'Global'
  if (typeof scope !== 'string' || scope.trim() === '') return 'Global'
  const known = ['Global', 'Internal', 'External'].find(
    (name) => name.toLowerCase() === scope.trim().toLowerCase()
  )
  return known ?? scope.trim()
}

/** `Recipient` is an SmtpAddress: a string over REST, an object from PowerShell. */
function recipientOf(value: unknown): string | undefined {
  const ref = parseRecipientList(value)[0]
  return ref ? recipientText(ref) || undefined : undefined
}
