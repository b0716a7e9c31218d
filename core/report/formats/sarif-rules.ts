/**
 * @module report/formats/sarif-rules
 * The SARIF reporting rules: one per finding type and risk level, so GitHub code scanning can
 * rank alerts by `security-severity` and each alert carries the right remediation steps.
 */
import type { FindingType, RiskLevel } from '../../model/findings.ts'

export const TECHNIQUE = 'T1114.003'
export const TECHNIQUE_URI = 'https://attack.mitre.org/techniques/T1114/003/'

/** GitHub's bands: >9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Readonly<Record<RiskLevel, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
}

/** SARIF result level per risk level. */
export const SARIF_LEVEL: Readonly<Record<RiskLevel, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
}

/** A SARIF `reportingDescriptor` as this tool writes it. */
export interface SarifRule {
  id: string
  name: string
  shortDescription: { text: string }
  fullDescription: { text: string }
  help: { text: string; markdown: string }
  helpUri: string
  defaultConfiguration: { level: 'error' | 'warning' | 'note' }
  properties: { tags: string[]; precision: string; 'security-severity': string }
}

interface TypeText {
  name: string
  short: string
  full: string
  investigate: string[]
  remove: string[]
}

const REVOKE = 'Revoke-MgUserSignInSession -UserId <user>'
// Markdown would read `<user>` as an HTML tag, so the markdown help sets the command as code.
const compromise = (revoke: string): string =>
  'If the owner did not set this up, treat the account as compromised: reset the password, ' +
  `revoke sessions (${revoke}), and review MFA methods and app consents.`

const TEXT: Readonly<Record<FindingType, TypeText>> = {
  smtp_forwarding: {
    name: 'SmtpForwarding',
    short: 'mailbox SMTP forwarding',
    full: 'The mailbox forwards every incoming message to another address (ForwardingSmtpAddress or ForwardingAddress). Attackers who take over a mailbox set this to collect mail quietly.',
    investigate: [
      'Get-Mailbox -Identity <user> | Format-List ForwardingSmtpAddress,ForwardingAddress,DeliverToMailboxAndForward',
      'Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-90) -EndDate (Get-Date) -Operations Set-Mailbox -ObjectIds <user>',
    ],
    remove: [
      'Set-Mailbox -Identity <user> -ForwardingSmtpAddress $null -ForwardingAddress $null -DeliverToMailboxAndForward $false',
    ],
  },
  inbox_rule: {
    name: 'InboxRuleForwarding',
    short: 'inbox rule that forwards or redirects mail',
    full: 'An inbox rule forwards, redirects or attaches messages to another address. Attackers create such rules, often hidden from Outlook or given innocuous names, to exfiltrate mail and hide replies.',
    investigate: [
      'Get-InboxRule -Mailbox <user> -IncludeHidden | Format-List Name,Identity,Enabled,ForwardTo,RedirectTo,ForwardAsAttachmentTo',
      'Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-90) -EndDate (Get-Date) -UserIds <user> -Operations New-InboxRule,Set-InboxRule,UpdateInboxRules',
    ],
    remove: [
      'Remove-InboxRule -Mailbox <user> -Identity <rule identity from Get-InboxRule -IncludeHidden> -Confirm:$false',
    ],
  },
  transport_rule: {
    name: 'TransportRuleForwarding',
    short: 'transport rule that redirects or copies mail',
    full: 'An organization-wide mail flow (transport) rule redirects or blind-copies messages to another address. Only an admin account can create one, so an unexpected rule means an admin account may be compromised.',
    investigate: [
      'Get-TransportRule -Identity <rule> | Format-List Name,State,Priority,Conditions,RedirectMessageTo,BlindCopyTo,AddToRecipients',
      'Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-90) -EndDate (Get-Date) -Operations New-TransportRule,Set-TransportRule',
    ],
    remove: [
      'Disable-TransportRule -Identity <rule>',
      'Remove-TransportRule -Identity <rule> -Confirm:$false',
    ],
  },
  journal_rule: {
    name: 'JournalRuleCollection',
    short: 'journal rule that copies mail to a journal address',
    full: 'A journal rule sends a copy (a journal report) of every message in its scope to its journal address; Exchange Online can only journal to an address outside itself. Only an admin account can create one, and no transport rule or inbox rule is needed, so an unexpected rule means an admin account may be compromised.',
    investigate: [
      'Get-JournalRule -Identity <rule> | Format-List Name,Enabled,Scope,Recipient,JournalEmailAddress,WhenChanged',
      'Search-UnifiedAuditLog -StartDate (Get-Date).AddDays(-90) -EndDate (Get-Date) -Operations New-JournalRule,Set-JournalRule,Enable-JournalRule',
    ],
    remove: [
      'Disable-JournalRule -Identity <rule> -Confirm:$false',
      'Remove-JournalRule -Identity <rule> -Confirm:$false',
    ],
  },
}

const LEVEL_TEXT: Readonly<Record<RiskLevel, string>> = {
  critical: 'Scored critical: strong signs of exfiltration. Investigate and remove now.',
  high: 'Scored high: likely exfiltration. Investigate today.',
  medium: 'Scored medium: unusual forwarding worth confirming with the owner.',
  low: 'Scored low: probably legitimate; confirm and allowlist it.',
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

/** Stable rule id, e.g. `T1114.003/inbox_rule/critical`. */
export function sarifRuleId(type: FindingType, level: RiskLevel): string {
  return `${TECHNIQUE}/${type}/${level}`
}

/** The reporting descriptor for one finding type at one risk level. */
export function sarifRule(type: FindingType, level: RiskLevel): SarifRule {
  const t = TEXT[type]
  const steps = (cmds: string[]) => cmds.map((c) => `    ${c}`).join('\n')
  const fence = (cmds: string[]) => `\`\`\`powershell\n${cmds.join('\n')}\n\`\`\``
  const what = `${t.full} (MITRE ATT&CK ${TECHNIQUE}, Email Forwarding Rule.) ${LEVEL_TEXT[level]}`
  return {
    id: sarifRuleId(type, level),
    name: `${capitalize(level)}${t.name}`,
    shortDescription: { text: `${capitalize(level)}-risk ${t.short}` },
    fullDescription: { text: what },
    help: {
      text: `${what}\n\nInvestigate:\n${steps(t.investigate)}\n\nRemove:\n${steps(t.remove)}\n\n${compromise(REVOKE)}`,
      markdown: [
        `**What it means.** ${what}`,
        `**How to investigate.** Check who created it and when, and what was sent:\n\n${fence(t.investigate)}`,
        `**How to remove it.**\n\n${fence(t.remove)}`,
        compromise(`\`${REVOKE}\``),
        `See [MITRE ATT&CK ${TECHNIQUE}](${TECHNIQUE_URI}).`,
      ].join('\n\n'),
    },
    helpUri: TECHNIQUE_URI,
    defaultConfiguration: { level: SARIF_LEVEL[level] },
    properties: {
      tags: ['security', `mitre-attack/${TECHNIQUE}`, `forwarding/${type}`],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[level],
    },
  }
}
