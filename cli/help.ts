/**
 * @module cli/help
 * The --help text. docs/cli.md carries the long form.
 */
export const HELP = `forwarding-audit — find mail forwarding an attacker set up in Microsoft 365 (T1114.003)

Usage
  forwarding-audit [--user UPN | --all-users | --user-file PATH] [options]
  forwarding-audit snapshot [--all-users | --user UPN ...] --output tenant.json
  forwarding-audit events FILE [options]   forwarding changes in an audit-log export
                               (Search-UnifiedAuditLog CSV, ConvertTo-Json, JSON lines, Graph)

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
  --since DATE                 only forwarding created after DATE (ISO 8601); undated kept
  --risk-threshold LEVEL       low | medium | high | critical (default: low)
  --allowlist PATH             reviewed allowlist: matching findings are marked suppressed

Where from
  --snapshot PATH              an offline tenant snapshot (docs/snapshot.md)
  (live)                       AZURE_TENANT_ID, AZURE_CLIENT_ID and one of AZURE_CLIENT_SECRET,
                               AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE
                               (with neither: the bundled demo tenant)
  --cloud NAME                 global | usgov | usgovdod | china (default: global)
  --tenant-id ID, --client-id ID
  --authority-host URL, --graph-endpoint URL, --exchange-endpoint URL
                               override AZURE_AUTHORITY_HOST, GRAPH_ENDPOINT, EXCHANGE_ENDPOINT
  --concurrency N              parallel batches of mailboxes, 1-50 (default: 5)
  --batch N                    mailboxes per unit of work (default: 10); live scans round it
                               up to a multiple of 20 so Microsoft's batches stay full
  --deadline SECONDS           stop reading then and report what was read (complete: false)

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

Exit status
  0 ok   1 findings at or above --fail-on   2 usage or input error   3 the audit could not run
`
