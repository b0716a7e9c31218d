/**
 * The Sigma rules in detections/ and the engine agree on the same audit records: a record a
 * rule matches is a forwarding change that `forwarding-audit events` reports, and a record no
 * rule matches (a move-to-folder rule, a cleared forward, a failed cmdlet, a removed rule, a
 * blank Outlook resync) gives no finding. The spray correlation fires for exactly the accounts
 * the engine marks forwarding_spray. The records are the project's own fixtures, in the four
 * shapes real exports have (test/fixtures/audit-log/).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  type AuditExport,
  type AuditReport,
  auditLogSource,
  parseAuditExport,
  runAudit,
} from '../../core/index.ts'
import {
  type CorrelationRule,
  correlate,
  type DetectionRule,
  loadRules,
  matches,
  type SigmaEvent,
} from './sigma-evaluator.ts'

const FIXTURES = 'test/fixtures/audit-log'
const EXPORTS = [
  'search-unifiedauditlog.csv',
  'convertto-json.json',
  'records.jsonl',
  'graph-audit-records.json',
]

const INBOX = 'm365_audit_inbox_rule_forwarding'
const OUTLOOK = 'm365_audit_outlook_rule_forwarding'
const MAILBOX = 'm365_audit_mailbox_forwarding'
const TRANSPORT = 'm365_audit_transport_rule_forwarding'
const JOURNAL = 'm365_audit_journal_rule_forwarding'

/** Every fixture record by Id: the rule that should match it, or null for a benign record. */
const EXPECTED: Record<string, { rule: string | null; what: string }> = {
  'a3c1e7d2-5f4b-4e8a-9c61-08dd2f1a7b01': { rule: MAILBOX, what: 'OWA forwarding to proton.me' },
  'b7e2f9a4-1c3d-4b6e-8f05-08dd2f1b3c22': { rule: INBOX, what: 'New-InboxRule ".." to gmail' },
  'c9a4d6e1-8b2f-4c7a-a3e5-08dd2f1c9d43': { rule: null, what: 'Set-Mailbox AuditLogAgeLimit' },
  'd2b8f1c7-4e6a-4d3b-b9f2-08dd2f1dae64': { rule: null, what: 'New-InboxRule move to folder' },
  'e5f3a2b9-7c1d-4e8f-a6b4-08dd2f1ebf85': { rule: null, what: 'failed Set-Mailbox forwarding' },
  'f1a6c3e8-2b4d-4f9a-8c7e-08dd2e9f1a06': { rule: OUTLOOK, what: 'Outlook rule forward' },
  '0a7d2f5b-9c3e-4b1a-8d6f-08dd2ea02b17': { rule: null, what: 'blank ModifyMailboxRule' },
  '1b8e3a6c-0d4f-4c2b-9e7a-08dd2ea13c28': { rule: null, what: 'RemoveMailboxRule' },
  '2c9f4b7d-1e5a-4d3c-a8f1-08dd2ea24d39': { rule: INBOX, what: 'Set-InboxRule adds RedirectTo' },
  '3d0a5c8e-2f6b-4e4d-b9a2-08dd2ea35e4a': { rule: null, what: 'Set-InboxRule clears ForwardTo' },
  '4e1b6d9f-3a7c-4f5e-8ab3-08dd2ea46f5b': { rule: null, what: 'Outlook move-to-folder rule' },
  '5f2c7e0a-6b9d-4a1f-8c3e-08dd2eb57a6c': { rule: MAILBOX, what: 'admin spray 1 (ip-port)' },
  '6a3d8f1b-7c0e-4b2a-9d4f-08dd2eb68b7d': { rule: MAILBOX, what: 'admin spray 2 ([::ffff:])' },
  '7b4e9a2c-8d1f-4c3b-ae5a-08dd2eb79c8e': { rule: MAILBOX, what: 'admin spray 3' },
  '8c5f0b3d-9e2a-4d4c-bf6b-08dd2eb8ad9f': { rule: null, what: 'Set-Mailbox clears forwarding' },
  '9d6a1c4e-0f3b-4e5d-8a7c-08dd2eb9bea0': { rule: OUTLOOK, what: 'older-schema EWS rule' },
  'ae7b2d5f-1a4c-4f6e-9b8d-08dd2ebacfb1': { rule: null, what: 'Microsoft Operator change' },
  'bf8c3e6a-2b5d-4a7f-ac9e-08dd2ebbd0c2': { rule: TRANSPORT, what: 'New-TransportRule Bcc' },
  'c09d4f7b-3c6e-4b8a-bdaf-08dd2ebce1d3': { rule: null, what: 'transport rule disclaimer' },
  'd1ae5a8c-4d7f-4c9b-8eb0-08dd2ebdf2e4': { rule: TRANSPORT, what: 'Set-TransportRule redirect' },
  'e2bf6b9d-5e8a-4dac-9fc1-08dd2ebe03f5': { rule: null, what: 'Disable-TransportRule' },
  'f3c07e1a-6d2b-4c8e-9a1f-08dd2ec0a4b6': { rule: JOURNAL, what: 'New-JournalRule, all mail out' },
  '04d18f2b-7e3c-4d9f-ab20-08dd2ec1b5c7': { rule: null, what: 'Set-JournalRule scope only' },
  '15e2903c-8f4d-4eaf-bc31-08dd2ec2c6d8': { rule: null, what: 'Disable-JournalRule' },
}

const rules = loadRules('detections')
const detections = rules.filter((r): r is DetectionRule => r.kind === 'detection')
const spray = rules.find((r): r is CorrelationRule => r.kind === 'correlation')!

/** What a SIEM indexes: the classic record, unwrapped from a CSV row or a Graph record. */
function classic(raw: Record<string, unknown>): SigmaEvent {
  const nested = raw.AuditData ?? raw.auditData
  if (typeof nested === 'string') return JSON.parse(nested) as SigmaEvent
  return (nested && typeof nested === 'object' ? nested : raw) as SigmaEvent
}

const matchingRules = (event: SigmaEvent) =>
  detections.filter((rule) => matches(rule, event)).map((rule) => rule.name as string)

const exports = EXPORTS.map((file) => ({
  file,
  exported: parseAuditExport(readFileSync(`${FIXTURES}/${file}`), file),
}))
/** Each record once (the CSV holds one twice, as real exports do). */
const records = [
  ...new Map(
    exports.flatMap(({ exported }) =>
      exported.records.map((raw) => [String(classic(raw).Id), raw] as const)
    )
  ).values(),
]

function events(exported: AuditExport): Promise<AuditReport> {
  return runAudit({ all_users: true, include_transport_rules: true }, auditLogSource(exported), {
    now: () => new Date('2026-11-30T12:00:00Z'),
  })
}

/** A provenance entry and a record are the same change: operation, time and account. */
function sameChange(
  entry: { operation: string; time: string; actor?: string },
  event: SigmaEvent
): boolean {
  return (
    entry.operation === event.Operation &&
    entry.time === new Date(`${event.CreationTime}Z`).toISOString() &&
    entry.actor === String(event.UserId).toLowerCase()
  )
}

describe('the fixtures', () => {
  it('hold every expected record, in four export shapes, attacks and benign records both', () => {
    expect(new Set(records.map((raw) => String(classic(raw).Id)))).toEqual(
      new Set(Object.keys(EXPECTED))
    )
    const attacks = Object.values(EXPECTED).filter((e) => e.rule !== null)
    expect(attacks.length).toBeGreaterThanOrEqual(8)
    expect(Object.keys(EXPECTED).length - attacks.length).toBeGreaterThanOrEqual(8)
    expect(exports.map(({ exported }) => exported.format).sort()).toEqual(
      ['csv', 'json', 'json', 'json-lines'].sort()
    )
  })
})

describe('each Sigma rule on each sample record', () => {
  it.each(records.map((raw) => [EXPECTED[String(classic(raw).Id)]?.what, raw] as const))(
    '%s: the expected rule matches, and no other',
    (_what, raw) => {
      const event = classic(raw)
      const expected = EXPECTED[String(event.Id)]!.rule
      expect(matchingRules(event)).toEqual(expected === null ? [] : [expected])
    }
  )
})

describe('the engine on each sample record alone', () => {
  it.each(records.map((raw) => [EXPECTED[String(classic(raw).Id)]?.what, raw] as const))(
    '%s: events reports a finding exactly when a rule matches',
    async (_what, raw) => {
      const event = classic(raw)
      const report = await events({ format: 'json', records: [raw] })
      const matched = matchingRules(event).length > 0
      expect(report.data.findings.length > 0, JSON.stringify(report.data.findings)).toBe(matched)
      for (const finding of report.data.findings) {
        expect(finding.provenance?.some((entry) => sameChange(entry, event))).toBe(true)
      }
    }
  )
})

describe('the engine on each whole export', () => {
  it.each(exports.map(({ file, exported }) => [file, exported] as const))(
    '%s: every record a rule matches is a reported finding’s provenance, and benign ones are not',
    async (_file, exported) => {
      const report = await events(exported)
      const provenance = report.data.findings.flatMap((finding) => finding.provenance ?? [])
      for (const raw of exported.records) {
        const event = classic(raw)
        const reported = provenance.some((entry) => sameChange(entry, event))
        if (matchingRules(event).length > 0) expect(reported, String(event.Id)).toBe(true)
        // A benign change may be history of a reported rule (a later Disable), but never a
        // finding's only record.
      }
      for (const finding of report.data.findings) {
        const own = exported.records
          .map(classic)
          .filter((event) => finding.provenance?.some((entry) => sameChange(entry, event)))
        expect(
          own.some((event) => matchingRules(event).length > 0),
          finding.destination
        ).toBe(true)
      }
    }
  )
})

describe('the spray correlation and forwarding_spray', () => {
  /** Correlation input: every record with the base rules it matches and its time. */
  const timeline = (raws: Record<string, unknown>[]) =>
    raws.map((raw) => {
      const event = classic(raw)
      return { event, time: Date.parse(`${event.CreationTime}Z`), rules: matchingRules(event) }
    })

  async function sprayedActors(exported: AuditExport): Promise<string[]> {
    const report = await events(exported)
    const actors = report.data.findings
      .filter((f) => f.risk_factors.some((factor) => factor.category === 'forwarding_spray'))
      .flatMap((f) => (f.provenance ?? []).map((entry) => entry.actor ?? ''))
    return [...new Set(actors)].sort()
  }

  it('fires for the admin who set forwarding on three mailboxes in eight minutes, as the engine does', async () => {
    const fired = correlate(spray, timeline(records))
    expect([...fired.keys()]).toEqual(['it.admin@northwindtraders.com'])
    expect(fired.get('it.admin@northwindtraders.com')).toHaveLength(3)
    const lines = exports.find(({ file }) => file === 'records.jsonl')!.exported
    expect(await sprayedActors(lines)).toEqual(['it.admin@northwindtraders.com'])
  })

  it('fires for nobody when the same changes are spread over hours, and neither does the engine', async () => {
    const lines = exports.find(({ file }) => file === 'records.jsonl')!.exported
    const spread = lines.records.map((raw, i) => {
      const event = classic(raw)
      const time = new Date(Date.parse(`${event.CreationTime}Z`) + i * 3_600_000)
      return { ...event, CreationTime: time.toISOString().slice(0, 19) }
    })
    expect(correlate(spray, timeline(spread)).size).toBe(0)
    expect(await sprayedActors({ format: 'json-lines', records: spread })).toEqual([])
  })

  it('one object changed three times within minutes (an owner editing a rule) is no spray for either', async () => {
    const lines = exports.find(({ file }) => file === 'records.jsonl')!.exported
    const first = classic(lines.records[0]!)
    const start = Date.parse(`${first.CreationTime}Z`)
    const same = [0, 1, 2].map((i) => ({
      ...first,
      Id: `${String(first.Id).slice(0, -1)}${i}`,
      CreationTime: new Date(start + i * 120_000).toISOString().slice(0, 19),
    }))
    expect(correlate(spray, timeline(same)).size).toBe(0)
    expect(await sprayedActors({ format: 'json-lines', records: same })).toEqual([])
  })

  it('two forwarding changes by one account within minutes are no spray for either', async () => {
    const lines = exports.find(({ file }) => file === 'records.jsonl')!.exported
    const two = lines.records.slice(0, 2)
    expect(correlate(spray, timeline(two)).size).toBe(0)
    expect(await sprayedActors({ format: 'json-lines', records: two })).toEqual([])
  })
})
