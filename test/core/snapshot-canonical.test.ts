/**
 * Snapshots in one order: a drift job that commits exports sees a diff only when the tenant
 * changed, not when parallel reads finished in another order or the capture time moved.
 */
import { describe, expect, it } from 'vitest'
import { canonicalSnapshot, sameTenantSnapshot, type TenantSnapshot } from '../../core/index.ts'
import { smtpTarget, tenant } from './tenant-builder.ts'

function snapshot(): TenantSnapshot {
  return tenant()
    .mailbox('zoe@contoso.com')
    .mailbox('Adam@contoso.com')
    .inboxRule('Adam@contoso.com', { Name: 'Fwd', ForwardTo: [smtpTarget('a@gmail.com')] })
    .mailContact('Partner', 'p@fabrikam.com')
    .mailContact('Agency', 'x@agency.example')
    .build() as unknown as TenantSnapshot
}

describe('canonicalSnapshot', () => {
  it('orders mailboxes by UPN, whatever their case', () => {
    const upns = canonicalSnapshot(snapshot()).mailboxes.map((m) => m.mailbox.UserPrincipalName)
    expect(upns).toEqual(['Adam@contoso.com', 'zoe@contoso.com'])
  })

  it('orders recipients one way and drops exact duplicates', () => {
    const a = snapshot()
    const b = snapshot()
    const recipients = b.recipients as NonNullable<TenantSnapshot['recipients']>[]
    b.recipients = [...recipients].reverse().concat(recipients[0]!) as TenantSnapshot['recipients']
    expect(canonicalSnapshot(b).recipients).toEqual(canonicalSnapshot(a).recipients)
    expect(canonicalSnapshot(b).recipients).toHaveLength(2)
  })
})

describe('sameTenantSnapshot', () => {
  const text = JSON.stringify(snapshot(), null, 2)

  it('an export that differs only in capture time and order is the same tenant', () => {
    const next = snapshot()
    next.capturedAt = '2027-01-01T00:00:00Z'
    next.mailboxes.reverse()
    expect(sameTenantSnapshot(text, next)).toBe(true)
    expect(sameTenantSnapshot(new TextEncoder().encode(text), next)).toBe(true)
  })

  it('an export whose audit log window moved on, with other records in it, is the same tenant', () => {
    const next = snapshot()
    next.auditLog = {
      source: 'graph-audit-query',
      start: '2026-09-01T00:00:00Z',
      end: '2026-11-30T00:00:00Z',
    }
    next.auditRecords = [
      { Id: 'r1', Operation: 'Set-Mailbox', CreationTime: '2026-11-29T10:00:00' },
    ]
    expect(sameTenantSnapshot(text, next)).toBe(true)
  })

  it('a new inbox rule is a different tenant', () => {
    const next = snapshot()
    next.mailboxes[1]!.exchangeInboxRules = [
      ...((next.mailboxes[1]!.exchangeInboxRules as object[]) ?? []),
      { Name: 'new', ForwardTo: ['"x" [SMTP:x@evil.example]'] },
    ] as never
    expect(sameTenantSnapshot(text, next)).toBe(false)
  })

  it('a changed forwarding address is a different tenant', () => {
    const next = snapshot()
    ;(next.mailboxes[0]!.mailbox as Record<string, unknown>).ForwardingSmtpAddress =
      'smtp:z@x.example'
    expect(sameTenantSnapshot(text, next)).toBe(false)
  })

  it('a file that is not a snapshot is never the same', () => {
    for (const previous of ['', '{', '[]', '{"mailboxes": 3}']) {
      expect(sameTenantSnapshot(previous, snapshot())).toBe(false)
    }
  })
})
