/**
 * @module normalize/auditing
 * The tenant's audit settings from `Get-AdminAuditLogConfig`, `Get-OrganizationConfig` and
 * `Get-MailboxAuditBypassAssociation` rows (REST or PowerShell), as a snapshot holds them and
 * as the live reader fetches them (docs/microsoft-apis.md 6.4).
 */
import { many } from '../lib/lists.ts'
import { presentText } from '../lib/text.ts'
import type { AuditingSettings } from '../model/tenant.ts'
import type { RawAdminAuditLogConfig, RawAuditBypass, RawOrganizationConfig } from './raw.ts'

type Listed<T> = T | T[] | null | undefined

export interface RawAuditingData {
  adminAuditLogConfig?: Listed<RawAdminAuditLogConfig>
  organizationConfig?: Listed<RawOrganizationConfig>
  mailboxAuditBypass?: Listed<RawAuditBypass>
}

/** The settings, or undefined when none of the three was read. */
export function normalizeAuditingSettings(
  raw: RawAuditingData,
  unread: string[] = []
): AuditingSettings | undefined {
  const config = many(raw.adminAuditLogConfig)[0]
  const organization = many(raw.organizationConfig)[0]
  const bypass = raw.mailboxAuditBypass
  if (!config && !organization && (bypass === undefined || bypass === null) && unread.length === 0)
    return undefined
  const ingestion = config?.UnifiedAuditLogIngestionEnabled
  const disabled = organization?.AuditDisabled
  return {
    ...(typeof ingestion === 'boolean' ? { unifiedLogIngestion: ingestion } : {}),
    ...(typeof disabled === 'boolean' ? { mailboxAuditingByDefault: !disabled } : {}),
    bypassed: many(bypass)
      .filter((row) => row.AuditBypassEnabled === true)
      .map((row) => presentText(row.Name) ?? identityText(row.Identity))
      .filter((name): name is string => name !== undefined)
      .map((name) => name.toLowerCase()),
    unread,
  }
}

/** Identity is a string over REST and an object from PowerShell. */
function identityText(value: unknown): string | undefined {
  if (typeof value === 'string') return presentText(value)
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>
    return presentText(record.Name) ?? presentText(record.DistinguishedName)
  }
  return undefined
}
