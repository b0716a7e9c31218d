/**
 * @module test/simulator/tenant
 * The simulated tenant, derived once from a snapshot: Graph users (every mailbox plus a couple
 * without one), Get-Mailbox rows with the ids real rows always carry, and each mailbox's rules
 * split into what Graph shows and what only `Get-InboxRule -IncludeHidden` shows.
 *
 * Hidden rule convention: an Exchange rule with no same-named Graph rule is hidden, as are the
 * built-in `Junk E-mail Rule` and `Microsoft.Exchange.OOF.*` (docs/microsoft-apis.md §1.6, 5.7).
 */
import type {
  RawExchangeInboxRule,
  RawGraphMessageRule,
  RawMailbox,
  RawRecipient,
} from '../../core/normalize/raw.ts'
import type { SnapshotMailboxEntry, TenantSnapshot } from '../../core/sources/snapshot/schema.ts'
import { safeDecode } from './http.ts'
import { guidFrom, isGuid, uint64From } from './ids.ts'
import { mailboxFolders, type SimFolder } from './mail-folders.ts'
import {
  type AddressBook,
  compact,
  exchangeRuleRow,
  exchangeToGraph,
  graphToExchange,
  isBuiltInHidden,
} from './rule-convert.ts'

export interface SimMailbox {
  upn: string
  /** Lower-case UPN: the key for limits and the request log. */
  key: string
  /** Graph user id = ExternalDirectoryObjectId. */
  id: string
  row: Record<string, unknown>
  graphRules: RawGraphMessageRule[]
  /** Get-InboxRule rows; `hidden` ones only with -IncludeHidden. */
  exchangeRules: Array<{ row: Record<string, unknown>; hidden: boolean }>
  /** Its mail folders, for Graph's mailFolders (§1.8) and the folder names Exchange writes. */
  folders: SimFolder[]
  unreadable: boolean
  /** The snapshot entry's Graph transitiveMemberOf objects. */
  memberOf: Record<string, unknown>[]
}

export interface SimUser {
  id: string
  userPrincipalName: string
  mailbox?: SimMailbox
  properties: Record<string, unknown>
}

const many = <T>(value: T | T[] | null | undefined): T[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]

const lower = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.toLowerCase() : undefined

const displayName = (row: RawRecipient): string | undefined =>
  (typeof row.DisplayName === 'string' ? row.DisplayName : undefined) ?? row.Name ?? undefined

const stripPrefix = (address: string): string => address.replace(/^smtp:/i, '')

// Microsoft 365 E3; any realistic SKU id would do.
const LICENSED = [{ disabledPlans: [], skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900' }]

export class TenantView {
  readonly tenantGuid: string
  /** Names the tenant answers to in URLs: its id and every accepted domain (lower case). */
  readonly names: Set<string>
  readonly initialDomain: string
  readonly mailboxes: SimMailbox[]
  readonly users: SimUser[]
  readonly recipients: Array<Record<string, unknown>>
  private readonly byIdentity = new Map<string, SimMailbox>()
  private readonly byUserKey = new Map<string, SimUser>()
  private recipientIndex: Map<string, Record<string, unknown>> | undefined

  constructor(readonly snapshot: TenantSnapshot) {
    const id = snapshot.tenant.id
    this.tenantGuid = isGuid(id) ? id.toLowerCase() : guidFrom(`tenant:${id.toLowerCase()}`)
    const domains = many(snapshot.acceptedDomains)
    this.names = new Set([
      id.toLowerCase(),
      this.tenantGuid,
      ...domains.map((d) => d.DomainName.toLowerCase()),
    ])
    this.initialDomain =
      domains.find((d) => d.InitialDomain === true)?.DomainName ??
      domains.find((d) => /\.onmicrosoft\.com$/i.test(d.DomainName))?.DomainName ??
      `${id.split('.')[0]}.onmicrosoft.com`
    this.mailboxes = snapshot.mailboxes.map((entry) => this.toMailbox(entry.mailbox))
    for (const mailbox of this.mailboxes) this.index(mailbox)
    const book = this.addressBook()
    snapshot.mailboxes.forEach((entry, i) => {
      const mailbox = this.mailboxes[i]
      if (!mailbox) return
      mailbox.unreadable = entry.unreadable !== undefined
      mailbox.memberOf = many(entry.memberOf) as Record<string, unknown>[]
      const given = many(entry.mailFolders) as Array<Record<string, unknown>>
      mailbox.folders = mailboxFolders(mailbox.key, entry.mailFolders ? given : undefined)
      this.splitRules(mailbox, many(entry.exchangeInboxRules), entry.graphInboxRules, book)
    })
    this.users = [...this.mailboxes.map((m) => this.toUser(m)), ...this.usersWithoutMailbox()]
    for (const user of this.users) {
      this.byUserKey.set(user.id.toLowerCase(), user)
      this.byUserKey.set(user.userPrincipalName.toLowerCase(), user)
    }
    this.recipients = many(snapshot.recipients) as Array<Record<string, unknown>>
  }

  /** Resolves a Get-Mailbox `Identity` / Get-InboxRule `Mailbox` value the way Exchange does. */
  findMailbox(identity: string): SimMailbox | undefined {
    return this.byIdentity.get(stripPrefix(identity).toLowerCase())
  }

  /** Graph resolves `/users/{id | userPrincipalName}` only. */
  findUser(idOrUpn: string): SimUser | undefined {
    return this.byUserKey.get(safeDecode(idOrUpn).toLowerCase())
  }

  /**
   * Get-Recipient -Identity: Identity, Name, Alias, any proxy address, LegacyExchangeDN,
   * ExternalDirectoryObjectId or Guid, over snapshot recipients and every mailbox.
   */
  findRecipient(identity: string): Record<string, unknown> | undefined {
    if (!this.recipientIndex) {
      const index = new Map<string, Record<string, unknown>>()
      const keys = ['Identity', 'Name', 'Alias', 'PrimarySmtpAddress', 'LegacyExchangeDN']
      keys.push('ExternalDirectoryObjectId', 'Guid', 'UserPrincipalName')
      for (const row of this.allRecipients()) {
        const values = [
          ...keys.map((k) => row[k]),
          ...many(row.EmailAddresses as string[] | undefined),
        ]
        for (const value of values) {
          const k = typeof value === 'string' ? value.replace(/^\w+:/, '').toLowerCase() : undefined
          if (k && !index.has(k)) index.set(k, row)
        }
      }
      this.recipientIndex = index
    }
    return this.recipientIndex.get(identity.replace(/^smtp:/i, '').toLowerCase())
  }

  /** Accepted domains as Graph's domain list sees them. */
  acceptedDomains(): Array<{ name: string; isDefault: boolean; isInitial: boolean }> {
    const domains = many(this.snapshot.acceptedDomains)
    const anyDefault = domains.some((d) => d.Default === true)
    return domains.map((d) => {
      const isInitial = d.DomainName.toLowerCase() === this.initialDomain.toLowerCase()
      return {
        name: d.DomainName,
        isDefault: anyDefault ? d.Default === true : isInitial,
        isInitial,
      }
    })
  }

  /** Get-Recipient: recipients from the snapshot, then every mailbox. */
  allRecipients(): Array<Record<string, unknown>> {
    return [...this.recipients, ...this.mailboxes.map((m) => m.row)]
  }

  private toMailbox(raw: RawMailbox): SimMailbox {
    const upn = raw.UserPrincipalName
    const key = upn.toLowerCase()
    const alias = raw.Alias ?? upn.split('@')[0] ?? upn
    const id = (raw.ExternalDirectoryObjectId as string | undefined) ?? guidFrom(`user:${key}`)
    // Real Get-Mailbox rows always carry these; fill only what the snapshot left out.
    const row: Record<string, unknown> = {
      Identity: raw.Identity ?? alias,
      Name: raw.Name ?? alias,
      Alias: alias,
      DisplayName: raw.DisplayName ?? raw.Name ?? alias,
      PrimarySmtpAddress: raw.PrimarySmtpAddress ?? upn,
      RecipientType: 'UserMailbox',
      RecipientTypeDetails: raw.RecipientTypeDetails ?? 'UserMailbox',
      LegacyExchangeDN:
        raw.LegacyExchangeDN ??
        `/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=${uint64From(key).slice(0, 12)}-${alias}`,
      ExternalDirectoryObjectId: id,
      Guid: guidFrom(`mailbox:${key}`),
      ...raw,
    }
    return {
      upn,
      key,
      id,
      row,
      graphRules: [],
      exchangeRules: [],
      folders: [],
      unreadable: false,
      memberOf: [],
    }
  }

  private index(mailbox: SimMailbox): void {
    const row = mailbox.row
    // The identity forms Exchange accepts (display names are not among them).
    const keys = [row.Identity, row.Name, row.Alias, row.PrimarySmtpAddress, row.Guid]
    keys.push(mailbox.upn, mailbox.id, row.LegacyExchangeDN, row.ExchangeObjectId)
    for (const address of many(row.EmailAddresses as string[] | undefined))
      keys.push(stripPrefix(address))
    for (const key of keys) {
      const k = lower(key)
      if (k && !this.byIdentity.has(k)) this.byIdentity.set(k, mailbox)
    }
  }

  private addressBook(): AddressBook {
    const entries = [
      ...this.mailboxes.map((m) => m.row),
      ...many(this.snapshot.recipients),
    ] as RawRecipient[]
    const byDn = new Map<string, RawRecipient>()
    const bySmtp = new Map<string, RawRecipient>()
    for (const entry of entries) {
      const dn = lower(entry.LegacyExchangeDN)
      const smtp = lower(entry.PrimarySmtpAddress)
      if (dn && !byDn.has(dn)) byDn.set(dn, entry)
      if (smtp && !bySmtp.has(smtp)) bySmtp.set(smtp, entry)
    }
    return {
      byLegacyDn: (dn) => {
        const hit = byDn.get(dn.toLowerCase())
        const address = hit?.PrimarySmtpAddress
        return hit && address ? { name: displayName(hit) ?? address, address } : undefined
      },
      bySmtp: (address) => {
        const hit = bySmtp.get(address.toLowerCase())
        const dn = hit?.LegacyExchangeDN
        return hit && dn ? { name: displayName(hit) ?? address, legacyDn: dn } : undefined
      },
    }
  }

  private splitRules(
    mailbox: SimMailbox,
    exoRules: RawExchangeInboxRule[],
    graph: SnapshotMailboxEntry['graphInboxRules'],
    book: AddressBook
  ): void {
    const ownerId = mailbox.id
    const graphRules = graph === null || graph === undefined ? undefined : many(graph)
    if (graphRules) mailbox.graphRules = graphRules.map((rule) => compact({ ...rule }))
    else {
      mailbox.graphRules = exoRules
        .filter((rule) => !isBuiltInHidden(rule.Name))
        .map((rule) => exchangeToGraph(rule, mailbox.key, book))
    }
    const rows = exoRules.length
      ? exoRules
      : [
          { Name: 'Junk E-mail Rule', Enabled: true, Priority: 0 },
          ...(graphRules ?? []).map((r) => graphToExchange(r, book, folderPath(mailbox))),
        ]
    const visible = new Set(mailbox.graphRules.map((r) => r.displayName?.toLowerCase()))
    mailbox.exchangeRules = rows.map((rule) => ({
      row: exchangeRuleRow(rule, ownerId, mailbox.key),
      hidden: isBuiltInHidden(rule.Name) || !visible.has(rule.Name.toLowerCase()),
    }))
  }

  private toUser(mailbox: SimMailbox): SimUser {
    const row = mailbox.row
    const kind = String(row.RecipientTypeDetails)
    const person = kind === 'UserMailbox'
    const proxy = many(row.EmailAddresses as string[] | undefined).filter((a) => /^smtp:/i.test(a))
    return {
      id: mailbox.id,
      userPrincipalName: mailbox.upn,
      mailbox,
      properties: {
        displayName: row.DisplayName,
        mail: row.PrimarySmtpAddress,
        mailNickname: row.Alias,
        proxyAddresses: proxy,
        userType: 'Member',
        // Shared, room and equipment mailboxes are normally unlicensed and disabled (2.1).
        accountEnabled: row.AccountDisabled === undefined ? person : !row.AccountDisabled,
        assignedLicenses: person ? LICENSED : [],
      },
    }
  }

  private usersWithoutMailbox(): SimUser[] {
    const domain = this.initialDomain
    const make = (upn: string, properties: Record<string, unknown>): SimUser => ({
      id: guidFrom(`user:${upn.toLowerCase()}`),
      userPrincipalName: upn,
      properties: { mailNickname: upn.split('@')[0], proxyAddresses: [], ...properties },
    })
    return [
      make(`svc-directory-sync@${domain}`, {
        displayName: 'Directory Sync Service',
        mail: null,
        userType: 'Member',
        accountEnabled: true,
        assignedLicenses: [],
      }),
      make(`partner_fabrikam.example#EXT#@${domain}`, {
        displayName: 'Partner (guest)',
        mail: 'partner@fabrikam.example',
        userType: 'Guest',
        accountEnabled: true,
        assignedLicenses: [],
      }),
    ]
  }
}

/** Exchange names a folder `<mailbox>:\<folder>` where Graph gives its id (§5.7, 1.3). */
function folderPath(mailbox: SimMailbox): (id: string) => string | undefined {
  return (id) => {
    const name = mailbox.folders.find((f) => f.row.id === id)?.row.displayName
    return typeof name === 'string' ? `${mailbox.upn}:\\${name}` : undefined
  }
}
