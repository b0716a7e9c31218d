/**
 * Issue 7, input too big or wrong: limits checked before parsing, the same mailbox twice
 * audited once, impossible dates refused and zone-less ones read as UTC, impossible snapshot
 * values refused naming the child field, and a mailbox marked unreadable that holds rules.
 */
import { describe, expect, it } from 'vitest'
import {
  type AuditError,
  isAuditError,
  parseAllowlist,
  parseRequestBody,
  parseSnapshotBytes,
  parseUserList,
} from '../../core/index.ts'
import {
  audit,
  daysBeforeCapture,
  findingsOf,
  newInboxRuleRecord,
  smtpTarget,
  tenant,
} from '../core/tenant-builder.ts'

const ALEX = 'alex.wilber@contoso.com'

function thrown(run: () => unknown): AuditError {
  try {
    run()
  } catch (error) {
    if (isAuditError(error)) return error
    throw error
  }
  throw new Error('expected an AuditError')
}

async function rejected(run: () => Promise<unknown>): Promise<AuditError> {
  try {
    await run()
  } catch (error) {
    if (isAuditError(error)) return error
    throw error
  }
  throw new Error('expected an AuditError')
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('size and nesting limits, checked before parsing', () => {
  it.each([
    ['a snapshot', () => parseSnapshotBytes(nested(100_000), 'tenant.json'), 'INVALID_SNAPSHOT'],
    [
      'an allowlist',
      () => parseAllowlist(new TextEncoder().encode(`{"entries":${nested(5_000)}}`), 'allow.json'),
      'INVALID_ALLOWLIST',
    ],
    ['a request body', () => parseRequestBody(`{"user":${nested(1_000)}}`), 'INVALID_REQUEST'],
  ])('%s nested 1,000s deep is refused, naming the depth limit', (_, run, code) => {
    const error = thrown(run)
    expect(error.code).toBe(code)
    expect(error.message).toMatch(/nests deeper than the limit of \d+ levels/)
  })

  it('brackets inside strings do not count as nesting', () => {
    const request = parseRequestBody(JSON.stringify({ user: 'a@contoso.com', since: undefined }))
    expect(request.user).toBe('a@contoso.com')
    expect(() => parseRequestBody(`{"user":"${'['.repeat(10_000)}"}`)).toThrow(
      /user principal name/
    )
  })

  it.each([
    ['a snapshot', () => parseSnapshotBytes('{}', 's.json', { maxBytes: 1 }), 'INVALID_SNAPSHOT'],
    [
      'an allowlist',
      () => parseAllowlist(new Uint8Array(64), 'a.json', { maxBytes: 10 }),
      'INVALID_ALLOWLIST',
    ],
    [
      'a user file',
      () => parseUserList('a@contoso.com\n', 'u.txt', { maxBytes: 3 }),
      'INVALID_SETTING',
    ],
    ['a request body', () => parseRequestBody('{}'.padEnd(2_000_000, ' ')), 'INVALID_REQUEST'],
  ])('%s over the size limit is refused, naming the limit and how to raise it', (_, run, code) => {
    const error = thrown(run)
    expect(error.code).toBe(code)
    expect(error.message).toMatch(/more than the limit of .* to read it/)
  })
})

describe('the same mailbox twice is audited once', () => {
  const forwarding = () =>
    tenant()
      .mailbox(ALEX)
      .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })

  it.each([
    [['alex.wilber@contoso.com', 'ALEX.WILBER@CONTOSO.COM', 'Alex.Wilber@contoso.com']],
    // Its UPN and another of its addresses name one mailbox.
    [['alex.wilber@contoso.com', 'alex.wilber@contoso.onmicrosoft.com']],
  ])('listed as %j', async (users) => {
    const report = await audit(forwarding(), { users })
    expect(report.data.findings).toHaveLength(1)
    expect(report.data.summary.mailboxes_scanned).toBe(1)
  })

  it('a user file names each mailbox once, whatever its case', () => {
    expect(parseUserList('a@contoso.com\nA@Contoso.com\n# c\nb@contoso.com\n', 'u.txt')).toEqual([
      'a@contoso.com',
      'b@contoso.com',
    ])
  })

  it('an exact copy of a snapshot entry is audited once', async () => {
    const snapshot = forwarding().build()
    const copy = JSON.parse(JSON.stringify(snapshot.mailboxes[0]))
    snapshot.mailboxes.push(copy)
    const report = await audit(snapshot)
    expect(report.data.findings).toHaveLength(1)
    expect(report.data.summary.mailboxes_scanned).toBe(1)
  })

  it('a second, different entry for the same mailbox refuses the snapshot, naming it', async () => {
    const snapshot = forwarding().build()
    const other = JSON.parse(JSON.stringify(snapshot.mailboxes[0]))
    other.mailbox.UserPrincipalName = 'ALEX.WILBER@contoso.com'
    other.exchangeInboxRules = []
    snapshot.mailboxes.push(other)
    const error = await rejected(async () => audit(snapshot))
    expect(error.code).toBe('INVALID_SNAPSHOT')
    expect(error.message).toContain('mailboxes[1].mailbox.UserPrincipalName')
    expect(error.message).toContain('mailboxes[0]')
  })
})

describe('dates', () => {
  it.each([['2026-02-30'], ['2026-02-29'], ['2026-04-31'], ['2026-01-01T25:00:00Z']])(
    'since %j does not exist and is refused',
    async (since) => {
      const error = await rejected(async () =>
        audit(tenant().mailbox(ALEX), { all_users: true, since })
      )
      expect(error.code).toBe('INVALID_REQUEST')
      expect(error.message).toContain('`since`')
    }
  )

  it('an allowlist expiry that does not exist is refused', () => {
    const error = thrown(() =>
      parseAllowlist({
        version: 1,
        entries: [{ destination: 'a@b.example', reason: 'r', expires: '2027-02-30' }],
      })
    )
    expect(error.code).toBe('INVALID_ALLOWLIST')
    expect(error.message).toMatch(/expires.*date that exists/)
  })

  it('a snapshot date that does not exist is not a date (the finding stays undated)', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })
        .audit(
          newInboxRuleRecord({
            mailbox: ALEX,
            ruleName: 'Sync',
            actor: ALEX,
            time: '2026-02-30T10:00:00',
          })
        )
    )
    expect(findings[0]?.created_at).toBeNull()
  })
})

describe('snapshot values that cannot be right name the child field', () => {
  it.each([
    ['an empty UserPrincipalName', ''],
    ['a UserPrincipalName without a domain', 'alex'],
    ['a UserPrincipalName with a space', 'alex wilber@contoso.com'],
    ['a UserPrincipalName with two @', 'alex@evil.example@contoso.com'],
  ])('%s', async (_, upn) => {
    const error = await rejected(async () =>
      audit(tenant().mailbox(ALEX, { UserPrincipalName: upn }))
    )
    expect(error.code).toBe('INVALID_SNAPSHOT')
    expect(error.message).toContain('`mailboxes[0].mailbox.UserPrincipalName`')
    expect(error.message).not.toMatch(/Invalid input/)
  })

  it.each([['Sometimes'], [''], [2]])('AutoForwardingMode %j', async (mode) => {
    const error = await rejected(async () =>
      audit(
        tenant()
          .mailbox(ALEX)
          .controls({ policies: [{ Name: 'Default', IsDefault: true, AutoForwardingMode: mode }] })
      )
    )
    expect(error.code).toBe('INVALID_SNAPSHOT')
    expect(error.message).toContain('`outboundSpamPolicies[0].AutoForwardingMode`')
  })

  it.each([
    ['a list', (rule: Record<string, unknown>) => [rule]],
    ['one row, as PowerShell writes a single result', (rule: Record<string, unknown>) => rule],
  ])(
    'a wrong value in a transport rule given as %s names its field, not "Invalid input"',
    async (_, shape) => {
      const built = tenant().mailbox(ALEX).build() as unknown as Record<string, unknown>
      built.transportRules = shape({ Name: 'Copy', Priority: '0', BlindCopyTo: ['x@evil.example'] })
      const error = await rejected(async () =>
        audit(built as never, { all_users: true, include_transport_rules: true })
      )
      expect(error.code).toBe('INVALID_SNAPSHOT')
      expect(error.message).toMatch(
        /`transportRules(\[0\])?\.Priority`: expected number, received string/
      )
      expect(error.message).not.toMatch(/Invalid input/)
    }
  )

  it('AutoForwardingMode in another case is read', async () => {
    const report = await audit(
      tenant()
        .mailbox(ALEX, { ForwardingSmtpAddress: 'smtp:drop@evil.example' })
        .controls({ policies: [{ Name: 'Default', IsDefault: true, AutoForwardingMode: 'off' }] })
    )
    expect(report.data.findings[0]?.tenant_policy?.external_forwarding_blocked).toBe(true)
  })
})

describe('a mailbox marked unreadable', () => {
  it('that holds forwarding rules: the rules are audited, and the mailbox stays skipped', async () => {
    const snapshot = tenant()
      .unreadable(ALEX, 'ManagementObjectNotFoundException', 'Graph read failed')
      .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })
    const report = await audit(snapshot)
    expect(report.data.findings.map((f) => f.destination)).toEqual(['drop@evil.example'])
    expect(report.data.summary.mailboxes_skipped).toBe(1)
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.skipped[0]?.reason).toMatch(/rules it holds were audited/)
  })

  it('whose Get-Mailbox row forwards: the forwarding is still a finding', async () => {
    const snapshot = tenant().unreadable(ALEX, 'READ_FAILED', 'timeout')
    snapshot.snapshot.mailboxes[0]!.mailbox.ForwardingSmtpAddress = 'smtp:drop@evil.example'
    const report = await audit(snapshot)
    expect(report.data.findings.map((f) => f.type)).toEqual(['smtp_forwarding'])
    expect(report.data.summary.mailboxes_skipped).toBe(1)
  })
})

describe('audit records with impossible dates', () => {
  it('are not taken as creation times', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ALEX)
        .inboxRule(ALEX, { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] })
        .audit(
          newInboxRuleRecord({
            mailbox: ALEX,
            ruleName: 'Sync',
            actor: ALEX,
            time: daysBeforeCapture(2),
          })
        )
    )
    expect(findings[0]?.created_at).not.toBeNull()
  })
})
