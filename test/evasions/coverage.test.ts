/**
 * Issue 7, coverage the report claims: a report never says more than its data can show.
 * Hidden rules need Graph's view; transport rules left out are counted; an allowlist cannot
 * cover a whole suffix and says which entries matched nothing; a network that cannot work is
 * given up on at once, and every retry is said.
 */
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../../core/errors/errors.ts'
import { isAuditError, parseAllowlist } from '../../core/index.ts'
import { classifyFailure, withRetries } from '../../core/m365/retry.ts'
import { audit, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { fakeContext } from '../live/fake-context.ts'

const ALEX = 'alex.wilber@contoso.com'
const forward = { Name: 'Sync', ForwardTo: [smtpTarget('drop@evil.example')] }

describe('hidden rules need Graph’s view', () => {
  it('a snapshot without Graph rules says so, and is not complete', async () => {
    const report = await audit(tenant().mailbox(ALEX).inboxRule(ALEX, forward))
    const { summary } = report.data
    expect(summary.complete).toBe(false)
    expect(summary.incomplete_reasons.join('\n')).toMatch(
      /1 mailbox\(es\) have no Graph view of their rules .*none of theirs is reported hidden/
    )
    expect(report.data.findings[0]?.hidden).toBe(false)
  })

  it('a snapshot with only Graph’s view says hidden rules are not in it', async () => {
    const report = await audit(
      tenant()
        .mailbox(ALEX)
        .graphRule(ALEX, {
          displayName: 'x',
          actions: { forwardTo: [{ emailAddress: { address: 'a@evil.example' } }] },
        })
    )
    expect(report.data.summary.incomplete_reasons.join('\n')).toMatch(
      /only Graph's view .*Get-InboxRule -IncludeHidden/
    )
  })

  it('a mailbox with no rule list at all says its rules were not audited', async () => {
    const report = await audit(tenant().mailbox(ALEX))
    expect(report.data.summary.complete).toBe(false)
    expect(report.data.summary.incomplete_reasons.join('\n')).toMatch(
      /have no inbox rules in the snapshot .*not audited/
    )
  })

  it('with both views the audit is complete', async () => {
    const report = await audit(tenant().mailbox(ALEX).inboxRule(ALEX, forward).withBothViews())
    expect(report.data.summary.complete).toBe(true)
    expect(report.data.summary.incomplete_reasons).toEqual([])
  })

  it('without inbox rules asked for, their absence is no gap', async () => {
    const report = await audit(tenant().mailbox(ALEX), {
      all_users: true,
      include_inbox_rules: false,
    })
    expect(report.data.summary.incomplete_reasons).toEqual([])
  })
})

describe('transport rules left out', () => {
  const withRules = () =>
    tenant()
      .mailbox(ALEX)
      .withBothViews()
      .transportRule({ Name: 'Bcc', BlindCopyTo: ['drop@evil.example'] })
      .transportRule({ Name: 'Other', CopyTo: ['x@evil.example'] })

  it('are counted with how to include them; the default stays off', async () => {
    const report = await audit(withRules())
    expect(report.data.findings).toEqual([])
    expect(report.data.summary.request.include_transport_rules).toBe(false)
    expect(report.data.summary.coverage).toEqual([
      '2 transport rule(s) in the data were not audited: set include_transport_rules (--include-transport-rules) to audit them',
    ])
  })

  it('an empty list of them leaves no note: nothing in the data went unaudited', async () => {
    const document = tenant().mailbox(ALEX).withBothViews().build()
    document.transportRules = []
    document.journalRules = []
    const report = await audit(document)
    expect(report.data.summary.coverage).toBeUndefined()
  })

  it('are audited when asked, and then no note is left', async () => {
    const report = await audit(withRules(), { all_users: true, include_transport_rules: true })
    expect(report.data.findings).toHaveLength(2)
    expect(report.data.summary.coverage).toBeUndefined()
  })

  it('the table and markdown say it too', async () => {
    const { formatReport } = await import('../../core/index.ts')
    const report = await audit(withRules())
    expect(formatReport(report, 'table')).toContain('Not audited: 2 transport rule(s)')
    expect(formatReport(report, 'markdown')).toContain('### Not audited')
  })
})

describe('the allowlist', () => {
  it.each([
    ['com'],
    ['co.uk'],
    ['*'],
    ['*.zendesk.com'],
    ['.'],
    ['onmicrosoft.com'],
    ['github.io'],
  ])('a destination entry %j that covers a whole suffix is refused', (destination) => {
    let error: unknown
    try {
      parseAllowlist({ version: 1, entries: [{ destination, reason: 'r' }] })
    } catch (e) {
      error = e
    }
    expect(isAuditError(error) && error.code).toBe('INVALID_ALLOWLIST')
    expect(String((error as Error).message)).toMatch(/entries\[0\]\.destination.*too broadly/)
  })

  it.each([['fabrikam.com'], ['contoso.co.uk'], ['a@gmail.com']])('%j is fine', (destination) => {
    expect(parseAllowlist({ version: 1, entries: [{ destination, reason: 'r' }] })).toBeDefined()
  })

  it('an entry that matched nothing is listed in the summary', async () => {
    const allowlist = parseAllowlist({
      version: 1,
      entries: [
        { destination: 'drop@evil.example', reason: 'reviewed' },
        { mailbox: 'gone@contoso.com', reason: 'left in 2024' },
      ],
    })
    const report = await audit(tenant().mailbox(ALEX).inboxRule(ALEX, forward), undefined, {
      allowlist,
    })
    expect(report.data.findings[0]?.suppressed).toBeDefined()
    expect(report.data.summary.unmatched_allowlist_entries).toEqual([
      'entries[1] (mailbox=gone@contoso.com) matched no finding',
    ])
  })
})

describe('no network', () => {
  const failing = (code: string) => {
    let calls = 0
    const attempt = async () => {
      calls++
      throw new NetworkError('login.microsoftonline.com', code)
    }
    return { attempt, calls: () => calls }
  }

  it.each([
    ['ENOTFOUND'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['CERT_HAS_EXPIRED'],
    ['ECONNREFUSED'],
  ])('%s is given up on at once, with what to check', async (code) => {
    const { ctx, retries } = fakeContext()
    const { attempt, calls } = failing(code)
    const error = await withRetries('token', attempt, (e) => classifyOnce(e), ctx).catch((e) => e)
    expect(calls()).toBe(1)
    expect(retries).toEqual([])
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toMatch(new RegExp(`\\(${code}\\): .*check .*not retried`))
  })

  it('a reset connection is retried, and each retry says what failed', async () => {
    const { ctx, retries } = fakeContext()
    const { attempt, calls } = failing('ECONNRESET')
    const error = await withRetries('graph', attempt, (e) => classifyOnce(e), ctx).catch((e) => e)
    expect(calls()).toBe(4)
    expect(error.code).toBe('SOURCE_UNAVAILABLE')
    expect(retries.map((r) => r.reason)).toEqual(
      Array(3).fill('could not reach login.microsoftonline.com (ECONNRESET)')
    )
    expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3])
  })
})

const classifyOnce = (error: unknown) => classifyFailure(error, 0)
