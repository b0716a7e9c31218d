/**
 * @module report/formats/allowlist-check
 * `forwarding-audit allowlist check` as text for a terminal: each entry, its reason, and the
 * findings it would suppress. Tenant text passes through `neutralize`, the table's escaping.
 */
import type { AllowlistEntryCheck } from '../../allowlist/apply.ts'
import { neutralize } from './safe-text.ts'

/** The check as lines of text; `audited` says whether findings were there to match. */
export function formatAllowlistCheck(checks: AllowlistEntryCheck[], audited: boolean): string {
  const lines: string[] = [`${checks.length} ${checks.length === 1 ? 'entry' : 'entries'}, valid`]
  for (const check of checks) {
    const state = check.expired ? ' (expired: suppresses nothing)' : ''
    lines.push('', `${neutralize(check.entry)}${state}`, `  reason: ${neutralize(check.reason)}`)
    if (!audited) continue
    if (check.matches.length === 0) lines.push('  matches no finding')
    for (const f of check.matches) {
      const rule = f.rule_name === null ? '' : ` rule ${JSON.stringify(neutralize(f.rule_name))}`
      const verb = check.expired ? 'would match' : 'suppresses'
      lines.push(
        `  ${verb} ${f.risk_level} ${f.type} ${neutralize(f.user)} -> ${neutralize(f.destination)}${rule}`
      )
    }
  }
  if (!audited) lines.push('', 'give --snapshot FILE to see what each entry would suppress')
  return `${lines.join('\n')}\n`
}
