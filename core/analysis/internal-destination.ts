/**
 * @module analysis/internal-destination
 * Forwarding that stays inside the tenant. T1114.003 is collection: an internal forward is not
 * exfiltration by itself, and the Sigma rule's first false positive is a leaver's mail going to
 * their manager. So an internal destination carries `internal_destination` (a mitigation), and
 * what makes one suspicious raises it again: an account created just before the forward (LAPSUS$
 * made accounts to forward to), a user mailbox nobody signs in to (disabled or unlicensed), and,
 * elsewhere, a destination hidden from the address lists, several mailboxes collecting into one,
 * or a rule that hides what it forwards. docs/risk-scoring.md gives the reasoning.
 */
import type { RiskFactor } from '../model/findings.ts'
import { riskFactor } from '../risk/risk-table.ts'
import type { Destination } from './destinations.ts'

/** "Created recently" reaches as far back as `recently_created` does. */
export const NEW_ACCOUNT_DAYS = 30

/** Factors of a resolved internal destination; none for external or unresolved ones. */
export function internalDestinationFactors(
  destination: Destination,
  reference: Date
): RiskFactor[] {
  // Only a recipient the tenant data holds can be checked for the signs that undo the
  // mitigation (new, hidden, inactive): an address in an accepted domain that no recipient
  // owns could be an account the audit never saw, so it gets none.
  const account = destination.account
  if (destination.external || destination.unresolved || !account) return []
  const factors = [
    riskFactor(
      'internal_destination',
      `${destination.label} is inside the tenant: collection, not exfiltration by itself`
    ),
  ]
  const created = account.whenCreated ? Date.parse(account.whenCreated) : Number.NaN
  if (created >= reference.getTime() - NEW_ACCOUNT_DAYS * 86_400_000) {
    factors.push(
      riskFactor(
        'new_destination_account',
        `${destination.label} was created ${account.whenCreated?.slice(0, 10)}, within ${NEW_ACCOUNT_DAYS} days`
      )
    )
  }
  // Shared, room and equipment mailboxes are disabled and unlicensed by design (2.1).
  if (account.type === 'UserMailbox' && (account.accountDisabled || account.licensed === false)) {
    const why = account.accountDisabled ? 'its account is disabled' : 'it has no licence'
    factors.push(
      riskFactor(
        'inactive_destination_account',
        `${destination.label} is a user mailbox nobody signs in to: ${why}`
      )
    )
  }
  return factors
}
