/**
 * The reviewed allowlist: what it matches, what a suppressed finding looks like, and expiry.
 */
import { describe, expect, it } from 'vitest'
import {
  checkAllowlist,
  type Finding,
  InvalidInputError,
  parseAllowlist,
} from '../../core/index.ts'
import { audit, findingsOf, smtpTarget, tenant } from './tenant-builder.ts'

/** Three legitimate-looking forwards of three mailboxes. */
const snapshot = () =>
  tenant()
    .mailbox('support@contoso.com', { RecipientTypeDetails: 'SharedMailbox' })
    .mailbox('b.schulz@contoso.com', { ForwardingSmtpAddress: 'smtp:ben@fabrikam.com' })
    .mailbox('phishing@contoso.com', { RecipientTypeDetails: 'SharedMailbox' })
    .inboxRule('support@contoso.com', {
      Name: 'Zendesk intake',
      RedirectTo: [smtpTarget('support@contoso.zendesk.com', 'Zendesk')],
    })
    .inboxRule('phishing@contoso.com', {
      Name: 'Forward reports to SOC',
      ForwardAsAttachmentTo: [smtpTarget('reports@phishalarm.example', 'PhishAlarm')],
    })

/** Run with one allowlist entry; returns the destinations it suppressed, sorted. */
async function suppressedBy(entry: Record<string, unknown>): Promise<string[]> {
  const allowlist = parseAllowlist({ version: 1, entries: [{ reason: 'reviewed', ...entry }] })
  const report = await audit(snapshot(), { all_users: true }, { allowlist })
  return report.data.findings
    .filter((f) => f.suppressed)
    .map((f) => f.destination)
    .sort()
}

function allowlistError(input: unknown): InvalidInputError {
  try {
    parseAllowlist(input)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).code).toBe('INVALID_ALLOWLIST')
    return error as InvalidInputError
  }
  throw new Error('expected the allowlist to be rejected')
}

describe('parseAllowlist', () => {
  it('a document that is not an allowlist names the file and the format', () => {
    for (const input of [null, [], 'entries', 42]) {
      expect(() => parseAllowlist(input, '--allowlist team.json')).toThrow(
        /^--allowlist team\.json: .*\{ "version": 1, "entries": \[\.\.\.\] \} \(docs\/allowlist\.md\)$/
      )
    }
  })

  it('an entry without a reason is named by its index', () => {
    const error = allowlistError({
      version: 1,
      entries: [
        { destination: 'support@contoso.zendesk.com', reason: 'Helpdesk intake, CHG-1182' },
        { destination: 'ben@fabrikam.com' },
      ],
    })
    expect(error.field).toBe('entries[1].reason')
    expect(error.message).toContain('`entries[1].reason`')
    expect(error.message).toMatch(/say why this forwarding is legitimate/)
  })

  it('an entry with a blank reason is rejected', () => {
    const error = allowlistError({
      version: 1,
      entries: [{ mailbox: 'a@contoso.com', reason: '  ' }],
    })
    expect(error.field).toBe('entries[0].reason')
  })

  it('an entry that matches nothing is rejected', () => {
    const error = allowlistError({ version: 1, entries: [{ reason: 'everything is fine' }] })
    expect(error.field).toBe('entries[0]')
    expect(error.message).toMatch(/destination, mailbox, rule_name, finding_id/)
  })

  it('an unknown key in an entry is rejected', () => {
    const error = allowlistError({
      version: 1,
      entries: [{ mailbox: 'a@contoso.com', reason: 'ok', expiry: '2027-01-31' }],
    })
    expect(error.field).toBe('entries[0]')
    expect(error.message).toContain('expiry')
  })

  it('a version other than 1 is rejected', () => {
    const error = allowlistError({ version: 2, entries: [] })
    expect(error.field).toBe('version')
    expect(error.message).toContain('`version` must be 1')
  })

  it('an expiry that is not a date is rejected', () => {
    const error = allowlistError({
      version: 1,
      entries: [{ mailbox: 'a@contoso.com', reason: 'ok', expires: 'end of Q1' }],
    })
    expect(error.field).toBe('entries[0].expires')
    expect(error.message).toMatch(/2027-01-31/)
  })

  // A date that does not exist would never expire: endOf() gives NaN, and NaN < now is false.
  it('an expiry with an impossible month is rejected', () => {
    const error = allowlistError({
      version: 1,
      entries: [{ mailbox: 'a@contoso.com', reason: 'ok', expires: '2026-13-01' }],
    })
    expect(error.field).toBe('entries[0].expires')
  })

  it('a valid allowlist parses, with $schema allowed', () => {
    const allowlist = parseAllowlist({
      $schema: 'https://example.invalid/allowlist.schema.json',
      version: 1,
      entries: [
        {
          mailbox: 'm.keller@contoso.com',
          destination: 's.brandt@contoso.com',
          reason: 'Departed 2026-10-06; manager reads mail until 2027-01-31',
          expires: '2027-01-31',
          reviewed_by: 't.becker@contoso.com',
        },
      ],
    })
    expect(allowlist.entries).toHaveLength(1)
  })
})

describe("a mail provider's domain vouches for nobody", () => {
  const withEntry = (destination: string) =>
    parseAllowlist({
      version: 1,
      entries: [
        { destination: 'ben@fabrikam.com', reason: 'reviewed' },
        { destination, mailbox: 'b.schulz@contoso.com', reason: 'his private address' },
      ],
    })

  it.each([
    ['gmail.com', /free mail provider/],
    ['Outlook.com.', /free mail provider/],
    ['protonmail.com', /free mail provider/],
    ['mailinator.com', /free mail provider/],
    ['0-mail.com', /disposable mail provider/],
  ])('an audit with an entry for %s is refused, naming the entry', async (domain, kind) => {
    const error = await audit(snapshot(), { all_users: true }, { allowlist: withEntry(domain) })
      .then(() => undefined)
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).code).toBe('INVALID_ALLOWLIST')
    expect((error as InvalidInputError).field).toBe('entries[1].destination')
    expect((error as InvalidInputError).message).toMatch(kind)
    expect((error as InvalidInputError).message).toMatch(/allow the exact address/)
    await expect(checkAllowlist(withEntry(domain), [], new Date())).rejects.toThrow(kind)
  })

  it('an exact address at a provider is accepted', async () => {
    const allowlist = withEntry('ben.schulz@gmail.com')
    await expect(checkAllowlist(allowlist, [], new Date())).resolves.toHaveLength(2)
  })
})

describe("a vendor's root domain vouches for nobody", () => {
  it.each([
    ['zendesk.com', /ticketing vendor.*support@contoso\.zendesk\.com/],
    ['Freshdesk.com', /ticketing vendor/],
    ['mozmail.com', /relay service/],
    ['mimecast.com', /archiving vendor/],
  ])('a domain entry for %s is refused, naming the exact address to allow', (domain, reason) => {
    const error = allowlistError({
      version: 1,
      entries: [
        { destination: 'ben@fabrikam.com', reason: 'reviewed' },
        { destination: domain, reason: 'our helpdesk' },
      ],
    })
    expect(error.field).toBe('entries[1].destination')
    expect(error.message).toMatch(reason)
    expect(error.message).toMatch(/allow the exact address/)
  })

  it("an exact address at the vendor, or the customer's own sub-domain, is accepted", () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [
        { destination: 'support@contoso.zendesk.com', reason: 'helpdesk intake' },
        { destination: 'contoso.zendesk.com', reason: 'helpdesk intake' },
        { destination: 'journal@archive.mimecast.com', reason: 'archiving' },
      ],
    })
    expect(allowlist.entries).toHaveLength(3)
  })
})

describe('matching', () => {
  it('by destination address', async () => {
    expect(await suppressedBy({ destination: 'Support@Contoso.Zendesk.com' })).toEqual([
      'support@contoso.zendesk.com',
    ])
  })

  it('by domain, which covers its subdomains', async () => {
    expect(await suppressedBy({ destination: 'contoso.zendesk.com' })).toEqual([
      'support@contoso.zendesk.com',
    ])
    expect(await suppressedBy({ destination: 'phishalarm.example' })).toEqual([
      'reports@phishalarm.example',
    ])
  })

  it('a domain does not match a longer domain that merely ends with it', async () => {
    expect(await suppressedBy({ destination: 'desk.com' })).toEqual([])
    expect(await suppressedBy({ destination: 'alarm.example' })).toEqual([])
  })

  it('an address does not match another address in the same domain', async () => {
    expect(await suppressedBy({ destination: 'billing@contoso.zendesk.com' })).toEqual([])
  })

  it('by mailbox, case-insensitively', async () => {
    expect(await suppressedBy({ mailbox: 'B.Schulz@Contoso.com' })).toEqual(['ben@fabrikam.com'])
  })

  it('by rule_name, case-insensitively', async () => {
    expect(await suppressedBy({ rule_name: 'zendesk INTAKE' })).toEqual([
      'support@contoso.zendesk.com',
    ])
  })

  it('by finding_id', async () => {
    const findings = await findingsOf(snapshot())
    const phishing = findings.find((f) => f.user === 'phishing@contoso.com') as Finding
    expect(await suppressedBy({ finding_id: phishing.id })).toEqual(['reports@phishalarm.example'])
  })

  it('by type together with a mailbox', async () => {
    expect(await suppressedBy({ mailbox: 'support@contoso.com', type: 'smtp_forwarding' })).toEqual(
      []
    )
    expect(await suppressedBy({ mailbox: 'support@contoso.com', type: 'inbox_rule' })).toEqual([
      'support@contoso.zendesk.com',
    ])
  })

  it('every matcher an entry gives must match', async () => {
    expect(
      await suppressedBy({ mailbox: 'b.schulz@contoso.com', destination: 'contoso.zendesk.com' })
    ).toEqual([])
    expect(
      await suppressedBy({
        mailbox: 'support@contoso.com',
        rule_name: 'Zendesk intake',
        destination: 'contoso.zendesk.com',
      })
    ).toEqual(['support@contoso.zendesk.com'])
  })

  it('a rule_name entry does not match mailbox forwarding, which has no rule name', async () => {
    expect(await suppressedBy({ rule_name: 'Zendesk intake' })).not.toContain('ben@fabrikam.com')
    // An empty rule_name must either be rejected or match no SMTP forwarding (rule_name null).
    let suppressed: string[]
    try {
      suppressed = await suppressedBy({ rule_name: '' })
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError)
      return
    }
    expect(suppressed).not.toContain('ben@fabrikam.com')
  })
})

describe('suppressed findings', () => {
  it('stay in data.findings with the reason but leave the counts', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [
        {
          mailbox: 'support@contoso.com',
          destination: 'contoso.zendesk.com',
          reason: 'Helpdesk intake, CHG-1182',
          expires: '2027-06-30',
        },
      ],
    })
    const without = await audit(snapshot())
    const report = await audit(snapshot(), { all_users: true }, { allowlist })
    expect(report.data.findings.map((f) => f.id)).toEqual(without.data.findings.map((f) => f.id))
    const zendesk = report.data.findings.find((f) => f.user === 'support@contoso.com')
    expect(zendesk?.suppressed).toEqual({
      reason: 'Helpdesk intake, CHG-1182',
      entry: 'entries[0] (destination=contoso.zendesk.com, mailbox=support@contoso.com)',
      expires: '2027-06-30',
    })
    expect(report.meta.total_findings).toBe(without.meta.total_findings - 1)
    expect(report.data.summary.suppressed).toBe(1)
    const level = zendesk!.risk_level
    expect(report.meta[level]).toBe(without.meta[level] - 1)
    expect(report.data.summary.by_type.inbox_rule).toBe(1)
  })

  it('the first matching entry is the one named', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [
        { mailbox: 'b.schulz@contoso.com', reason: 'first' },
        { destination: 'fabrikam.com', reason: 'second' },
      ],
    })
    const report = await audit(snapshot(), { all_users: true }, { allowlist })
    const ben = report.data.findings.find((f) => f.user === 'b.schulz@contoso.com')
    expect(ben?.suppressed?.reason).toBe('first')
  })
})

describe('expiry', () => {
  const entry = (expires: string) =>
    parseAllowlist({
      version: 1,
      entries: [{ mailbox: 'b.schulz@contoso.com', reason: 'Fwd to home, approved', expires }],
    })

  it('an expired entry suppresses nothing and is named in the summary', async () => {
    // The clock is 2026-11-20T09:30Z.
    const report = await audit(snapshot(), { all_users: true }, { allowlist: entry('2026-11-19') })
    expect(report.data.findings.some((f) => f.suppressed)).toBe(false)
    expect(report.data.summary.expired_allowlist_entries).toEqual([
      'entries[0] (mailbox=b.schulz@contoso.com) expired on 2026-11-19: it no longer suppresses anything',
    ])
    expect(report.meta.total_findings).toBe(3)
  })

  it('an entry expiring today still suppresses: the expiry day is inclusive', async () => {
    const report = await audit(snapshot(), { all_users: true }, { allowlist: entry('2026-11-20') })
    expect(report.data.findings.filter((f) => f.suppressed)).toHaveLength(1)
    expect(report.data.summary.expired_allowlist_entries).toEqual([])
  })

  it.each([
    ['2026-11-20T23:59:59.999Z', true],
    ['2026-11-21T00:00:00.000Z', false],
  ])('on %s a date-only expiry of 2026-11-20 suppresses: %s', async (at, suppresses) => {
    const report = await audit(
      snapshot(),
      { all_users: true },
      { allowlist: entry('2026-11-20'), now: () => new Date(at) }
    )
    expect(report.data.findings.some((f) => f.suppressed)).toBe(suppresses)
  })

  it('an expiry with a time ends at that time', async () => {
    const before = await audit(
      snapshot(),
      { all_users: true },
      { allowlist: entry('2026-11-20T09:00:00Z') }
    )
    expect(before.data.findings.some((f) => f.suppressed)).toBe(false)
    const after = await audit(
      snapshot(),
      { all_users: true },
      { allowlist: entry('2026-11-20T10:00:00Z') }
    )
    expect(after.data.findings.some((f) => f.suppressed)).toBe(true)
  })
})
