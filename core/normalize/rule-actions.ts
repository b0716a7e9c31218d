/**
 * @module normalize/rule-actions
 * Readable action lines for an inbox rule, shared by the Exchange and Graph normalizers.
 */
import type { InboxRuleActions, RecipientRef } from '../model/tenant.ts'
import { recipientText } from './recipients.ts'
import { quote } from './rule-text.ts'

/** Show a recipient the way an analyst recognises it. */
export function recipientLabel(ref: RecipientRef): string {
  return recipientText(ref) || '(unknown)'
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
