/**
 * Who made a forwarding, when and from where: unified audit log records joined to findings.
 * Inbox rules carry no timestamps, so these records are the only source of `created_at`.
 */
import { describe, expect, it } from 'vitest'
import {
  audit,
  CAPTURED_AT,
  categoriesOf,
  daysBeforeCapture,
  disableInboxRuleRecord,
  findingsOf,
  newInboxRuleRecord,
  newTransportRuleRecord,
  onlyFinding,
  setInboxRuleRecord,
  setMailboxRecord,
  smtpTarget,
  tenant,
  updateInboxRulesRecord,
} from './tenant-builder.ts'

const ADAM = 'adam@contoso.com'
const MEGAN = 'megan.bowen@contoso.com'
/** Above 2^53: only the `Identity` string keeps these digits. */
const RULE_IDENTITY = '15394007230974001153'

/** Adam's mailbox with one forwarding rule, `ForwardToHeaven`, RuleIdentity RULE_IDENTITY. */
const adamWithRule = (fields: Record<string, unknown> = {}) =>
  tenant()
    .mailbox(ADAM)
    .mailbox(MEGAN)
    .inboxRule(ADAM, {
      Name: 'ForwardToHeaven',
      Identity: `adam\\${RULE_IDENTITY}`,
      RuleIdentity: Number(RULE_IDENTITY),
      ForwardTo: [smtpTarget('alpha@localhost.com')],
      StopProcessingRules: true,
      ...fields,
    })

describe('inbox rules', () => {
  it('New-InboxRule (ObjectId `.../alias\\RuleName`) gives created_at and provenance', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: '2026-11-14T02:26:11',
          actor: 'It-Support2@contoso.com',
          clientIp: '203.0.113.54:28491',
          parameters: { ForwardTo: 'alpha@localhost.com', StopProcessingRules: 'True' },
        })
      )
    )
    expect(finding.created_at).toBe('2026-11-14T02:26:11.000Z')
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        operation: 'New-InboxRule',
        time: '2026-11-14T02:26:11.000Z',
        actor: 'it-support2@contoso.com',
        client_ip: '203.0.113.54',
      },
    ])
  })

  it('Set-InboxRule (ObjectId `<mailbox guid>\\<RuleIdentity>`) joins by the exact RuleIdentity', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        setInboxRuleRecord({
          mailbox: ADAM,
          ruleIdentity: RULE_IDENTITY,
          time: daysBeforeCapture(4),
          actor: ADAM,
          clientIp: '[2a09:bac5:110:105::1a:98]:52629',
          parameters: { RedirectTo: 'alpha@localhost.com' },
        })
      )
    )
    expect(finding.provenance).toEqual([
      expect.objectContaining({
        operation: 'Set-InboxRule',
        client_ip: '2a09:bac5:110:105::1a:98',
      }),
    ])
    // A change is not a creation.
    expect(finding.created_at).toBeNull()
    const recent = finding.risk_factors.find((f) => f.category === 'recently_created')
    expect(recent?.description).toMatch(/^Changed /)
  })

  it('Set-InboxRule for another RuleIdentity of the same mailbox does not attach', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        setInboxRuleRecord({
          mailbox: ADAM,
          ruleIdentity: '15394007230974001152',
          time: daysBeforeCapture(4),
          actor: ADAM,
        })
      )
    )
    expect(finding.provenance).toBeUndefined()
  })

  it('UpdateInboxRules (MailboxOwnerUPN, RuleName, AddMailboxRule) gives created_at', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        updateInboxRulesRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: '2026-11-08T03:11:09',
          actor: ADAM,
          clientIp: '2001:db8:7c1:40::1f',
        })
      )
    )
    expect(finding.created_at).toBe('2026-11-08T03:11:09.000Z')
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        operation: 'UpdateInboxRules',
        time: '2026-11-08T03:11:09.000Z',
        actor: ADAM,
        client_ip: '2001:db8:7c1:40::1f',
      },
    ])
  })

  it('UpdateInboxRules that modifies a rule is provenance but not its creation', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        updateInboxRulesRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          ruleOperation: 'ModifyMailboxRule',
          time: '2026-11-08T03:11:09',
          actor: ADAM,
        })
      )
    )
    expect(finding.provenance).toHaveLength(1)
    expect(finding.created_at).toBeNull()
  })

  it('a record for another mailbox with the same rule name does not attach', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: MEGAN,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(2),
          actor: MEGAN,
        }),
        updateInboxRulesRecord({
          mailbox: MEGAN,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(2),
          actor: MEGAN,
        })
      )
    )
    expect(finding.provenance).toBeUndefined()
    expect(finding.created_at).toBeNull()
    expect(categoriesOf(finding)).not.toContain('recently_created')
  })

  it('a record for another rule of the same mailbox does not attach', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'Newsletters',
          time: daysBeforeCapture(2),
          actor: ADAM,
        })
      )
    )
    expect(finding.provenance).toBeUndefined()
  })

  it('records are oldest first and the earliest creation is created_at', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        setInboxRuleRecord({
          mailbox: ADAM,
          ruleIdentity: RULE_IDENTITY,
          time: '2026-11-16T23:05:00',
          actor: ADAM,
        }),
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: '2026-07-09T11:28:30',
          actor: ADAM,
        })
      )
    )
    expect(finding.provenance?.map((p) => p.operation)).toEqual(['New-InboxRule', 'Set-InboxRule'])
    expect(finding.created_at).toBe('2026-07-09T11:28:30.000Z')
    const recent = finding.risk_factors.find((f) => f.category === 'recently_created')
    expect(recent?.description).toBe(`Changed 2026-11-16 by ${ADAM}`)
  })

  it('a record Search-UnifiedAuditLog returned twice (same Id) counts once', async () => {
    const record = newInboxRuleRecord({
      mailbox: ADAM,
      ruleName: 'ForwardToHeaven',
      time: daysBeforeCapture(3),
      actor: ADAM,
    })
    const finding = await onlyFinding(adamWithRule().audit(record, { ...record }))
    expect(finding.provenance).toHaveLength(1)
  })

  it('the same record as a classic object and as a Search-UnifiedAuditLog row counts once', async () => {
    const record = newInboxRuleRecord({
      mailbox: ADAM,
      ruleName: 'ForwardToHeaven',
      time: daysBeforeCapture(3),
      actor: ADAM,
    })
    const row = {
      RecordType: 'ExchangeAdmin',
      CreationDate: '/Date(1763000000000)/',
      UserIds: ADAM,
      Operations: 'New-InboxRule',
      AuditData: JSON.stringify(record),
      ResultIndex: 1,
      ResultCount: 1,
      Identity: record.Id,
    }
    const finding = await onlyFinding(adamWithRule().audit(record, row))
    expect(finding.provenance).toHaveLength(1)
  })
})

describe('mailbox forwarding', () => {
  it('Set-Mailbox with ForwardingSmtpAddress `smtp:x` gives created_at and provenance', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('r.vogel@contoso.com', {
          ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com',
        })
        .audit(
          setMailboxRecord({
            mailbox: 'r.vogel@contoso.com',
            time: '2026-11-10T22:48:03',
            actor: 'r.vogel@contoso.com',
            clientIp: '203.0.113.77:52385',
            parameters: {
              ForwardingSmtpAddress: 'smtp:CFO.Personal@protonmail.com',
              DeliverToMailboxAndForward: 'False',
            },
          })
        )
    )
    expect(finding.created_at).toBe('2026-11-10T22:48:03.000Z')
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        operation: 'Set-Mailbox',
        time: '2026-11-10T22:48:03.000Z',
        actor: 'r.vogel@contoso.com',
        client_ip: '203.0.113.77',
      },
    ])
    expect(categoriesOf(finding)).toContain('recently_created')
  })

  it('Set-Mailbox that set ForwardingSmtpAddress to another address does not attach', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('r.vogel@contoso.com', {
          ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com',
        })
        .audit(
          setMailboxRecord({
            mailbox: 'r.vogel@contoso.com',
            time: daysBeforeCapture(50),
            actor: 'r.vogel@contoso.com',
            parameters: { ForwardingSmtpAddress: 'smtp:auditor@kpmg.example' },
          })
        )
    )
    expect(finding.provenance).toBeUndefined()
  })

  it('Set-Mailbox on another mailbox does not attach', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('r.vogel@contoso.com', {
          ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com',
        })
        .mailbox(MEGAN)
        .audit(
          setMailboxRecord({
            mailbox: MEGAN,
            time: daysBeforeCapture(5),
            actor: MEGAN,
            parameters: { ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com' },
          })
        )
    )
    expect(finding.provenance).toBeUndefined()
  })

  it('Set-Mailbox with ForwardingAddress attaches to the ForwardingAddress finding', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('project.atlas@contoso.com', {
          ForwardingAddress: 'Fabrikam Project Team',
          DeliverToMailboxAndForward: true,
        })
        .mailContact('Fabrikam Project Team', 'project.team@fabrikam.com')
        .audit({
          ...setMailboxRecord({
            mailbox: 'project.atlas@contoso.com',
            time: '2026-09-21T09:03:46',
            actor: 't.becker@contoso.com',
            clientIp: '198.51.100.23:50733',
            parameters: {
              ForwardingAddress: 'Fabrikam Project Team',
              DeliverToMailboxAndForward: 'True',
            },
          }),
          // The admin center names the mailbox by its address and alias.
          ObjectId: 'project.atlas',
          Parameters: [
            { Name: 'Identity', Value: 'project.atlas@contoso.com' },
            { Name: 'ForwardingAddress', Value: 'Fabrikam Project Team' },
            { Name: 'DeliverToMailboxAndForward', Value: 'True' },
          ],
        })
    )
    expect(finding.created_at).toBe('2026-09-21T09:03:46.000Z')
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        operation: 'Set-Mailbox',
        time: '2026-09-21T09:03:46.000Z',
        actor: 't.becker@contoso.com',
        client_ip: '198.51.100.23',
      },
    ])
    expect(categoriesOf(finding)).not.toContain('recently_created')
  })
})

describe('transport rules', () => {
  it('New-TransportRule by Name gives created_at and provenance', async () => {
    const finding = await onlyFinding(
      tenant()
        .transportRule({
          Name: 'Compliance Retention Sync',
          BlindCopyTo: ['svc-retention@contoso-archive.net'],
        })
        .audit(
          newTransportRuleRecord({
            ruleName: 'Compliance Retention Sync',
            time: '2026-11-14T02:17:40',
            actor: 'it-support2@contoso.com',
            clientIp: '203.0.113.54:61022',
            parameters: { BlindCopyTo: 'svc-retention@contoso-archive.net' },
          })
        ),
      { all_users: true, include_transport_rules: true }
    )
    expect(finding.created_at).toBe('2026-11-14T02:17:40.000Z')
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        operation: 'New-TransportRule',
        time: '2026-11-14T02:17:40.000Z',
        actor: 'it-support2@contoso.com',
        client_ip: '203.0.113.54',
      },
    ])
    expect(categoriesOf(finding)).toContain('recently_created')
  })

  it('a New-TransportRule record for another rule does not attach', async () => {
    const finding = await onlyFinding(
      tenant()
        .transportRule({
          Name: 'Archive to Mimecast',
          BlindCopyTo: ['journal@archive.mimecast.com'],
        })
        .audit(
          newTransportRuleRecord({
            ruleName: 'Compliance Retention Sync',
            time: daysBeforeCapture(6),
            actor: 'it-support2@contoso.com',
          })
        ),
      { all_users: true, include_transport_rules: true }
    )
    expect(finding.provenance).toBeUndefined()
  })

  it('an inbox rule record with the transport rule’s name does not attach to it', async () => {
    const findings = await findingsOf(
      tenant()
        .mailbox(ADAM)
        .transportRule({ Name: 'Sync', BlindCopyTo: ['a@evil.example'] })
        .audit(
          newInboxRuleRecord({
            mailbox: ADAM,
            ruleName: 'Sync',
            time: daysBeforeCapture(2),
            actor: ADAM,
          })
        ),
      { all_users: true, include_transport_rules: true }
    )
    expect(findings[0]?.provenance).toBeUndefined()
  })
})

describe('recently created', () => {
  it('is measured from the snapshot’s capturedAt, not the clock', async () => {
    const snapshot = adamWithRule().audit(
      newInboxRuleRecord({
        mailbox: ADAM,
        ruleName: 'ForwardToHeaven',
        time: daysBeforeCapture(10),
        actor: ADAM,
      })
    )
    const muchLater = new Date(Date.parse(CAPTURED_AT) + 365 * 86_400_000)
    const report = await audit(snapshot, { all_users: true }, { now: () => muchLater })
    expect(categoriesOf(report.data.findings[0]!)).toContain('recently_created')
  })

  it('without capturedAt, it is measured from the clock', async () => {
    const builder = adamWithRule().audit(
      newInboxRuleRecord({
        mailbox: ADAM,
        ruleName: 'ForwardToHeaven',
        time: daysBeforeCapture(10),
        actor: ADAM,
      })
    )
    const snapshot = builder.build()
    delete snapshot.capturedAt
    const muchLater = new Date(Date.parse(CAPTURED_AT) + 365 * 86_400_000)
    const late = await audit(snapshot, { all_users: true }, { now: () => muchLater })
    expect(categoriesOf(late.data.findings[0]!)).not.toContain('recently_created')
    const onTime = await audit(snapshot)
    expect(categoriesOf(onTime.data.findings[0]!)).toContain('recently_created')
  })

  it.each([
    [29, true],
    [31, false],
  ])('a rule created %i days before the capture: recently_created is %s', async (days, recent) => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(days),
          actor: ADAM,
        })
      )
    )
    expect(categoriesOf(finding).includes('recently_created')).toBe(recent)
    expect(finding.created_at).not.toBeNull()
  })

  it('a recent Disable-InboxRule does not make an old rule recent', async () => {
    const finding = await onlyFinding(
      adamWithRule({ Enabled: false }).audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(140),
          actor: ADAM,
        }),
        disableInboxRuleRecord({
          mailbox: ADAM,
          ruleIdentity: RULE_IDENTITY,
          time: daysBeforeCapture(3),
          actor: 't.becker@contoso.com',
        })
      )
    )
    expect(finding.provenance?.map((p) => p.operation)).toEqual([
      'New-InboxRule',
      'Disable-InboxRule',
    ])
    expect(categoriesOf(finding)).not.toContain('recently_created')
    expect(categoriesOf(finding)).toContain('disabled')
  })

  it('the factor says who created it and when', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: '2026-11-14T02:26:11',
          actor: 'it-support2@contoso.com',
        })
      )
    )
    expect(finding.risk_factors.find((f) => f.category === 'recently_created')?.description).toBe(
      'Created 2026-11-14 by it-support2@contoso.com'
    )
  })
})
