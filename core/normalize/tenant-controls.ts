/**
 * @module normalize/tenant-controls
 * Accepted domains and the tenant-wide forwarding controls (outbound spam policies and their
 * rules, remote domains) to their normalized forms.
 */

import { AuditRunError } from '../errors/errors.ts'
import type { AcceptedDomain, ForwardingControls } from '../model/tenant.ts'
import { normalizeOutboundSpamRules } from './outbound-spam-rules.ts'
import {
  acceptedDomainType,
  type RawAcceptedDomain,
  type RawOutboundSpamPolicy,
  type RawOutboundSpamRule,
  type RawRemoteDomain,
} from './raw.ts'

/**
 * Normalize Get-AcceptedDomain rows. A type that is not Exchange's is an error, never a guess:
 * guessing "internal" would hide every forward to that domain.
 */
export function normalizeAcceptedDomains(rows: RawAcceptedDomain[]): AcceptedDomain[] {
  return rows.map((row, index) => {
    const type = acceptedDomainType(row.DomainType)
    if (!type) {
      throw new AuditRunError(
        'INVALID_RESPONSE',
        `accepted domain ${JSON.stringify(row.DomainName)} (acceptedDomains[${index}].DomainType) has the type ${JSON.stringify(row.DomainType)}, which Exchange does not have`
      )
    }
    return { name: row.DomainName.trim().toLowerCase(), type }
  })
}

/** Combine outbound spam policies, their rules and remote domains into ForwardingControls. */
export function normalizeForwardingControls(
  policies: RawOutboundSpamPolicy[],
  rules: RawOutboundSpamRule[],
  remoteDomains: RawRemoteDomain[]
): ForwardingControls {
  return {
    outboundPolicies: policies.map((policy) => ({
      name: policy.Name,
      isDefault: policy.IsDefault === true || policy.Name.toLowerCase() === 'default',
      // A policy exported without its mode is not assumed Automatic: that would subtract the
      // block's 30 points on a guess (analysis/tenant-policy.ts makes the verdict unknown).
      ...(policy.AutoForwardingMode == null
        ? {}
        : { autoForwardingMode: String(policy.AutoForwardingMode).trim() }),
    })),
    outboundRules: normalizeOutboundSpamRules(rules),
    remoteDomains: remoteDomains.map((domain) => ({
      name: domain.Name ?? domain.DomainName,
      domain: domain.DomainName.trim().toLowerCase(),
      autoForwardEnabled: domain.AutoForwardEnabled !== false,
    })),
  }
}
