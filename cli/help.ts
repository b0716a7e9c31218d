/**
 * @module cli/help
 * The --help text. docs/cli.md carries the long form.
 */
export const HELP = `forwarding-audit — find mail forwarding an attacker set up in Microsoft 365 (T1114.003)

Usage
  forwarding-audit [--user UPN | --all-users | --user-file PATH] [options]
  forwarding-audit snapshot [--all-users | --user UPN | --user-file PATH] [--output tenant.json]
  forwarding-audit status
  forwarding-audit events FILE [options]   forwarding changes in an audit-log export
                               (Search-UnifiedAuditLog CSV, ConvertTo-Json, JSON lines, Graph)
  forwarding-audit allowlist check FILE [--snapshot PATH]
  forwarding-audit COMMAND --help    what a command does and which flags it takes

Which mailboxes
  --user UPN                   audit one mailbox
  --all-users                  audit every mailbox in the tenant
  --user-file PATH             audit the UPNs in PATH (one per line, # comments)

What to look at
  --include-inbox-rules        inbox rules that forward or redirect (default: on)
  --no-include-inbox-rules     skip inbox rules
  --include-transport-rules    organization-wide transport rules (default: off)
  (mailbox SMTP forwarding is always checked)

What to report
  --external-only              only forwarding that leaves the tenant
  --flag-freemail              add a risk factor for Gmail, ProtonMail and other freemail
  --since DATE                 only forwarding created at or after DATE (ISO 8601; no zone
                               means UTC); forwarding of unknown creation time is kept
  --risk-threshold LEVEL       low | medium | high | critical (default: low)
  --recent-days N              changes this recent are recently_created (default: 7)
  --allowlist PATH             reviewed allowlist: matching findings are marked suppressed

Where from
  --snapshot PATH              an offline tenant snapshot (docs/snapshot.md)
  (live)                       AZURE_TENANT_ID, AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET,
                               AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE
                               (with neither: the bundled demo tenant)
  --cloud NAME                 global | usgov | usgovdod | china (default: global)
  --tenant-id ID, --client-id ID
  --authority-host URL         overrides AZURE_AUTHORITY_HOST (https://login.microsoftonline.com)
  --graph-endpoint URL         overrides GRAPH_ENDPOINT (https://graph.microsoft.com)
  --exchange-endpoint URL      overrides EXCHANGE_ENDPOINT (https://outlook.office365.com)
  --concurrency N              parallel batches of mailboxes, 1-50 (default: 5)
  --batch N                    mailboxes per unit of work (default: 10); live scans round it
                               up to a multiple of 20 so Microsoft's batches stay full
  --deadline SECONDS           stop reading then and report what was read (complete: false)
  --audit-log-days N           days of audit log read to date findings, 0-365 (default: 90;
                               0 reads none)
  --hidden-sweep MODE          all | changed | off: which mailboxes get Get-InboxRule
                               -IncludeHidden (default: all; changed: those the audit log
                               shows changing, and a snapshot --baseline's hidden rules
                               for the rest; docs/live-audit.md)

Output
  --format FORMAT              table | json | csv | markdown | sarif (default: table,
                               or from the --output extension)
  --output, -o PATH            write the report to PATH instead of stdout
  --fail-on LEVEL              exit 1 when a finding at LEVEL or above is not suppressed
  --baseline PATH              a previous JSON report or a snapshot: each finding is marked
                               new, raised, unchanged or lowered, gone ones are listed, and
                               --fail-on counts only new and raised findings
  --explain                    table and markdown: the factors under every finding
                               (without it: under each high or critical one)

  --help, -h                   this text
  --version, -v                the version

Limits
  FORWARDING_AUDIT_MAX_INPUT_MB, FORWARDING_AUDIT_MAX_JSON_DEPTH raise the size (512 MiB for a
  snapshot, 16 MiB for other files) and nesting (64, 16) checked before a file is parsed

Exit status
  0 ok   1 findings at or above --fail-on   2 usage or input error   3 the audit could not run
`

/** `forwarding-audit COMMAND --help`: each command's own usage and the flags it takes. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  snapshot: `forwarding-audit snapshot — write the live tenant as an offline snapshot (docs/snapshot.md)

Usage
  forwarding-audit snapshot [--all-users | --user UPN | --user-file PATH] [--output tenant.json]

Reads the live tenant (AZURE_TENANT_ID, AZURE_CLIENT_ID and a credential, as for a live audit)
and writes the snapshot as JSON to --output, or to standard output. Transport rules, tenant
controls and both views of every mailbox's inbox rules (Graph and Get-InboxRule -IncludeHidden)
are always exported. Mailboxes that cannot be read stay in it, marked unreadable.

Flags
  --all-users, --user UPN, --user-file PATH   which mailboxes (one of them is required)
  --batch N, --concurrency N, --deadline SECONDS
  --cloud NAME, --tenant-id ID, --client-id ID
  --authority-host URL, --graph-endpoint URL, --exchange-endpoint URL
  --output, -o PATH

Report flags (--format, --fail-on, --since, --allowlist, ...) do not apply and are refused.
`,
  status: `forwarding-audit status — check that the app can run a live audit

Usage
  forwarding-audit status

Acquires the tokens and probes every permission and role a live audit needs; exit 0 when the
app is ready, 3 when something is missing (each missing piece is named with its fix).
Takes the live settings only: --cloud, --tenant-id, --client-id, --authority-host,
--graph-endpoint, --exchange-endpoint, --deadline.
`,
  allowlist: `forwarding-audit allowlist check — validate an allowlist (docs/allowlist.md)

Usage
  forwarding-audit allowlist check FILE [--snapshot PATH] [--user UPN | --user-file PATH]

Checks FILE on its own: status 2 naming the entry and field when it is wrong, a destination
that is a public suffix or a wildcard included. With --snapshot, audits the snapshot (every
mailbox and transport rule unless narrowed) and shows what each entry would suppress, and
which entries match nothing.
`,
}
