/**
 * @module normalize/rule-actions
 * Readable action lines for an inbox rule, shared by the Exchange and Graph normalizers.
 */
import { parseAddress } from '../lib/address.ts'
import type { InboxRuleActions, RecipientRef } from '../model/tenant.ts'
import { quote } from './rule-text.ts'

/**
 * Show a recipient by what it is, never by the name written beside it: an address (with its
 * punycode form beside a Unicode domain), else the target as written.
 */
export function recipientLabel(ref: RecipientRef): string {
  if (ref.address) return parseAddress(ref.address)?.label ?? ref.address
  return ref.raw ?? ref.legacyDn ?? ref.identity ?? '(unknown)'
}

/** Describe the actions of an inbox rule, one line each. */
export function describeActions(actions: Omit<InboxRuleActions, 'readable'>): string[] {
  const lines: string[] = []
  const targets = (label: string, refs: RecipientRef[]) => {
    if (refs.length > 0) lines.push(`${label} ${refs.map(recipientLabel).join(', ')}`)
  }
  targets('forward to', actions.forwardTo)
  targets('redirect to', actions.redirectTo)
  targets('forward as attachment to', actions.forwardAsAttachmentTo)
  if (actions.moveToFolder) lines.push(`move to folder ${quote(actions.moveToFolder)}`)
  if (actions.copyToFolder) lines.push(`copy to folder ${quote(actions.copyToFolder)}`)
  if (actions.markAsRead) lines.push('mark as read')
  if (actions.delete) lines.push('delete (to Deleted Items)')
  if (actions.permanentDelete) lines.push('delete permanently')
  if (actions.stopProcessingRules) lines.push('stop processing more rules')
  return lines
}
