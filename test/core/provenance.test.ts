/**
 * Who made a forwarding, when and from where: unified audit log records joined to findings.
 * Inbox rules carry no timestamps, so these records are the only source of `created_at`.
 */
import { describe, expect, it } from 'vitest'
import {
  aliasOf,
  audit,
  CAPTURED_AT,
  categoriesOf,
  cmdletRecord,
  daysBeforeCapture,
  disableInboxRuleRecord,
  findingsOf,
  newInboxRuleRecord,
  newTransportRuleRecord,
  objectIdOf,
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
    expect(finding.modified_at).toBeNull()
    expect(finding.undated).toBeUndefined()
    expect(finding.provenance).toEqual([
      {
        source: 'audit_log',
        record_id: expect.any(String),
        operation: 'New-InboxRule',
        time: '2026-11-14T02:26:11.000Z',
        actor: 'it-support2@contoso.com',
        actor_type: 'admin',
        client_ip: '203.0.113.54',
        client_app: 'MSExchangeOWAAppPool',
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
    // A change is not a creation: the rule is older than what the log shows.
    expect(finding.created_at).toBeNull()
    expect(finding.modified_at).toBe(`${daysBeforeCapture(4)}.000Z`)
    expect(finding.undated?.code).toBe('BEFORE_WINDOW')
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
        record_id: expect.any(String),
        operation: 'UpdateInboxRules',
        time: '2026-11-08T03:11:09.000Z',
        actor: ADAM,
        actor_type: 'user',
        client_ip: '2001:db8:7c1:40::1f',
        client_app: 'Client=MSExchangeRPC',
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
        record_id: expect.any(String),
        operation: 'Set-Mailbox',
        time: '2026-11-10T22:48:03.000Z',
        actor: 'r.vogel@contoso.com',
        // OWA logs an owner's own change as UserType 2; it is the user's.
        actor_type: 'user',
        client_ip: '203.0.113.77',
      },
    ])
    // Ten days before the capture: outside the default window of 7, inside one of 14.
    expect(categoriesOf(finding)).not.toContain('recently_created')
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
        record_id: expect.any(String),
        operation: 'Set-Mailbox',
        time: '2026-09-21T09:03:46.000Z',
        actor: 't.becker@contoso.com',
        actor_type: 'admin',
        client_ip: '198.51.100.23',
      },
    ])
    expect(categoriesOf(finding)).not.toContain('recently_created')
  })
})

describe('ForwardingAddress typed by another name of the recipient', () => {
  it('Set-Mailbox -ForwardingAddress <the contact’s alias> dates the forward Get-Mailbox shows by name', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('project.atlas@contoso.com', {
          ForwardingAddress: 'Fabrikam Project Team',
          DeliverToMailboxAndForward: true,
        })
        .mailContact('Fabrikam Project Team', 'project.team@fabrikam.com')
        .audit(
          setMailboxRecord({
            mailbox: 'project.atlas@contoso.com',
            time: daysBeforeCapture(2),
            actor: 't.becker@contoso.com',
            parameters: { ForwardingAddress: 'FabrikamProjectTeam' },
          })
        )
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(2)}.000Z`)
    expect(finding.undated).toBeUndefined()
    expect(categoriesOf(finding)).toEqual(
      expect.arrayContaining(['recently_created', 'changed_by_other_account'])
    )
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
        record_id: expect.any(String),
        operation: 'New-TransportRule',
        time: '2026-11-14T02:17:40.000Z',
        actor: 'it-support2@contoso.com',
        actor_type: 'admin',
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
        time: daysBeforeCapture(5),
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
        time: daysBeforeCapture(5),
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
    [6, true],
    [8, false],
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

describe('recently created, configurable', () => {
  it('`recent_days` widens the window: ten days back is recent with 14, not with the default 7', async () => {
    const snapshot = adamWithRule().audit(
      newInboxRuleRecord({
        mailbox: ADAM,
        ruleName: 'ForwardToHeaven',
        time: daysBeforeCapture(10),
        actor: ADAM,
      })
    )
    const wide = await audit(snapshot, { all_users: true, recent_days: 14 })
    const narrow = await audit(snapshot, { all_users: true })
    expect(categoriesOf(wide.data.findings[0]!)).toContain('recently_created')
    expect(categoriesOf(narrow.data.findings[0]!)).not.toContain('recently_created')
  })
})

describe('which records date a rule', () => {
  it('a rule renamed with Set-InboxRule -Identity <old> -Name <new> is dated by the New-InboxRule of its old name', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'Old name',
          time: daysBeforeCapture(40),
          actor: ADAM,
        }),
        setInboxRuleRecord({
          mailbox: ADAM,
          ruleIdentity: RULE_IDENTITY,
          time: daysBeforeCapture(3),
          actor: ADAM,
          parameters: { Identity: 'Old name', Name: 'ForwardToHeaven' },
        })
      )
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(40)}.000Z`)
    expect(finding.modified_at).toBe(`${daysBeforeCapture(3)}.000Z`)
    expect(finding.provenance?.map((p) => p.operation)).toEqual(['New-InboxRule', 'Set-InboxRule'])
  })

  it('a rule removed and made again under its name is dated by the second New-InboxRule', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(60),
          actor: ADAM,
        }),
        cmdletRecord('Remove-InboxRule', {
          time: daysBeforeCapture(50),
          actor: ADAM,
          objectId: `${aliasOf(ADAM)}\\ForwardToHeaven`,
          parameters: { Identity: 'ForwardToHeaven' },
        }),
        newInboxRuleRecord({
          mailbox: ADAM,
          ruleName: 'ForwardToHeaven',
          time: daysBeforeCapture(20),
          actor: ADAM,
        })
      )
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(20)}.000Z`)
    expect(finding.provenance).toHaveLength(1)
  })

  it('a namesake rule (another RuleIdentity) made and removed in Outlook neither ends nor dates the rule', async () => {
    const made = newInboxRuleRecord({
      mailbox: ADAM,
      ruleName: 'ForwardToHeaven',
      time: daysBeforeCapture(2),
      actor: MEGAN,
    })
    const namesake = (ruleOperation: string, days: number) =>
      updateInboxRulesRecord({
        mailbox: ADAM,
        ruleName: 'ForwardToHeaven',
        ruleId: '777',
        ruleOperation,
        time: daysBeforeCapture(days),
        actor: ADAM,
      })
    const finding = await onlyFinding(
      adamWithRule().audit(namesake('AddMailboxRule', 30), made, namesake('RemoveMailboxRule', 1))
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(2)}.000Z`)
    expect(finding.provenance?.map((p) => p.operation)).toEqual(['New-InboxRule'])
    expect(categoriesOf(finding)).toEqual(
      expect.arrayContaining(['recently_created', 'changed_by_other_account'])
    )
  })

  it('an Outlook change with an empty rule body joins by its signed rule id', async () => {
    const signed = (BigInt(RULE_IDENTITY) - 2n ** 64n).toString()
    const finding = await onlyFinding(
      adamWithRule().audit(
        updateInboxRulesRecord({
          mailbox: ADAM,
          ruleId: signed,
          time: daysBeforeCapture(2),
          actor: ADAM,
        })
      )
    )
    expect(finding.provenance?.map((p) => p.operation)).toEqual(['UpdateInboxRules'])
    expect(finding.created_at).toBeNull()
    expect(finding.modified_at).toBe(`${daysBeforeCapture(2)}.000Z`)
  })

  it('a cmdlet that failed (ResultStatus False) dates nothing', async () => {
    const failed = {
      ...newInboxRuleRecord({
        mailbox: ADAM,
        ruleName: 'ForwardToHeaven',
        time: daysBeforeCapture(2),
        actor: ADAM,
      }),
      ResultStatus: 'False',
    }
    const finding = await onlyFinding(adamWithRule().audit(failed))
    expect(finding.provenance).toBeUndefined()
    expect(finding.created_at).toBeNull()
  })
})

describe('which records date mailbox forwarding', () => {
  const VOGEL = 'r.vogel@contoso.com'
  const forwarding = (value: string, days: number, extra: Record<string, string> = {}) =>
    setMailboxRecord({
      mailbox: VOGEL,
      time: daysBeforeCapture(days),
      actor: VOGEL,
      parameters: { ForwardingSmtpAddress: value, ...extra },
    })
  const vogel = () =>
    tenant().mailbox(VOGEL, { ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com' })

  it('the forward to X is dated by the record that set X after the last one that set something else', async () => {
    const finding = await onlyFinding(
      vogel().audit(
        forwarding('cfo.personal@protonmail.com', 80),
        forwarding('smtp:auditor@kpmg.example', 60),
        forwarding('', 50),
        // Without the `smtp:` prefix: the admin center and OWA write either.
        forwarding('CFO.Personal@protonmail.com', 12),
        setMailboxRecord({
          mailbox: VOGEL,
          time: daysBeforeCapture(4),
          actor: VOGEL,
          parameters: { DeliverToMailboxAndForward: 'False' },
        })
      )
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(12)}.000Z`)
    expect(finding.modified_at).toBe(`${daysBeforeCapture(4)}.000Z`)
    expect(finding.provenance).toHaveLength(2)
  })

  it('when the log last set another address, the current one is undated: changed without a record', async () => {
    const finding = await onlyFinding(
      vogel().audit(
        forwarding('smtp:cfo.personal@protonmail.com', 30),
        forwarding('smtp:auditor@kpmg.example', 20)
      )
    )
    expect(finding.created_at).toBeNull()
    expect(finding.provenance).toBeUndefined()
    expect(finding.undated?.code).toBe('UNRECORDED_CHANGE')
  })

  it('ForwardingAddress "" clears it: a later record setting it again dates it', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox('m.keller@contoso.com', { ForwardingAddress: 's.brandt' })
        .mailbox('s.brandt@contoso.com')
        .audit(
          setMailboxRecord({
            mailbox: 'm.keller@contoso.com',
            time: daysBeforeCapture(90),
            actor: 't.becker@contoso.com',
            parameters: { ForwardingAddress: 's.brandt' },
          }),
          setMailboxRecord({
            mailbox: 'm.keller@contoso.com',
            time: daysBeforeCapture(70),
            actor: 't.becker@contoso.com',
            parameters: { ForwardingAddress: '' },
          }),
          setMailboxRecord({
            mailbox: 'm.keller@contoso.com',
            time: daysBeforeCapture(45),
            actor: 't.becker@contoso.com',
            parameters: { ForwardingAddress: 's.brandt' },
          })
        )
    )
    expect(finding.created_at).toBe(`${daysBeforeCapture(45)}.000Z`)
  })

  it('a service change ("Microsoft Operator", UserType 3) is provenance of type service', async () => {
    const finding = await onlyFinding(
      vogel().audit({
        ...forwarding('smtp:cfo.personal@protonmail.com', 30),
        UserId: 'Microsoft Operator',
        UserType: 3,
      })
    )
    expect(finding.provenance?.[0]?.actor_type).toBe('service')
  })
})

describe('why a finding is undated', () => {
  it('a snapshot without auditRecords: AUDIT_LOG_NOT_READ, and the summary says the log was not read', async () => {
    const report = await audit(adamWithRule())
    const finding = report.data.findings[0]!
    expect(finding.created_at).toBeNull()
    expect(finding.undated?.code).toBe('AUDIT_LOG_NOT_READ')
    expect(report.data.summary.audit_log).toMatchObject({ read: false, records: 0 })
    expect(report.data.summary.audit_log.notes[0]).toMatch(/no auditRecords/)
    // An undated audit is not an incomplete one: the log is named in audit_log, not as a gap.
    expect(report.data.summary.incomplete_reasons.join('\n')).not.toMatch(
      /audit ?log|auditRecords/i
    )
  })

  it('a log with nothing about it: BEFORE_WINDOW', async () => {
    const finding = await onlyFinding(
      adamWithRule().audit(
        newInboxRuleRecord({
          mailbox: MEGAN,
          ruleName: 'Other',
          time: daysBeforeCapture(2),
          actor: MEGAN,
        })
      )
    )
    expect(finding.undated?.code).toBe('BEFORE_WINDOW')
  })

  it('mailbox auditing off for the organization: AUDITING_OFF, a factor, and the summary names the mailbox', async () => {
    const report = await audit(adamWithRule().auditing({ auditDisabled: true }).audit())
    const finding = report.data.findings[0]!
    expect(finding.undated?.code).toBe('AUDITING_OFF')
    expect(categoriesOf(finding)).toContain('auditing_off')
    expect(report.data.summary.audit_log.unaudited_mailboxes).toEqual([
      { mailbox: ADAM, reason: expect.stringMatching(/AuditDisabled/) },
    ])
  })

  it('AuditEnabled false is ignored while the organization audits by default', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ADAM, { AuditEnabled: false })
        .inboxRule(ADAM, { Name: 'Fwd', ForwardTo: [smtpTarget('a@evil.example')] })
        .auditing({ auditDisabled: false })
        .audit()
    )
    expect(categoriesOf(finding)).not.toContain('auditing_off')
  })

  it('unified audit ingestion off: every forwarding mailbox is unaudited', async () => {
    const report = await audit(adamWithRule().auditing({ ingestion: false }).audit())
    expect(report.data.findings[0]?.undated?.code).toBe('AUDITING_OFF')
    expect(report.data.summary.audit_log.auditing[0]).toMatch(/ingestion is off/)
  })
})

describe('since', () => {
  const VOGEL = 'r.vogel@contoso.com'
  const tenantWithThree = () =>
    tenant()
      .mailbox(VOGEL, { ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com' })
      .mailbox(ADAM, { ForwardingSmtpAddress: 'smtp:adam.home@gmail.com' })
      .mailbox(MEGAN, { ForwardingSmtpAddress: 'smtp:megan@fabrikam.example' })
      .audit(
        setMailboxRecord({
          mailbox: VOGEL,
          time: '2026-11-10T22:48:03',
          actor: VOGEL,
          parameters: { ForwardingSmtpAddress: 'smtp:cfo.personal@protonmail.com' },
        }),
        setMailboxRecord({
          mailbox: ADAM,
          time: '2026-08-01T10:00:00',
          actor: ADAM,
          parameters: { ForwardingSmtpAddress: 'smtp:adam.home@gmail.com' },
        })
      )

  it('drops a forward made before the date, keeps one made after, keeps (marked) one the log cannot date', async () => {
    const report = await audit(tenantWithThree(), { all_users: true, since: '2026-11-01' })
    const byUser = new Map(report.data.findings.map((f) => [f.user, f]))
    expect(byUser.has(ADAM)).toBe(false)
    expect(byUser.get(VOGEL)?.created_at_unknown).toBeUndefined()
    expect(byUser.get(MEGAN)?.created_at_unknown).toBe(true)
    expect(byUser.get(MEGAN)?.undated?.code).toBe('BEFORE_WINDOW')
    expect(report.data.summary.filtered_out).toBe(1)
  })

  it('keeps a forward made before the date but changed after it', async () => {
    const report = await audit(
      tenantWithThree().audit(
        setMailboxRecord({
          mailbox: ADAM,
          time: '2026-11-05T10:00:00',
          actor: ADAM,
          parameters: { DeliverToMailboxAndForward: 'False' },
        })
      ),
      { all_users: true, since: '2026-11-01' }
    )
    expect(report.data.findings.map((f) => f.user)).toContain(ADAM)
  })
})

describe('the audit log in the summary', () => {
  it('names the source, the records read (duplicates once) and the window of a snapshot export', async () => {
    const record = newInboxRuleRecord({
      mailbox: ADAM,
      ruleName: 'ForwardToHeaven',
      time: daysBeforeCapture(3),
      actor: ADAM,
    })
    const snapshot = adamWithRule()
      .audit(record, { ...record })
      .build()
    snapshot.auditLog = {
      source: 'graph-audit-query',
      start: '2026-08-22T09:00:00Z',
      end: '2026-11-20T09:00:00Z',
    }
    const { summary } = (await audit(snapshot)).data
    expect(summary.audit_log).toMatchObject({
      read: true,
      source: 'snapshot',
      start: '2026-08-22T09:00:00.000Z',
      end: '2026-11-20T09:00:00.000Z',
      records: 1,
    })
  })

  it('a record whose time is no real day (2026-02-30) is counted in the summary, not silently dropped', async () => {
    const made = (time: string) =>
      newInboxRuleRecord({ mailbox: ADAM, ruleName: 'ForwardToHeaven', time, actor: ADAM })
    const report = await audit(adamWithRule().audit(made('2026-02-30T10:00:00')))
    expect(report.data.summary.audit_log?.records).toBe(0)
    expect(report.data.summary.audit_log?.notes).toContainEqual(
      expect.stringMatching(/^1 audit record\(s\) could not be read/)
    )
    const clean = await audit(adamWithRule().audit(made(daysBeforeCapture(3))))
    expect(clean.data.summary.audit_log?.notes).toEqual([])
  })

  it('an ObjectId of the mailbox GUID joins Set-Mailbox like its alias', async () => {
    const finding = await onlyFinding(
      tenant()
        .mailbox(ADAM, { ForwardingSmtpAddress: 'smtp:adam.home@gmail.com' })
        .audit(
          cmdletRecord('Set-Mailbox', {
            time: daysBeforeCapture(3),
            actor: 't.becker@contoso.com',
            objectId: objectIdOf(ADAM),
            parameters: {
              Identity: objectIdOf(ADAM),
              ForwardingSmtpAddress: 'adam.home@gmail.com',
            },
          })
        )
    )
    expect(finding.created_at).not.toBeNull()
  })
})
