/**
 * @module test/bench/generate-audit-log
 * A unified audit log for a generated tenant (generate-tenant.ts): rule changes on a share of
 * its mailboxes within the last 90 days, always including every mailbox with a hidden rule,
 * in the classic AuditData shape (docs/microsoft-apis.md 6.2). The hidden rules were made in
 * Outlook over MAPI (UpdateInboxRules, AddMailboxRule); the others were edited in OWA
 * (New-InboxRule). Times are relative to `now`, so a live audit's window holds them.
 */
import type { TenantSnapshot } from '../../core/index.ts'

const DAY = 86_400_000
const ORG =
  'NAMPR05A003.PROD.OUTLOOK.COM/Microsoft Exchange Hosted Organizations/fabrikam.onmicrosoft.com'

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width)
const recordId = (i: number) => `${hex(i, 8)}-b0c4-4d2e-9f1a-${hex(i * 7919, 12)}`

/** The mailboxes (indexes) whose rules the log shows changing: `share` of them, hidden ones first. */
export function changedMailboxes(tenant: TenantSnapshot, share: number): number[] {
  const hidden: number[] = []
  const others: number[] = []
  tenant.mailboxes.forEach((entry, i) => {
    const rules = Array.isArray(entry.exchangeInboxRules) ? entry.exchangeInboxRules : []
    const graph = Array.isArray(entry.graphInboxRules) ? entry.graphInboxRules : []
    const visible = new Set(graph.map((r) => r.displayName))
    const hasHidden = rules.some((r) => r.Name !== 'Junk E-mail Rule' && !visible.has(r.Name))
    if (hasHidden) hidden.push(i)
    else if (i % 97 === 13) others.push(i)
  })
  const wanted = Math.round(tenant.mailboxes.length * share)
  return [...hidden, ...others].slice(0, Math.max(wanted, hidden.length))
}

/** The tenant with an audit log of rule changes on the `changed` mailboxes. */
export function withAuditLog(
  tenant: TenantSnapshot,
  changed: number[],
  now: number
): TenantSnapshot {
  const records = changed.map((index, n) => {
    const entry = tenant.mailboxes[index]
    if (!entry) throw new Error(`no mailbox ${index}`)
    const upn = entry.mailbox.UserPrincipalName
    const alias = entry.mailbox.Alias ?? upn.split('@')[0]
    const rules = Array.isArray(entry.graphInboxRules) ? entry.graphInboxRules : []
    const visible = new Set(rules.map((r) => r.displayName))
    const exchange = Array.isArray(entry.exchangeInboxRules) ? entry.exchangeInboxRules : []
    const hidden = exchange.find((r) => r.Name !== 'Junk E-mail Rule' && !visible.has(r.Name))
    const time = new Date(now - (1 + (n % 80)) * DAY - n * 60_000).toISOString().slice(0, 19)
    const common = {
      CreationTime: time,
      Id: recordId(index),
      OrganizationId: '5f1c0c7e-0000-4000-8000-000000100000',
      ResultStatus: 'True',
      UserId: upn,
      Version: 1,
      Workload: 'Exchange',
      OrganizationName: 'fabrikam.onmicrosoft.com',
    }
    if (hidden) {
      return {
        ...common,
        Operation: 'UpdateInboxRules',
        RecordType: 2,
        ResultStatus: 'Succeeded',
        UserKey: `1003${hex(index, 12).toUpperCase()}`,
        UserType: 0,
        ClientIP: '198.51.100.40',
        ClientIPAddress: '198.51.100.40',
        ClientInfoString: 'Client=MSExchangeRPC',
        MailboxOwnerUPN: upn,
        OperationProperties: [
          { Name: 'RuleOperation', Value: 'AddMailboxRule' },
          { Name: 'RuleId', Value: '0' },
          { Name: 'RuleName', Value: hidden.Name },
          { Name: 'RuleActions', Value: '[{"ActionType":"Redirect"}]' },
        ],
      }
    }
    return {
      ...common,
      Operation: 'New-InboxRule',
      RecordType: 1,
      UserKey: `1003${hex(index, 12).toUpperCase()}`,
      UserType: 2,
      ClientIP: '198.51.100.40:52011',
      ObjectId: `${ORG}/${alias}\\Newsletters`,
      AppId: '00000002-0000-0ff1-ce00-000000000000',
      AppPoolName: 'MSExchangeOWAAppPool',
      Parameters: [
        { Name: 'Name', Value: 'Newsletters' },
        { Name: 'SubjectContainsWords', Value: 'newsletter' },
      ],
    }
  })
  return { ...tenant, auditRecords: records }
}
