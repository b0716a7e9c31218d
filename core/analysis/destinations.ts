/**
 * @module analysis/destinations
 * Resolves a forwarding target to an address and says whether it leaves the tenant.
 * Internal means an address in an accepted domain of type Authoritative or InternalRelay (as
 * Exchange's own `InOrganization` scope does) or a sub-domain of one, written as that domain is
 * written, or a recipient of the tenant found by its legacy DN or identity; everything else is
 * external, including what does not parse or resolve: the report then shows it as written.
 * A mail contact or mail user named internally forwards out to its external address.
 */
import { type ParsedAddress, parseAddress } from '../lib/address.ts'
import { domainForms } from '../lib/idn.ts'
import type { Recipient, RecipientRef, TenantSettings } from '../model/tenant.ts'
import type { FreemailTest } from './freemail.ts'
import { lookalikeMatcher } from './lookalike.ts'
import { type MailService, mailServiceOf } from './mail-services.ts'

export interface Destination {
  /** What the report shows: an address, or the identity when no address is known. */
  label: string
  address?: string
  /** The ASCII (punycode) domain, what routes and what tenant controls match. */
  domain?: string
  /** The domain for a reader: its Unicode form beside the punycode one when they differ. */
  domainLabel?: string
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
  const domainTypes = new Map(
    settings.acceptedDomains.map((d) => [domainForms(d.name)?.ascii ?? d.name, d.type])
  )
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
  const acceptedFor = (domain: string) => {
    for (let d = domain; d !== ''; d = d.includes('.') ? d.slice(d.indexOf('.') + 1) : '') {
      const type = domainTypes.get(d)
      if (type) return { type, exact: d === domain }
    }
    return undefined
  }
  const isInternalDomain = (domain: string) => {
    const accepted = acceptedFor(domain)
    return accepted !== undefined && accepted.type !== 'ExternalRelay'
  }
  /**
   * Exchange Online delivers to an address of an Authoritative domain itself; an InternalRelay
   * domain, or a sub-domain that is not accepted itself, it hands to that domain's own mail
   * servers when no recipient of the tenant has the address. Such an address nobody here owns
   * leaves the tenant: a domain an admin-level attacker added, or a dangling sub-domain.
   */
  const relaysOut = (domain: string) => {
    const accepted = acceptedFor(domain)
    return accepted !== undefined && (accepted.type === 'InternalRelay' || !accepted.exact)
  }

  const fromAddress = (parsed: ParsedAddress, hidden = false): Destination => {
    const domain = parsed.domain.ascii
    const normalized = parsed.address
    // Only the domain as the tenant writes it is internal: `ｃｏｎｔｏｓｏ.com` is not contoso.com.
    const inAccepted = parsed.domain.canonical && isInternalDomain(domain)
    const owner = inAccepted ? byAddress().get(normalized) : undefined
    const external = !inAccepted || (owner === undefined && relaysOut(domain))
    const lookalike = external ? imitates(parsed.domain) : undefined
    const recipient = external ? undefined : owner
    // `duck.com.` is duck.com in DNS: the root dot must not take a domain off a list.
    const listed = domain.replace(/\.$/, '')
    const service = external ? mailServiceOf(listed) : undefined
    const written = parsed.written.slice(parsed.written.lastIndexOf('@') + 1)
    const domainLabel =
      parsed.label === parsed.address
        ? undefined
        : `${parsed.domain.canonical ? parsed.domain.unicode : written} (${domain})`
    return {
      label: parsed.label,
      address: normalized,
      domain,
      ...(domainLabel ? { domainLabel } : {}),
      external,
      // A relay is not a mailbox provider, whatever a freemail list says (33mail.com is in one).
      freemail: external && service?.service !== 'relay' && isFreemail(listed),
      ...(lookalike ? { imitates: lookalike } : {}),
      ...(service ? { service } : {}),
      // Only internal recipients can be hidden from the tenant's address lists.
      hiddenFromAddressLists: hidden || recipient?.hiddenFromAddressLists === true,
      unresolved: false,
      ...(recipient ? { account: accountOf(recipient) } : {}),
    }
  }

  /** A target that does not resolve: shown as written, and outside the tenant. */
  const unresolved = (ref: RecipientRef): Destination => ({
    label: ref.raw ?? ref.address ?? ref.legacyDn ?? ref.identity ?? '(empty recipient)',
    external: true,
    freemail: false,
    hiddenFromAddressLists: false,
    unresolved: true,
  })

  /** A mail contact or mail user forwards out to its external address. */
  const fromRecipient = (recipient: Recipient): Destination | undefined => {
    const hidden = recipient.hiddenFromAddressLists === true
    const target = recipient.externalEmailAddress ?? recipient.primarySmtpAddress
    const parsed = target === undefined ? undefined : parseAddress(target)
    return parsed ? fromAddress(parsed, hidden) : undefined
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
        const parsed = parseAddress(ref.address)
        if (!parsed) return unresolved(ref)
        // An address in an accepted domain may be a mail contact that forwards out.
        const recipient = isInternalDomain(parsed.domain.ascii)
          ? byAddress().get(parsed.address)
          : undefined
        return (recipient?.externalEmailAddress && fromRecipient(recipient)) || fromAddress(parsed)
      }
      const key = (ref.legacyDn ?? ref.identity)?.toLowerCase()
      const recipient = key === undefined ? undefined : (byName().get(key) ?? byAddress().get(key))
      // Exchange accepts only existing recipients here, but a snapshot can say anything, and a
      // live lookup can fail: what nobody resolves is treated as leaving the tenant.
      return (recipient && fromRecipient(recipient)) || unresolved(ref)
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
