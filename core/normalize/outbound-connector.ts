/**
 * @module normalize/outbound-connector
 * A Get-OutboundConnector row (REST or PowerShell) to an OutboundConnector (§5.10).
 */
import { many } from '../lib/lists.ts'
import { presentText } from '../lib/text.ts'
import type { OutboundConnector } from '../model/tenant.ts'
import { toIsoTime } from './dates.ts'
import type { RawOutboundConnector } from './raw.ts'

/** Normalize one Get-OutboundConnector row. */
export function normalizeOutboundConnector(raw: RawOutboundConnector): OutboundConnector {
  const whenCreated = toIsoTime(raw.WhenCreatedUTC ?? raw.WhenCreated)
  const whenChanged = toIsoTime(raw.WhenChangedUTC ?? raw.WhenChanged)
  return {
    id: typeof raw.Guid === 'string' && raw.Guid ? raw.Guid : raw.Name,
    name: raw.Name,
    // New-OutboundConnector's defaults: enabled, delivering by MX.
    enabled: raw.Enabled !== false,
    type: typeof raw.ConnectorType === 'string' ? raw.ConnectorType : 'Partner',
    smartHosts: names(raw.SmartHosts),
    recipientDomains: names(raw.RecipientDomains),
    useMxRecord: raw.UseMXRecord !== false,
    transportRuleScoped: raw.IsTransportRuleScoped === true,
    testMode: raw.TestMode === true,
    ...(whenCreated ? { whenCreated } : {}),
    ...(whenChanged ? { whenChanged } : {}),
  }
}

/**
 * Hosts and domains: strings over REST (`mail.contoso.com`, `203.0.113.9`, `*.contoso.com`);
 * SmartHost and SmtpDomainWithSubdomains objects from PowerShell, or one `,`-joined string.
 */
function names(value: unknown): string[] {
  const out: string[] = []
  for (const item of many(value)) {
    const record = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>
    const text =
      typeof item === 'string'
        ? item
        : presentText(record.Address ?? record.Domain ?? record.Hostname ?? record.Name)
    for (const part of (text ?? '').split(/[,;]/)) {
      const name = part.trim().toLowerCase()
      if (name !== '') out.push(name)
    }
  }
  return out
}
