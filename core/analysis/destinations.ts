/**
 * @module analysis/destinations
 * Resolves a forwarding target to an address and says whether it leaves the tenant.
 * Internal means an accepted domain of type Authoritative or InternalRelay (as Exchange's own
 * `InOrganization` scope does), a sub-domain of one, or an Exchange legacy DN; everything else
 * is external.
 * A mail contact or mail user named internally forwards out to its external address.
 */
import { normalizeAddress } from '../lib/address.ts'
import type { Recipient, RecipientRef, TenantSettings } from '../model/tenant.ts'
import type { FreemailTest } from './freemail.ts'
import { lookalikeMatcher } from './lookalike.ts'
import { type MailService, mailServiceOf } from './mail-services.ts'

export interface Destination {
  /** What the report shows: an address, or the identity when no address is known. */
  label: string
  address?: string
  domain?: string
  external: boolean
  freemail: boolean
  /** The accepted domain this destination imitates. */
  imitates?: string
  /** A relay, archiving or ticketing service the external address belongs to. */
  service?: { service: MailService; root: string }
  /** The internal recipient it lands in is hidden from address lists. */
  hiddenFromAddressLists: boolean
  /** The target could not be resolved to an address. */
  unresolved: boolean
  /** What the tenant knows of the internal mailbox or recipient it lands in. */
  account?: DestinationAccount
}

/** The internal account a forward lands in (analysis/internal-destination.ts judges it). */
export interface DestinationAccount {
  type?: string
  whenCreated?: string
  accountDisabled?: boolean
  licensed?: boolean
}

export interface DestinationResolver {
  resolve(ref: RecipientRef): Destination
  isInternalDomain(domain: string): boolean
  /** Learn recipients a source looked up while reading (live audits of a few mailboxes). */
  add(recipients: Recipient[]): void
}

/**
 * Build a resolver over the tenant's accepted domains and recipients (mailboxes included).
 * `isFreemail` is given only when the request flags freemail; without it nothing is freemail.
 */
export function destinationResolver(
  settings: TenantSettings,
  isFreemail: FreemailTest = () => false
): DestinationResolver {
  const domainTypes = new Map(settings.acceptedDomains.map((d) => [d.name, d.type]))
  const imitates = lookalikeMatcher(settings.acceptedDomains.map((d) => d.name))
  // Built on first use: most mailboxes forward nowhere, and a 100,000-mailbox directory is big.
  const recipients = [...settings.recipients]
  const byAddress = lazyIndex(recipients, (r) => [
    ...(r.smtpAddresses ?? []),
    ...(r.primarySmtpAddress ? [r.primarySmtpAddress] : []),
  ])
  const byName = lazyIndex(recipients, (r) => [
    ...r.identities,
    ...(r.legacyExchangeDn ? [r.legacyExchangeDn.toLowerCase()] : []),
    ...(r.x500Addresses ?? []),
  ])

  /**
   * The most specific accepted domain that is the domain or a parent of it decides: sub-domains
   * of an internal accepted domain are internal (Microsoft's forwarding playbook), unless a more
   * specific ExternalRelay accepted domain says otherwise.
   */
  const isInternalDomain = (domain: string) => {
    for (let d = domain; d !== ''; d = d.includes('.') ? d.slice(d.indexOf('.') + 1) : '') {
      const type = domainTypes.get(d)
      if (type) return type !== 'ExternalRelay'
    }
    return false
  }

  const fromAddress = (address: string, hidden = false): Destination => {
    const normalized = normalizeAddress(address)
    const domain = normalized.slice(normalized.lastIndexOf('@') + 1)
    const external = !isInternalDomain(domain)
    const lookalike = external ? imitates(domain) : undefined
    const recipient = external ? undefined : byAddress().get(normalized)
    const service = external ? mailServiceOf(domain) : undefined
    return {
      label: normalized,
      address: normalized,
      domain,
      external,
      // A relay is not a mailbox provider, whatever a freemail list says (33mail.com is in one).
      freemail: external && service?.service !== 'relay' && isFreemail(domain),
      ...(lookalike ? { imitates: lookalike } : {}),
      ...(service ? { service } : {}),
      // Only internal recipients can be hidden from the tenant's address lists.
      hiddenFromAddressLists: hidden || recipient?.hiddenFromAddressLists === true,
      unresolved: false,
      ...(recipient ? { account: accountOf(recipient) } : {}),
    }
  }

  /** A mail contact or mail user forwards out to its external address. */
  const fromRecipient = (recipient: Recipient): Destination | undefined => {
    const hidden = recipient.hiddenFromAddressLists === true
    if (recipient.externalEmailAddress) return fromAddress(recipient.externalEmailAddress, hidden)
    if (recipient.primarySmtpAddress) return fromAddress(recipient.primarySmtpAddress, hidden)
    return undefined
  }

  return {
    isInternalDomain,
    add(more) {
      recipients.push(...more)
      byAddress.add(more)
      byName.add(more)
    },
    resolve(ref) {
      if (ref.address) {
        // An address in an accepted domain may be a mail contact that forwards out.
        const domain = ref.address.slice(ref.address.lastIndexOf('@') + 1)
        const recipient = isInternalDomain(domain) ? byAddress().get(ref.address) : undefined
        return (
          (recipient?.externalEmailAddress && fromRecipient(recipient)) || fromAddress(ref.address)
        )
      }
      const label = ref.displayName ?? ref.legacyDn ?? ref.identity ?? ''
      const key = (ref.legacyDn ?? ref.identity ?? ref.displayName ?? '').toLowerCase()
      const recipient = byName().get(key) ?? byAddress().get(key)
      const resolved = recipient && fromRecipient(recipient)
      if (resolved) return resolved
      // Exchange only accepts existing recipients here, so an unknown one is still internal.
      return {
        label,
        external: false,
        freemail: false,
        hiddenFromAddressLists: false,
        unresolved: true,
      }
    },
  }
}

function accountOf(recipient: Recipient): DestinationAccount {
  return {
    ...(recipient.type ? { type: recipient.type } : {}),
    ...(recipient.whenCreated ? { whenCreated: recipient.whenCreated } : {}),
    ...(recipient.accountDisabled !== undefined
      ? { accountDisabled: recipient.accountDisabled }
      : {}),
    ...(recipient.licensed !== undefined ? { licensed: recipient.licensed } : {}),
  }
}

/** A map from keys to recipients, built on first use; `add` extends it in place. */
function lazyIndex(recipients: Recipient[], keys: (r: Recipient) => string[]) {
  let index: Map<string, Recipient> | undefined
  const insert = (map: Map<string, Recipient>, list: Recipient[]) => {
    for (const recipient of list) {
      for (const key of keys(recipient)) if (!map.has(key)) map.set(key, recipient)
    }
  }
  const get = (): Map<string, Recipient> => {
    if (!index) {
      index = new Map()
      insert(index, recipients)
    }
    return index
  }
  return Object.assign(get, {
    add(list: Recipient[]) {
      if (index) insert(index, list)
    },
  })
}
