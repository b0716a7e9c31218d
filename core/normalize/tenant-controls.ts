/**
 * @module normalize/tenant-controls
 * Accepted domains and the tenant-wide forwarding controls (outbound spam policies and their
 * rules, remote domains) to their normalized forms.
 */

import type { AcceptedDomain, ForwardingControls } from '../model/tenant.ts'
import { normalizeOutboundSpamRules } from './outbound-spam-rules.ts'
import type {
  RawAcceptedDomain,
  RawOutboundSpamPolicy,
  RawOutboundSpamRule,
  RawRemoteDomain,
} from './raw.ts'

/** Microsoft.Exchange.Data.AcceptedDomainType, as PowerShell writes it without -EnumsAsStrings. */
const DOMAIN_TYPES: Record<number, AcceptedDomain['type']> = {
  0: 'Authoritative',
  1: 'ExternalRelay',
  2: 'InternalRelay',
}

/** Normalize Get-AcceptedDomain rows. */
export function normalizeAcceptedDomains(rows: RawAcceptedDomain[]): AcceptedDomain[] {
  return rows.map((row) => ({
    name: row.DomainName.trim().toLowerCase(),
    type:
      typeof row.DomainType === 'number'
        ? (DOMAIN_TYPES[row.DomainType] ?? 'ExternalRelay')
        : (row.DomainType as AcceptedDomain['type']),
  }))
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
      autoForwardingMode: String(policy.AutoForwardingMode ?? 'Automatic'),
    })),
    outboundRules: normalizeOutboundSpamRules(rules),
    remoteDomains: remoteDomains.map((domain) => ({
      name: domain.Name ?? domain.DomainName,
      domain: domain.DomainName.trim().toLowerCase(),
      autoForwardEnabled: domain.AutoForwardEnabled !== false,
    })),
  }
}
