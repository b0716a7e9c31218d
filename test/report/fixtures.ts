/**
 * @module test/report/fixtures
 * Reports the engine really produces, for the format tests; nothing here is hand-written output.
 * `demoReport` is the bundled demo tenant audited as the golden test audits it
 * (test/demo-audit.ts): a BEC in progress (a hidden rule, an SMTP forward without a copy, an
 * org-wide transport rule), allowlisted legitimate forwards, two skipped mailboxes and an expired
 * allowlist entry. `hostileReport` comes from a snapshot whose rules an attacker named to break
 * CSV, markdown, HTML and terminals. Tests pick findings by mailbox and destination.
 */
import type { AuditReport, Finding } from '../../core/index.ts'
import { audit, smtpTarget, tenant } from '../core/tenant-builder.ts'
import { auditDemo } from '../demo-audit.ts'

/** The finding from `user` to `destination`; throws when the report has none. */
function findingOf(report: AuditReport, user: string, destination: string): Finding {
  const found = report.data.findings.find((f) => f.user === user && f.destination === destination)
  if (!found) throw new Error(`no finding ${user} → ${destination} in the report`)
  return found
}

export const demoReport: AuditReport = await auditDemo()

/** Scenario 2: a MAPI-hidden rule named " " forwarding everything to ProtonMail. */
export const hiddenRule = findingOf(demoReport, 'j.ortiz@contoso.com', 'j.ortiz.backup@proton.me')
/** Scenario 4: the CFO's mailbox forwards to ProtonMail and keeps no copy. */
export const smtpNoCopy = findingOf(
  demoReport,
  'r.vogel@contoso.com',
  'cfo.personal@protonmail.com'
)
/** Scenario 9: the helpdesk redirect the allowlist suppresses. */
export const zendeskSuppressed = findingOf(
  demoReport,
  'support@contoso.com',
  'support@contoso.zendesk.com'
)

/** The rule name an attacker would pick to break every output format at once. */
export const HOSTILE_RULE_NAME =
  "=cmd|' /C calc'!A0 | <script>alert(1)</script> \u001b[31m*urgent*\u001b[0m [x](y) `z`"
/** A rule name whose line break tries to forge a row of its own. */
export const LINE_BREAK_RULE_NAME = 'ok\ncritical  99  inbox  ceo@contoso.com'

/**
 * lee.gu's disabled hostile-named rule, whose two conditions carry `|`, `"` and `,`, and a rule
 * whose name holds a line break; and a mailbox whose address and forward start like formulas.
 */
export const hostileReport: AuditReport = await audit(
  tenant()
    .mailbox('lee.gu@contoso.com')
    .inboxRule('lee.gu@contoso.com', {
      Name: HOSTILE_RULE_NAME,
      Enabled: false,
      SubjectContainsWords: ['pay|slip', '"bank", wire'],
      From: ['"Payroll" [SMTP:payroll@contoso.com]'],
      ForwardTo: [smtpTarget('lee@contoso-payroll.com')],
    })
    .inboxRule('lee.gu@contoso.com', {
      Name: LINE_BREAK_RULE_NAME,
      SubjectContainsWords: ['payroll'],
      ForwardTo: [smtpTarget('lee.gu@fabrikam.com')],
    })
    .mailbox('+1-555@contoso.com', { ForwardingSmtpAddress: 'smtp:-x@evil.example' })
)
export const hostileRule = findingOf(hostileReport, 'lee.gu@contoso.com', 'lee@contoso-payroll.com')

/** A clean tenant: one mailbox, nothing forwards anywhere, nothing skipped. */
export const cleanReport: AuditReport = await audit(
  tenant().mailbox('alex.wilber@contoso.com').withBothViews()
)

/** Drop ANSI SGR codes, to measure what a terminal shows. */
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '')
