/**
 * @module risk/risk-table
 * The one table of risk factors: category → weight → what it means. Scores, docs
 * (`docs/risk-scoring.md`) and tests all read it. A finding's score is the sum of its
 * factors' weights, clamped to 0–100; negative weights are mitigations.
 */
import type { RiskFactor } from '../model/findings.ts'

export interface RiskFactorDefinition {
  weight: number
  /** What the factor means, for the docs and as the default description. */
  summary: string
  /** Where the heuristic comes from. */
  source: string
}

export const RISK_TABLE = {
  external_forwarding: {
    weight: 30,
    summary: 'Forwards to an address outside the tenant’s accepted domains',
    source: 'seed API; every peer tool',
  },
  free_email_provider: {
    weight: 25,
    summary: 'Destination is a free or consumer mail provider (only with flag_freemail)',
    source: 'seed API --flag-freemail',
  },
  lookalike_domain: {
    weight: 35,
    summary: 'Destination domain imitates one of the tenant’s accepted domains',
    source: 'BEC practice: typo-squatted and brand-embedding domains',
  },
  relay_service: {
    weight: 25,
    summary:
      'Destination is a relay or alias service (DuckDuckGo, Firefox Relay, SimpleLogin, addy.io …) that hides who receives the mail',
    source: 'the services’ own alias domains; core/analysis/mail-services.ts',
  },
  disposable_address: {
    weight: 25,
    summary: 'Destination is a disposable (throwaway) mail domain',
    source: 'disposable-email-domains community list (npm disposable-email-domains-js)',
  },
  archive_service_forward: {
    weight: 10,
    summary:
      'An inbox rule or mailbox forward sends mail to an archiving vendor: archivers receive journal reports, not forwards, so this is odd, not reassuring',
    source: 'Exchange journaling practice; Sigma false positives (compliance archiving)',
  },
  match_all_forwarding: {
    weight: 40,
    summary: 'Forwards every message: no condition narrows it',
    source: 'seed API; Microsoft playbook “no filter at all”',
  },
  broad_subject_match: {
    weight: 20,
    summary: 'Catch-all condition (a space, one character, a vowel) that matches nearly all mail',
    source: 'seed API; peer catch-all tricks (`a;`, `e;`, NUL, space)',
  },
  sensitive_keywords: {
    weight: 15,
    summary: 'Conditions pick finance, credential or security mail',
    source: 'Elastic, Sentinel, CIPP, Hawk, bitpusher keyword lists (English and European)',
  },
  hidden_rule: {
    weight: 30,
    summary:
      'Rule is hidden from Outlook, OWA and Graph; only Get-InboxRule -IncludeHidden shows it',
    source: 'Sigma description (MAPI-hidden rules); Osprey; CIPP#2720',
  },
  suspicious_rule_name: {
    weight: 15,
    summary: 'Rule name is empty, punctuation-only, very short, or imitates a built-in rule',
    source: 'Osprey, LETHAL-FORENSICS, CIPP name heuristics',
  },
  moves_to_deleted_items: {
    weight: 15,
    summary: 'Moves matching mail to Deleted Items',
    source: 'seed API; Hawk',
  },
  moves_to_hidden_folder: {
    weight: 15,
    summary: 'Moves mail to a folder nobody reads (RSS Feeds, Conversation History, Archive, Junk)',
    source: 'Osprey, LETHAL-FORENSICS localised folder list, Elastic',
  },
  deletes_messages: {
    weight: 20,
    summary: 'Deletes matching mail so the owner never sees it',
    source: 'Hawk, Osprey, Panther',
  },
  marks_as_read: {
    weight: 10,
    summary: 'Marks matching mail as read so the owner does not notice it',
    source: 'seed API; LETHAL-FORENSICS',
  },
  stops_processing: {
    weight: 5,
    summary: 'Stops processing further rules',
    source: 'Panther, LETHAL-FORENSICS',
  },
  no_copy_kept: {
    weight: 20,
    summary: 'The mailbox keeps no copy: mail only reaches the forward destination',
    source: 'Panther (DeliverToMailboxAndForward false); transport redirect',
  },
  organization_wide: {
    weight: 25,
    summary: 'Transport or journal rule takes mail of the whole organization, not of named people',
    source:
      'Sigma description (LAPSUS$ org-wide transport rule); Get-JournalRule without Recipient',
  },
  outbound_connector_route: {
    weight: 20,
    summary: 'Transport rule routes mail through a chosen outbound connector',
    source: 'CIPP transport actions',
  },
  connector_recently_changed: {
    weight: 15,
    summary:
      'The outbound connector a transport rule routes through was created or changed within 30 days of the audit (its own WhenCreated/WhenChanged)',
    source: 'Get-OutboundConnector; an attacker adds the connector with the rule',
  },
  hidden_from_address_list: {
    weight: 15,
    summary: 'The forwarding mailbox or its internal destination is hidden from address lists',
    source: 'seed API; LAPSUS$ forwarding to newly created accounts',
  },
  recently_created: {
    weight: 15,
    summary:
      'Created or changed within the recent window of the audit (`recent_days`, default 7), per the audit log',
    source: 'seed API',
  },
  forwarding_spray: {
    weight: 20,
    summary:
      'One account set forwarding on 3 or more mailboxes or rules within 15 minutes, per the audit log: a spray across mailboxes',
    source: 'Sentinel and Splunk multi-mailbox forwarding rules; detections/ correlation rule',
  },
  internal_destination: {
    weight: -20,
    summary:
      'Forwards to a mailbox inside the tenant: collection, not exfiltration by itself (a leaver’s mail to a manager looks like this)',
    source: 'MITRE T1114.003 (collection); Sigma rule false positives',
  },
  new_destination_account: {
    weight: 20,
    summary: 'The internal destination account was created within 30 days of the audit',
    source: 'LAPSUS$ forwarding to newly created accounts (Get-Mailbox WhenCreatedUTC)',
  },
  inactive_destination_account: {
    weight: 20,
    summary:
      'The internal destination is a user mailbox whose account is disabled or unlicensed: nobody reads it as its owner',
    source: 'Get-Mailbox AccountDisabled, SKUAssigned',
  },
  shared_destination: {
    weight: 15,
    summary:
      'The same destination receives forwards from more than one mailbox (now, or per the audit log)',
    source: 'Sentinel and Splunk multi-user destination rules',
  },
  shared_rule_name: {
    weight: 15,
    summary:
      'A forwarding rule of the same name is in more than one mailbox (now, or per the audit log)',
    source: 'det-eng-samples T1114.003 same-rule-in-several-mailboxes; Sentinel',
  },
  changed_by_other_account: {
    weight: 15,
    summary:
      'Per the audit log, an account other than the owner made or changed the forwarding of a user mailbox',
    source: 'Hawk, CIPP BEC investigation (UserId differs from the mailbox)',
  },
  unfamiliar_source: {
    weight: 15,
    summary:
      'Per the audit log, the change came from an IP network or client the actor used nowhere else in the window',
    source: 'Microsoft BEC playbook; Sentinel anomalous-IP inbox rule hunting',
  },
  auditing_off: {
    weight: 15,
    summary:
      'The mailbox’s changes do not reach the audit log: unified ingestion off, mailbox auditing off, or audit bypass',
    source:
      'Get-AdminAuditLogConfig, Get-OrganizationConfig AuditDisabled, Get-MailboxAuditBypassAssociation',
  },
  disabled: {
    weight: -40,
    summary: 'Disabled: no mail flows through it now (it is still evidence)',
    source: 'Get-InboxRule Enabled / Get-TransportRule State',
  },
  blocked_by_tenant_policy: {
    weight: -30,
    summary:
      'The tenant’s outbound spam policy or remote domain blocks this external auto-forward today',
    source:
      'Get-HostedOutboundSpamFilterPolicy AutoForwardingMode, Get-RemoteDomain AutoForwardEnabled',
  },
  blocked_but_malicious: {
    weight: 30,
    summary:
      'Blocked, but the rule carries an attacker’s signs and scored high: a blocked attacker rule is still a compromised mailbox, so the block does not lower it (core/risk/floor.ts)',
    source: 'forwarding-audit policy: the floor for blocked attacker rules',
  },
  audit_mode_only: {
    weight: -30,
    summary: 'Transport rule in Audit mode: it logs matches but does not act',
    source: 'Get-TransportRule Mode',
  },
} as const satisfies Record<string, RiskFactorDefinition>

export type RiskCategory = keyof typeof RISK_TABLE

/** Make a factor with the table's weight; `description` adds the finding's specifics. */
export function riskFactor(category: RiskCategory, description?: string): RiskFactor {
  const definition: RiskFactorDefinition = RISK_TABLE[category]
  return { category, description: description ?? definition.summary, score: definition.weight }
}
