/**
 * Unified audit log records in every shape Microsoft hands out become one AuditRecord: the
 * classic AuditData object, a Search-UnifiedAuditLog row (AuditData a JSON string) and a Graph
 * auditLogRecord (auditData nested). Fixtures in test/fixtures/audit-records/ are in the real
 * wire shapes (docs/microsoft-apis.md 6.2, 6.3).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  normalizeAuditRecord,
  normalizeAuditRecords,
  ruleIdentityOf,
} from '../../core/normalize/audit-record.ts'
import { networkOf, parseClientIp } from '../../core/normalize/client-ip.ts'

type Raw = Record<string, unknown>
const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(`test/fixtures/audit-records/${name}`, 'utf8'))
const classic = fixture('classic.json') as Raw[]
const byId = (id: string) => {
  const raw = classic.find((r) => r.Id === id)
  if (!raw) throw new Error(`no fixture record ${id}`)
  return normalizeAuditRecord(raw)
}

describe('the classic AuditData object', () => {
  it('New-InboxRule from OWA: mailbox and rule name from the org-path ObjectId, even with / in the name', () => {
    const record = byId('5e0b3c7a-91d4-4f0e-b6a2-08dcec1d2f11')
    expect(record).toMatchObject({
      id: '5e0b3c7a-91d4-4f0e-b6a2-08dcec1d2f11',
      time: '2026-10-14T06:41:52.000Z',
      operation: 'New-InboxRule',
      actor: 'adele.vance@contoso.com',
      actorType: 'admin',
      clientIp: '203.0.113.54',
      clientApp: 'MSExchangeOWAAppPool',
      succeeded: true,
      mailboxKeys: ['adele.vance'],
      rule: { name: 'Sync/archive' },
    })
    expect(record?.parameters.ForwardTo).toBe('adele.archive@proton.me')
  })

  it('Set-InboxRule: `<mailbox guid>\\<RuleIdentity>` gives the exact 64-bit identity; a rename keeps the new name', () => {
    expect(byId('b91c27d4-0e6a-4b3f-8d25-08dced4a6b30')).toMatchObject({
      clientIp: '2001:db8:7c1:40::1f',
      mailboxKeys: ['0b6f1c2e-7d1a-4b7e-9a51-2f0c8e4d3a10'],
      rule: { name: 'Sync archive', identity: '15394007230974001153' },
    })
  })

  it('Set-Mailbox: the alias ObjectId and the GUID Identity both name the mailbox; `ip-port` loses its port', () => {
    const record = byId('7d4e2a19-c8b0-4f61-a3d7-08dcedb51c02')
    expect(record).toMatchObject({
      clientIp: '198.51.100.23',
      mailboxKeys: ['lee.gu', '3c9a1f62-5b7e-4d08-9a34-c1e2f0b8d756'],
      clientApp: 'MSExchangeAdminApiNetCore app fb78d390-0c51-40cd-8e17-fdbfab77341b',
    })
    // A cleared ForwardingAddress is an empty string, kept as such: it means "not set".
    expect(record?.parameters).toMatchObject({
      ForwardingAddress: '',
      ForwardingSmtpAddress: 'lee.gu.home@gmail.com',
    })
    expect(record?.rule).toBeUndefined()
  })

  it('a change Microsoft made ("Microsoft Operator", UserType 3) is a service change; a mapped IPv4 is plain', () => {
    expect(byId('e2f6a4b8-13c5-47d9-b0e1-08dcee8e9a77')).toMatchObject({
      actor: 'microsoft operator',
      actorType: 'service',
      clientIp: '52.96.10.21',
      mailboxKeys: ['3c9a1f62-5b7e-4d08-9a34-c1e2f0b8d756'],
    })
  })

  it('an account named like a service is no service: only UserType or a name without @ says so', () => {
    const raw = classic.find((r) => r.Id === 'e2f6a4b8-13c5-47d9-b0e1-08dcee8e9a77') as Raw
    const posing = normalizeAuditRecord({ ...raw, UserId: 'dcadmin@contoso.com', UserType: 0 })
    expect(posing?.actorType).toBe('user')
    const system = normalizeAuditRecord({ ...raw, UserId: 'NT AUTHORITY\\SYSTEM', UserType: 0 })
    expect(system?.actorType).toBe('service')
  })

  it('a cmdlet that failed (ResultStatus "False") is marked: it changed nothing', () => {
    expect(byId('09b3d5f7-2a4c-4e6b-8d1f-08dcef5a3c90')?.succeeded).toBe(false)
  })

  it('UpdateInboxRules (Outlook over MAPI): the mailbox is MailboxOwnerUPN, the rule its RuleName; RuleId 0 is no id', () => {
    expect(byId('5af657e4-108e-4d5b-b411-b81a6e878fa7')).toMatchObject({
      actorType: 'user',
      clientApp: 'Client=MSExchangeRPC',
      mailbox: 'j.ortiz@contoso.com',
      mailboxKeys: ['j.ortiz@contoso.com'],
      rule: { name: ' ' },
      succeeded: true,
    })
  })

  it('UpdateInboxRules with an empty rule body and a negative rule id: the id wraps to the unsigned RuleIdentity', () => {
    const record = byId('c4a81e2f-6b9d-4053-97e1-5d2b8f0a3c66')
    expect(record?.rule).toEqual({ identity: '15394007230974001153' })
    expect(record?.parameters.RuleOperation).toBe('ModifyMailboxRule')
  })

  it('New-TransportRule: the rule is its Name; no mailbox', () => {
    expect(byId('79e1925b-bd33-4a17-87a1-2adb2e3a180b')).toMatchObject({
      mailboxKeys: [],
      rule: { name: 'Compliance Retention Sync', identity: 'Compliance Retention Sync' },
      clientApp: 'app fb78d390-0c51-40cd-8e17-fdbfab77341b',
    })
  })
})

describe('the same records in other wrappers', () => {
  it('a Graph auditLogRecord reads like its classic auditData, although userId and userPrincipalName are crossed', () => {
    const page = fixture('graph-records.json') as { value: Raw[] }
    const [setRule, update] = page.value.map((r) => normalizeAuditRecord(r))
    expect(setRule).toEqual(byId('b91c27d4-0e6a-4b3f-8d25-08dced4a6b30'))
    expect(update).toEqual(byId('5af657e4-108e-4d5b-b411-b81a6e878fa7'))
  })

  it('a Search-UnifiedAuditLog row reads like its AuditData, and duplicates (same Id) count once', () => {
    const rows = fixture('search-rows.json') as Raw[]
    const records = normalizeAuditRecords(rows)
    expect(records.map((r) => r.id)).toEqual([
      '7d4e2a19-c8b0-4f61-a3d7-08dcedb51c02',
      '79e1925b-bd33-4a17-87a1-2adb2e3a180b',
    ])
    expect(records[0]).toEqual(byId('7d4e2a19-c8b0-4f61-a3d7-08dcedb51c02'))
  })

  it('a Graph record without classic fields falls back to its own, crossed, fields', () => {
    const record = normalizeAuditRecord({
      id: 'a1b2',
      createdDateTime: '2026-11-08T03:11:09Z',
      operation: 'UpdateInboxRules',
      userType: 'Regular',
      userId: '100378155E90360A',
      userPrincipalName: 'J.Ortiz@contoso.com',
      clientIp: '[2001:db8:7c1:40::1f]:443',
      objectId: '',
      auditData: { '@odata.type': '#microsoft.graph.security.defaultAuditData' },
    })
    expect(record).toEqual({
      id: 'a1b2',
      time: '2026-11-08T03:11:09.000Z',
      operation: 'UpdateInboxRules',
      actor: 'j.ortiz@contoso.com',
      actorType: 'user',
      clientIp: '2001:db8:7c1:40::1f',
      succeeded: true,
      mailboxKeys: [],
      parameters: {},
    })
  })

  it.each([
    [{}],
    [{ Operation: 'New-InboxRule' }],
    [{ CreationTime: '2024-10-08T05:08:37' }],
    [{ Operation: 'New-InboxRule', CreationTime: 'not a date' }],
    [{ AuditData: '{not json', Operations: 'Set-Mailbox' }],
  ])('%j is not a readable record', (raw) => {
    expect(normalizeAuditRecord(raw)).toBeUndefined()
  })

  it('a list skips what is not a record at all', () => {
    expect(normalizeAuditRecords([null, 'x', [], 42, classic[0]])).toHaveLength(1)
  })
})

describe('ClientIP', () => {
  it.each([
    ['104.28.196.199:28491', '104.28.196.199'],
    ['104.28.196.199-28491', '104.28.196.199'],
    ['198.51.100.23', '198.51.100.23'],
    ['[2a09:bac5:110:105::1a:98]:52629', '2a09:bac5:110:105::1a:98'],
    ['[2A09:BAC5::1]', '2a09:bac5::1'],
    ['2a09:bac5:110:105::1a:98', '2a09:bac5:110:105::1a:98'],
    ['[::ffff:52.96.10.21]:443', '52.96.10.21'],
    ['::ffff:52.96.10.21', '52.96.10.21'],
    ['  ', undefined],
    ['<redacted>', '<redacted>'],
  ])('%j is %j', (raw, ip) => {
    expect(parseClientIp(raw)).toBe(ip)
  })
})

describe('the network of a client address, for "seen from here before"', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7', true],
    ['203.0.113.7', '203.0.113.250', true],
    ['203.0.113.7', '203.0.114.7', false],
    ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff::9', true],
    ['2001:db8::1', '2001:db8:0:0::2', true],
    // Compressed forms whose first four groups of text agree although the networks do not.
    ['1::2:3', '1::2:3:4:5:6:7', false],
    ['2001:db8::1', '2001:db8:0:1::1', false],
  ])('%s and %s are one network: %s', (a, b, same) => {
    expect(networkOf(a) === networkOf(b)).toBe(same)
  })
})

describe('rule identities', () => {
  it.each([
    ['15394007230974001153', '15394007230974001153'],
    ['-3052736842735550463', '15394007230974001153'],
    ['0', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('%j is %j', (raw, identity) => {
    expect(ruleIdentityOf(raw)).toBe(identity)
  })
})
