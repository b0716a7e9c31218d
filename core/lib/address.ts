/**
 * @module lib/address
 * User principal names as Entra ID accepts them: `local@domain.tld`, at most 113 characters
 * (64 for the local part), no spaces or quotes.
 */

const UPN =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/

/** True when `value` is a well-formed UPN. */
export function isUpn(value: string): boolean {
  return value.length <= 113 && UPN.test(value) && !value.includes('..')
}

/** Lower-case and trim a UPN or address for comparison; Exchange treats them case-insensitively. */
export function normalizeAddress(value: string): string {
  return value.trim().toLowerCase()
}
