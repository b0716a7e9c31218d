/**
 * @module report/formats/finding-view
 * What every human-facing format says about a finding, so the table, the markdown and the SARIF
 * messages order, label and explain findings the same way.
 */
import type { Finding, FindingType, RiskFactor, RiskLevel } from '../../model/findings.ts'

/** Most severe first, the order people read counts in. */
export const LEVELS_DESC: readonly RiskLevel[] = ['critical', 'high', 'medium', 'low']

/** Short readable names for finding types. */
export const TYPE_LABELS: Readonly<Record<FindingType, string>> = {
  smtp_forwarding: 'smtp forward',
  inbox_rule: 'inbox rule',
  transport_rule: 'transport rule',
  journal_rule: 'journal rule',
}

/** Flags a reader should see at a glance, most telling first (narrow tables cut from the end). */
export function findingFlags(f: Finding): string[] {
  const flags: string[] = []
  if (f.hidden) flags.push('hidden')
  // The mailbox keeps no copy: the owner never sees the mail the attacker receives.
  if (f.delivers_copy === false) flags.push('no copy')
  if (!f.is_enabled) flags.push('disabled')
  if (f.external) flags.push('external')
  if (f.tenant_policy?.external_forwarding_blocked) flags.push('blocked')
  if (f.tenant_policy?.external_forwarding_blocked === null) flags.push('policy unknown')
  if (f.created_at_unknown) flags.push('undated')
  if (f.suppressed) flags.push('suppressed')
  return flags
}

/** Risk factors, highest score first (stable for equal scores). */
export function factorsByScore(f: Finding): RiskFactor[] {
  return [...f.risk_factors].sort((a, b) => b.score - a.score)
}

/** `category:score;category:score` in the finding's own order, for machine-read columns. */
export function factorList(f: Finding): string {
  return f.risk_factors.map((r) => `${r.category}:${r.score}`).join(';')
}

/** The top `n` factors as `category (score)`, for one-line explanations. */
export function topFactors(f: Finding, n = 3): string[] {
  return factorsByScore(f)
    .slice(0, n)
    .map((r) => `${r.category} (${r.score})`)
}

/** One sentence: who forwards what to where, how, and why it scored as it did. */
export function describeFinding(f: Finding): string {
  const who = f.type === 'transport_rule' || f.type === 'journal_rule' ? 'The organization' : f.user
  const what =
    f.conditions.length > 0
      ? 'matching mail'
      : f.exceptions?.length
        ? `all mail except if ${f.exceptions.join(' or ')},`
        : 'all mail'
  const where = `${f.external ? 'external address ' : ''}${f.destination}`
  const rule = f.rule_name ?? '(unnamed)'
  let how: string
  if (f.type === 'smtp_forwarding') {
    how = `by mailbox SMTP forwarding${f.delivers_copy === false ? ' without keeping a copy' : ''}`
  } else {
    const kind =
      f.type === 'inbox_rule' ? `${f.hidden ? 'hidden ' : ''}inbox rule` : TYPE_LABELS[f.type]
    how = `with ${f.is_enabled ? '' : 'disabled '}${kind} "${rule}" (${f.action})`
  }
  const factors = topFactors(f)
  const why = factors.length > 0 ? `; top factors: ${factors.join(', ')}` : ''
  return `${who} forwards ${what} to ${where} ${how}${why}.`
}
