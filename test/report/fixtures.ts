/**
 * @module test/report/fixtures
 * A small, realistic audit report: a BEC in progress (hidden redirect to Gmail, SMTP forward to
 * Proton without a copy, a transport-rule BCC), a legitimate allowlisted Zendesk redirect, a
 * skipped mailbox, and one rule whose name tries CSV, markdown, HTML and terminal injection.
 */
import type { AuditReport, Finding, RiskLevel, Summary } from '../../core/model/findings.ts'

/** The rule name an attacker would pick to break every output format at once. */
export const HOSTILE_RULE_NAME =
  "=cmd|' /C calc'!A0 | <script>alert(1)</script> \u001b[31m*urgent*\u001b[0m [x](y) `z`"

/** A finding with sensible defaults; override what the test is about. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'f-default',
    type: 'inbox_rule',
    user: 'user@contoso.com',
    destination: 'someone@example.net',
    external: true,
    risk_score: 40,
    risk_level: 'medium',
    risk_factors: [{ category: 'external_forwarding', description: 'Forwards outside', score: 30 }],
    is_enabled: true,
    rule_name: 'rule',
    created_at: null,
    hidden: false,
    action: 'forward',
    conditions: [],
    actions: ['forward to someone@example.net'],
    ...overrides,
  }
}

export const criticalHiddenRule = finding({
  id: 'fp-7c1e9a0d2b44',
  user: 'megan.bowen@contoso.com',
  destination: 'megan.bowen.archive@gmail.com',
  risk_score: 95,
  risk_level: 'critical',
  risk_factors: [
    { category: 'external_forwarding', description: 'Forwards outside', score: 30 },
    { category: 'free_email_provider', description: 'gmail.com is freemail', score: 25 },
    { category: 'match_all_forwarding', description: 'No conditions', score: 40 },
    { category: 'hidden_rule', description: 'Invisible to Outlook', score: 20 },
  ],
  rule_name: '.',
  created_at: '2026-03-02T04:11:09Z',
  hidden: true,
  action: 'redirect',
  actions: ['redirect to megan.bowen.archive@gmail.com', 'mark as read', 'move to RSS Feeds'],
  provenance: [
    {
      source: 'audit_log',
      operation: 'New-InboxRule',
      time: '2026-03-02T04:11:09Z',
      actor: 'megan.bowen@contoso.com',
      client_ip: '185.220.101.4',
    },
  ],
})

export const smtpToProton = finding({
  id: 'fp-31aa0be5c6d7',
  type: 'smtp_forwarding',
  user: 'adele.vance@contoso.com',
  destination: 'adele.v@proton.me',
  risk_score: 75,
  risk_level: 'high',
  risk_factors: [
    { category: 'external_forwarding', description: 'Forwards outside', score: 30 },
    { category: 'free_email_provider', description: 'proton.me is freemail', score: 25 },
    { category: 'no_local_copy', description: 'DeliverToMailboxAndForward is false', score: 20 },
  ],
  rule_name: null,
  action: 'forward',
  actions: ['forward all mail to adele.v@proton.me'],
  delivers_copy: false,
})

export const transportBcc = finding({
  id: 'fp-9d02f1c3e8b5',
  type: 'transport_rule',
  user: 'organization',
  destination: 'audit@partner-archive.net',
  risk_score: 50,
  risk_level: 'medium',
  rule_name: 'Compliance copy',
  action: 'bcc',
  conditions: ["sender is a member of 'Finance'", "subject contains 'invoice'"],
  actions: ['bcc audit@partner-archive.net'],
})

export const hostileRule = finding({
  id: 'fp-0e4b7a91d2c6',
  user: 'lee.gu@contoso.com',
  destination: 'lee@contoso-payroll.com',
  risk_score: 20,
  risk_level: 'low',
  is_enabled: false,
  rule_name: HOSTILE_RULE_NAME,
  conditions: ['subject contains \'pay|slip\'\nand body contains "bank"'],
})

export const zendeskSuppressed = finding({
  id: 'fp-55c2d8e0a1f3',
  user: 'support@contoso.com',
  destination: 'support@contoso.zendesk.com',
  risk_score: 45,
  risk_level: 'medium',
  rule_name: 'Zendesk intake',
  action: 'redirect',
  suppressed: {
    reason: 'Helpdesk intake (CHG-1234)',
    entry: 'allowlist[0]: destination *.zendesk.com',
  },
})

/** Summary with defaults; counts match `sampleReport`. */
export function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    tenant: 'contoso.onmicrosoft.com',
    mailboxes_requested: 'all',
    mailboxes_scanned: 41,
    mailboxes_skipped: 1,
    skipped: [
      {
        mailbox: 'room-4@contoso.com',
        code: 'MAILBOX_UNAVAILABLE',
        reason: 'Mailbox is not licensed for Exchange Online',
      },
    ],
    by_type: { inbox_rule: 2, smtp_forwarding: 1, transport_rule: 1 },
    by_level: { critical: 1, high: 1, medium: 1, low: 1 },
    suppressed: 1,
    filtered_out: 2,
    sources: ['exchange_admin', 'graph', 'audit_log'],
    started_at: '2026-04-01T09:00:00.000Z',
    duration_ms: 18_250,
    complete: false,
    incomplete_reasons: ['1 mailbox could not be read (MAILBOX_UNAVAILABLE)'],
    request: { all_users: true, include_transport_rules: true },
    expired_allowlist_entries: [
      'allowlist[2]: destination backup@contoso-old.com (expired 2026-01-31)',
    ],
    ...overrides,
  }
}

/** An envelope around the given findings, with meta counted from them. */
export function report(findings: Finding[], summaryOverrides: Partial<Summary> = {}): AuditReport {
  const active = findings.filter((f) => !f.suppressed)
  const count = (level: RiskLevel) => active.filter((f) => f.risk_level === level).length
  const byType: Record<string, number> = {}
  for (const f of active) byType[f.type] = (byType[f.type] ?? 0) + 1
  return {
    data: { findings, summary: summary(summaryOverrides) },
    meta: {
      tenant: 'contoso.onmicrosoft.com',
      total_findings: active.length,
      by_type: byType,
      critical: count('critical'),
      high: count('high'),
      medium: count('medium'),
      low: count('low'),
    },
  }
}

/** The report most tests render: deliberately out of order to exercise sorting. */
export const sampleReport: AuditReport = report([
  hostileRule,
  zendeskSuppressed,
  transportBcc,
  criticalHiddenRule,
  smtpToProton,
])

/** A clean tenant: nothing forwards anywhere. */
export const emptyReport: AuditReport = report([], {
  mailboxes_skipped: 0,
  skipped: [],
  by_type: {},
  by_level: { critical: 0, high: 0, medium: 0, low: 0 },
  suppressed: 0,
  filtered_out: 0,
  complete: true,
  incomplete_reasons: [],
  expired_allowlist_entries: [],
})

/** Drop ANSI SGR codes, to measure what a terminal shows. */
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '')
