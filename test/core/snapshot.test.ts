/**
 * The offline snapshot: malformed documents fail with INVALID_SNAPSHOT naming the field, and
 * what PowerShell's ConvertTo-Json really writes is accepted without hand-editing.
 */
import { describe, expect, it } from 'vitest'
import {
  InvalidInputError,
  parseSnapshot,
  SNAPSHOT_FORMAT,
  snapshotSource,
} from '../../core/index.ts'
import { audit, findingsOf, type SnapshotDocument, smtpTarget, tenant } from './tenant-builder.ts'

function snapshotError(document: unknown): InvalidInputError {
  let thrown: unknown
  try {
    parseSnapshot(document)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(InvalidInputError)
  const error = thrown as InvalidInputError
  expect(error.code).toBe('INVALID_SNAPSHOT')
  expect(error.userFixable).toBe(true)
  // snapshotSource validates the same way, up front.
  expect(() => snapshotSource(document)).toThrow(error.message)
  return error
}

const valid = () => tenant().mailbox('alex.wilber@contoso.com').build()

describe('malformed snapshots', () => {
  it.each([['a string'], [42], [null], [[]], [undefined]])('%j is not a tenant snapshot', (doc) => {
    const error = snapshotError(doc)
    expect(error.field).toBe('format')
    expect(error.message).toContain(`\`format\` must be "${SNAPSHOT_FORMAT}"`)
  })

  it('a wrong format is named', () => {
    const error = snapshotError({ ...valid(), format: 'cipp/bec-report' })
    expect(error.field).toBe('format')
    expect(error.message).toContain('not a tenant snapshot')
  })

  it('a missing format is named', () => {
    const { format: _, ...rest } = valid()
    expect(snapshotError(rest).field).toBe('format')
  })

  it('a wrong version is named', () => {
    const error = snapshotError({ ...valid(), version: 2 })
    expect(error.field).toBe('version')
    expect(error.message).toContain('`version`')
  })

  it('a mailbox without UserPrincipalName names the path to it', () => {
    const doc = valid()
    delete doc.mailboxes[0]!.mailbox.UserPrincipalName
    const error = snapshotError(doc)
    expect(error.field).toBe('mailboxes[0].mailbox.UserPrincipalName')
    expect(error.message).toContain('`mailboxes[0].mailbox.UserPrincipalName`')
    expect(error.message).toContain('docs/snapshot.md')
  })

  it('a ForwardingSmtpAddress of the wrong type names the path to it', () => {
    const doc = tenant().mailbox('a@contoso.com').mailbox('b@contoso.com').build()
    doc.mailboxes[1]!.mailbox.ForwardingSmtpAddress = 42
    expect(snapshotError(doc).field).toBe('mailboxes[1].mailbox.ForwardingSmtpAddress')
  })

  it('a missing tenant id is named', () => {
    expect(snapshotError({ ...valid(), tenant: {} }).field).toBe('tenant.id')
  })

  it('a capturedAt without an offset is named', () => {
    expect(snapshotError({ ...valid(), capturedAt: '2026-11-20 09:00' }).field).toBe('capturedAt')
  })

  it('an unknown top-level key is named, not mistaken for a wrong format', () => {
    const error = snapshotError({ ...valid(), mailboxRules: [] })
    expect(error.message).toContain('mailboxRules')
    expect(error.message).not.toContain('not a tenant snapshot')
    expect(error.field).toBe('mailboxRules')
  })

  it('a mailbox entry that is not an object is named', () => {
    const doc = valid() as SnapshotDocument & { mailboxes: unknown[] }
    doc.mailboxes.push(42)
    const error = snapshotError(doc)
    expect(error.field).toBe('mailboxes[1]')
    expect(error.message).toContain('must be an object')
  })

  it('an unknown key in a mailbox entry is named with its path', () => {
    const doc = valid() as SnapshotDocument & { mailboxes: Record<string, unknown>[] }
    doc.mailboxes[0]!.inboxRules = []
    const error = snapshotError(doc)
    expect(error.field).toBe('mailboxes[0].inboxRules')
    expect(error.message).toContain('inboxRules')
  })
})

describe('malformed inbox rules, checked as they are read', () => {
  /** The audit's rejection for a snapshot whose one mailbox has `rules` as Get-InboxRule output. */
  async function ruleError(
    rules: unknown[],
    key = 'exchangeInboxRules'
  ): Promise<InvalidInputError> {
    const doc = valid() as SnapshotDocument & { mailboxes: Record<string, unknown>[] }
    doc.mailboxes[0]![key] = rules
    const error = await audit(doc).then(
      () => undefined,
      (thrown: unknown) => thrown
    )
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).code).toBe('INVALID_SNAPSHOT')
    return error as InvalidInputError
  }

  it('a rule without a Name names the path to it', async () => {
    const error = await ruleError([{ Name: 'Junk E-mail Rule' }, { ForwardTo: ['a@evil.example'] }])
    expect(error.field).toBe('mailboxes[0].exchangeInboxRules[1].Name')
    expect(error.message).toContain('`mailboxes[0].exchangeInboxRules[1].Name`')
  })

  it('a forwarding rule with a field of the wrong type names the field', async () => {
    const error = await ruleError([{ Name: 'Sync', ForwardTo: ['a@evil.example'], Enabled: 'yes' }])
    expect(error.field).toBe('mailboxes[0].exchangeInboxRules[0].Enabled')
  })

  it('a forwarding Graph rule without an id names the field', async () => {
    const error = await ruleError(
      [
        {
          displayName: 'Sync',
          actions: { forwardTo: [{ emailAddress: { address: 'a@evil.example' } }] },
        },
      ],
      'graphInboxRules'
    )
    expect(error.field).toBe('mailboxes[0].graphInboxRules[0].id')
  })
})

describe('what PowerShell writes', () => {
  it('a single accepted domain written as an object, not an array, is accepted', async () => {
    const doc = tenant()
      .mailbox('alex.wilber@contoso.com', {
        ForwardingSmtpAddress: 'smtp:x@contoso.onmicrosoft.com',
      })
      .build()
    doc.acceptedDomains = (doc.acceptedDomains as Record<string, unknown>[])[0]!
    expect(() => parseSnapshot(doc)).not.toThrow()
    const findings = await findingsOf(doc)
    // Only contoso.com is accepted now, so the onmicrosoft.com address is external.
    expect(findings.map((f) => f.external)).toEqual([true])
  })

  it('a mailbox’s single inbox rule written as an object is accepted', async () => {
    const doc = tenant()
      .mailbox('alex.wilber@contoso.com')
      .inboxRule('alex.wilber@contoso.com', {
        Name: 'Sync',
        ForwardTo: smtpTarget('a@evil.example'),
      })
      .build()
    const entry = doc.mailboxes[0]!
    entry.exchangeInboxRules = (entry.exchangeInboxRules as Record<string, unknown>[])[0]!
    const findings = await findingsOf(doc)
    expect(findings.map((f) => [f.rule_name, f.destination])).toEqual([['Sync', 'a@evil.example']])
  })

  it('a single transport rule written as an object is accepted', async () => {
    const doc = tenant().transportRule({ Name: 'Bcc', BlindCopyTo: 'a@evil.example' }).build()
    doc.transportRules = (doc.transportRules as Record<string, unknown>[])[0]!
    const findings = await findingsOf(doc, { all_users: true, include_transport_rules: true })
    expect(findings.map((f) => [f.rule_name, f.destination])).toEqual([['Bcc', 'a@evil.example']])
  })

  it('a single audit record and a single recipient written as objects are accepted', () => {
    const doc = {
      ...valid(),
      recipients: { Identity: 'svc-sync', PrimarySmtpAddress: 'svc-sync@contoso.com' },
      auditRecords: { Operation: 'Set-Mailbox', CreationTime: '2026-11-10T22:48:03' },
    }
    expect(() => parseSnapshot(doc)).not.toThrow()
  })

  it('explicit nulls for optional data sets are accepted', async () => {
    const doc = { ...valid(), recipients: null, transportRules: null, auditRecords: null }
    const report = await audit(doc as unknown as SnapshotDocument, {
      all_users: true,
      include_transport_rules: true,
    })
    expect(report.data.summary.sources).not.toContain('snapshot:Get-TransportRule')
  })

  it('extra fields on raw rows (annotations, properties the audit does not read) pass through', () => {
    const doc = valid()
    doc.mailboxes[0]!.mailbox['WhenChanged@data.type'] = 'System.DateTime'
    doc.mailboxes[0]!.mailbox.AuditOwner = ['Update', 'UpdateInboxRules']
    expect(() => parseSnapshot(doc)).not.toThrow()
  })
})
