/**
 * @module sources/live/auditing
 * What the tenant logs, read live (docs/microsoft-apis.md 6.4): Get-AdminAuditLogConfig
 * (unified audit ingestion), Get-OrganizationConfig (mailbox auditing on by default) and
 * Get-MailboxAuditBypassAssociation (accounts whose mailbox actions are not logged). Each is
 * context for provenance, not a finding: one that cannot be read is named, and the audit goes on.
 */
import { isAuditError } from '../../errors/errors.ts'
import type { ExchangeAdmin } from '../../m365/types.ts'
import type { RawAuditingData } from '../../normalize/auditing.ts'
import type {
  RawAdminAuditLogConfig,
  RawAuditBypass,
  RawOrganizationConfig,
} from '../../normalize/raw.ts'

/** The raw rows, and a line for each cmdlet that could not be read. */
export interface AuditingRead {
  data: RawAuditingData
  unread: string[]
}

type Row = Record<string, unknown>

const CALLS = [
  {
    cmdlet: 'Get-AdminAuditLogConfig',
    parameters: {},
    select: ['UnifiedAuditLogIngestionEnabled'],
  },
  { cmdlet: 'Get-OrganizationConfig', parameters: {}, select: ['AuditDisabled'] },
  {
    cmdlet: 'Get-MailboxAuditBypassAssociation',
    parameters: { ResultSize: 'Unlimited' },
    select: ['Name', 'Identity', 'AuditBypassEnabled'],
  },
]

/**
 * Read the three cmdlets in one admin `$batch` (further bypass pages follow their nextLink).
 * A refused item refuses the whole batch (exchange-admin.ts): then, as on any failure of the
 * batch itself, each is read on its own and judged on its own.
 */
export async function readAuditingData(exchange: ExchangeAdmin): Promise<AuditingRead> {
  const unread: string[] = []
  const one = async (call: (typeof CALLS)[number]): Promise<Row[] | undefined> => {
    try {
      return await exchange.invoke(call.cmdlet, call.parameters, call.select)
    } catch (error) {
      if (!isAuditError(error) || error.code === 'DEADLINE_EXCEEDED') throw error
      unread.push(`${call.cmdlet} not read: ${error.message}`)
      return undefined
    }
  }
  let rows: (Row[] | undefined)[]
  try {
    const results = await exchange.invokeBatch(CALLS)
    rows = results.map((result, i) => {
      if (result.ok) return result.value
      unread.push(`${CALLS[i]?.cmdlet} not read: ${result.message}`)
      return undefined
    })
  } catch (error) {
    if (!isAuditError(error) || error.code === 'DEADLINE_EXCEEDED') throw error
    rows = await Promise.all(CALLS.map(one))
  }
  const [config, organization, bypass] = rows
  return {
    data: {
      ...(config ? { adminAuditLogConfig: config as RawAdminAuditLogConfig[] } : {}),
      ...(organization ? { organizationConfig: organization as RawOrganizationConfig[] } : {}),
      // Only the bypassed accounts: a 100,000-mailbox tenant has a row per recipient.
      ...(bypass
        ? {
            mailboxAuditBypass: (bypass as RawAuditBypass[]).filter(
              (row) => row.AuditBypassEnabled === true
            ),
          }
        : {}),
    },
    unread,
  }
}
