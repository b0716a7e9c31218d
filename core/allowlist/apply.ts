/**
 * @module allowlist/apply
 * Marks findings an allowlist entry covers as suppressed, with the reason. Suppressed findings
 * stay in the report (JSON, SARIF) but leave the counts and the exit code. An expired entry
 * suppresses nothing and is named in the summary.
 */
import { InvalidInputError } from '../errors/errors.ts'
import { labelAddress, parseAddress } from '../lib/address.ts'
import { DEFAULT_INPUT_LIMITS, type InputLimits, parseJsonDocument } from '../lib/bytes.ts'
import { parseIsoDate } from '../lib/dates.ts'
import { domainForms } from '../lib/idn.ts'
import { issuePath, safeParseInEnglish } from '../lib/schema-check.ts'
import type { Finding } from '../model/findings.ts'
import { refuseProviderDomains } from './provider-domains.ts'
import { type Allowlist, type AllowlistEntry, allowlistSchema } from './schema.ts'
import { sharedDomainEntry } from './shared-domains.ts'

/**
 * Validate an allowlist: a parsed document, or the bytes of its file (`name` is how the user
 * knows it). Throws INVALID_ALLOWLIST naming the entry and field.
 * @example
 * const allowlist = parseAllowlist(await readFile('allowlist.json'), '--allowlist allowlist.json')
 */
export function parseAllowlist(
  input: unknown,
  name = 'allowlist',
  limits: InputLimits = DEFAULT_INPUT_LIMITS.file
): Allowlist {
  const document =
    input instanceof Uint8Array
      ? parseJsonDocument(
          input,
          { code: 'INVALID_ALLOWLIST', name, fix: 'see docs/allowlist.md for the format' },
          limits
        )
      : input
  const result = safeParseInEnglish(allowlistSchema, document)
  if (result.success) {
    const shared = sharedDomainEntry(result.data)
    if (shared) {
      throw new InvalidInputError(
        'INVALID_ALLOWLIST',
        `${name} \`${shared.field}\`: ${shared.message}`,
        shared.field
      )
    }
    return result.data
  }
  const issue = result.error.issues[0]!
  const field = issuePath(issue.path)
  throw new InvalidInputError(
    'INVALID_ALLOWLIST',
    field
      ? `${name} \`${field}\`: ${issue.message}`
      : `${name}: ${issue.message}; an allowlist is { "version": 1, "entries": [...] } (docs/allowlist.md)`,
    field || undefined
  )
}

/**
 * The findings with those an entry covers marked suppressed, the expired entries, and the
 * active entries that matched no finding (a stale or mistyped entry is worth a look), described.
 */
export function applyAllowlist(
  findings: readonly Finding[],
  allowlist: Allowlist,
  now: Date
): { findings: Finding[]; expired: string[]; unmatched: string[] } {
  const expired: string[] = []
  const active: { entry: AllowlistEntry; label: string }[] = []
  allowlist.entries.forEach((entry, index) => {
    const label = describeEntry(entry, index)
    if (entry.expires && endOf(entry.expires) < now.getTime()) {
      expired.push(`${label} expired on ${entry.expires}: it no longer suppresses anything`)
    } else {
      active.push({ entry, label })
    }
  })
  const used = new Set<string>()
  const marked = findings.map((finding): Finding => {
    const match = active.find(({ entry }) => entryMatches(entry, finding))
    if (!match) return finding
    used.add(match.label)
    const suppressed = {
      reason: match.entry.reason,
      entry: match.label,
      ...(match.entry.expires ? { expires: match.entry.expires } : {}),
    }
    return { ...finding, suppressed }
  })
  const unmatched = active
    .filter(({ entry, label }) => !used.has(label) && !findings.some((f) => entryMatches(entry, f)))
    .map(({ label }) => `${label} matched no finding`)
  return { findings: marked, expired, unmatched }
}

/** What one allowlist entry does to a report's findings. */
export interface AllowlistEntryCheck {
  /** `entries[3] (destination=…, mailbox=…)`. */
  entry: string
  reason: string
  expired: boolean
  /** The findings it matches (an earlier entry may be the one that suppresses them). */
  matches: Finding[]
}

/**
 * Each entry of a valid allowlist with the findings of `findings` it would suppress: what
 * `forwarding-audit allowlist check` shows. Run the audit without the allowlist first. Throws
 * INVALID_ALLOWLIST, as runAudit would, for an entry covering a whole mail provider's domain.
 * @example
 * const checks = await checkAllowlist(parseAllowlist(bytes), report.data.findings, new Date())
 */
export async function checkAllowlist(
  allowlist: Allowlist,
  findings: readonly Finding[],
  now: Date
): Promise<AllowlistEntryCheck[]> {
  await refuseProviderDomains(allowlist)
  return allowlist.entries.map((entry, index) => ({
    entry: describeEntry(entry, index),
    reason: entry.reason,
    expired: entry.expires !== undefined && endOf(entry.expires) < now.getTime(),
    matches: findings.filter((finding) => entryMatches(entry, finding)),
  }))
}

function entryMatches(entry: AllowlistEntry, finding: Finding): boolean {
  if (entry.finding_id && entry.finding_id !== finding.id) return false
  if (entry.type && entry.type !== finding.type) return false
  if (entry.mailbox && entry.mailbox.trim().toLowerCase() !== finding.user) return false
  // Mailbox forwarding has no rule: a rule_name entry, even "", never covers it.
  if (
    entry.rule_name !== undefined &&
    (finding.rule_name === null ||
      entry.rule_name.trim().toLowerCase() !== finding.rule_name.trim().toLowerCase())
  ) {
    return false
  }
  if (entry.destination && !destinationMatches(entry.destination, finding.destination)) return false
  return true
}

/**
 * An address matches itself; a domain matches addresses in it and in its subdomains. A
 * destination that never parsed as an address (raw text an attacker wrote) matches only an
 * entry that spells it exactly: a domain entry must not cover `x@evil.example@zendesk.com`.
 */
function destinationMatches(pattern: string, destination: string): boolean {
  const p = pattern.trim().toLowerCase()
  if (p === destination.toLowerCase()) return true
  const address = labelAddress(destination)
  if (!address) return false
  if (p.includes('@')) return (parseAddress(p)?.address ?? p) === address
  const domain = address.slice(address.lastIndexOf('@') + 1)
  const wanted = domainForms(p)?.ascii ?? p
  return domain === wanted || domain.endsWith(`.${wanted}`)
}

function describeEntry(entry: AllowlistEntry, index: number): string {
  const on = (['finding_id', 'destination', 'mailbox', 'rule_name'] as const)
    .filter((key) => entry[key] !== undefined)
    .map((key) => `${key}=${entry[key]}`)
    .join(', ')
  return `entries[${index}] (${on})`
}

/** A date-only expiry lasts through that whole day (UTC). */
function endOf(expires: string): number {
  const at = parseIsoDate(expires.length === 10 ? `${expires}T23:59:59.999Z` : expires)
  return at ?? Number.NEGATIVE_INFINITY
}
