/**
 * Every way Microsoft writes a forwarding target, reduced to one RecipientRef.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parseRecipient,
  parseRecipientList,
  stripSmtpPrefix,
} from '../../core/normalize/recipients.ts'

const ROB_DN =
  '/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=8450ce8cf45b4ee88feb21c3cacff073-bbcfc3c5-0b'

describe('Get-InboxRule strings', () => {
  it('a quoted name with [SMTP:] is an address with a display name', () => {
    expect(parseRecipient('"Box" [SMTP:drop@evil.example]')).toEqual({
      address: 'drop@evil.example',
      displayName: 'Box',
    })
  })

  it('a quoted name with [EX:] is an Exchange legacy DN with a display name', () => {
    expect(parseRecipient(`"Rob Knight" [EX:${ROB_DN}]`)).toEqual({
      legacyDn: ROB_DN,
      displayName: 'Rob Knight',
    })
  })

  it('an unquoted name before the brackets is the display name', () => {
    expect(parseRecipient('Payments Team [SMTP:Payments@C0ntoso.com]')).toEqual({
      address: 'payments@c0ntoso.com',
      displayName: 'Payments Team',
    })
  })

  it('a display name equal to the address is dropped', () => {
    expect(parseRecipient('"drop@evil.example" [SMTP:drop@evil.example]')).toEqual({
      address: 'drop@evil.example',
    })
  })

  it('escaped quotes and a semicolon inside the display name stay in the name', () => {
    expect(parseRecipientList(['"Smith; \\"JJ\\" John" [SMTP:j.smith@fabrikam.com]'])).toEqual([
      { address: 'j.smith@fabrikam.com', displayName: 'Smith; "JJ" John' },
    ])
  })

  it('an unknown routing type keeps it in the identity', () => {
    expect(parseRecipient('"Legacy fax" [FAX:+49 30 1234567]')).toEqual({
      identity: 'FAX:+49 30 1234567',
      displayName: 'Legacy fax',
    })
  })
})

describe('address strings', () => {
  it('ForwardingSmtpAddress `smtp:x` is the address, lower-cased', () => {
    expect(parseRecipient('smtp:Someone@Gmail.com')).toEqual({ address: 'someone@gmail.com' })
  })

  it('a plain address is the address, lower-cased and trimmed', () => {
    expect(parseRecipient('  Alex.Wilber@Contoso.com ')).toEqual({
      address: 'alex.wilber@contoso.com',
    })
  })

  it('a bare legacy DN is a legacy DN', () => {
    expect(parseRecipient(ROB_DN)).toEqual({ legacyDn: ROB_DN })
  })

  it('an alias or name is an identity', () => {
    expect(parseRecipient('Fabrikam Project Team')).toEqual({ identity: 'Fabrikam Project Team' })
  })

  it.each([[''], ['   ']])('%j names nothing', (value) => {
    expect(parseRecipient(value)).toBeUndefined()
  })

  it('a `;`-separated list gives one ref per address', () => {
    expect(parseRecipientList('a@b.com; c@d.com')).toEqual([
      { address: 'a@b.com' },
      { address: 'c@d.com' },
    ])
  })

  it('a `;`-separated list of bracketed targets gives one ref each', () => {
    expect(
      parseRecipientList('"A" [SMTP:a@x.example]; "Rob Knight" [EX:/o=ExchangeLabs/cn=rob]')
    ).toEqual([
      { address: 'a@x.example', displayName: 'A' },
      { legacyDn: '/o=ExchangeLabs/cn=rob', displayName: 'Rob Knight' },
    ])
  })

  it('an array mixes every shape and drops empty entries', () => {
    expect(
      parseRecipientList([
        '"Box" [SMTP:drop@evil.example]',
        '',
        null,
        'smtp:x@y.example',
        { emailAddress: { address: 'Z@Y.example', name: 'Zed' } },
      ])
    ).toEqual([
      { address: 'drop@evil.example', displayName: 'Box' },
      { address: 'x@y.example' },
      { address: 'z@y.example', displayName: 'Zed' },
    ])
  })

  it('stripSmtpPrefix removes the prefix in any case', () => {
    expect(stripSmtpPrefix('SMTP:a@b.com')).toBe('a@b.com')
    expect(stripSmtpPrefix('smtp:a@b.com ')).toBe('a@b.com')
    expect(stripSmtpPrefix('a@b.com')).toBe('a@b.com')
  })
})

describe('objects', () => {
  it('a PowerShell ADRecipientOrAddress with RoutingType EX is a legacy DN', () => {
    expect(
      parseRecipient({ Address: ROB_DN, RoutingType: 'EX', DisplayName: 'Rob Knight' })
    ).toEqual({ legacyDn: ROB_DN, displayName: 'Rob Knight' })
  })

  it('a PowerShell ADRecipientOrAddress with RoutingType SMTP is an address', () => {
    expect(
      parseRecipient({ Address: 'Drop@Evil.example', RoutingType: 'SMTP', DisplayName: 'Box' })
    ).toEqual({ address: 'drop@evil.example', displayName: 'Box' })
  })

  it('a PowerShell ProxyAddress is its AddressString', () => {
    expect(
      parseRecipient({
        AddressString: 'someone@gmail.com',
        ProxyAddressString: 'smtp:someone@gmail.com',
        PrefixString: 'smtp',
        IsPrimaryAddress: false,
      })
    ).toEqual({ address: 'someone@gmail.com' })
  })

  it('a ProxyAddress with only ProxyAddressString is parsed from it', () => {
    expect(parseRecipient({ ProxyAddressString: 'SMTP:someone@gmail.com' })).toEqual({
      address: 'someone@gmail.com',
    })
  })

  it('a Graph recipient is its address with its name', () => {
    expect(
      parseRecipient({
        emailAddress: { name: 'Alex Wilbur', address: 'AlexW@contoso.onmicrosoft.com' },
      })
    ).toEqual({ address: 'alexw@contoso.onmicrosoft.com', displayName: 'Alex Wilbur' })
  })

  it('a Graph recipient with only a name is an identity', () => {
    expect(parseRecipient({ emailAddress: { name: 'Alex Wilbur', address: null } })).toEqual({
      identity: 'Alex Wilbur',
    })
  })

  it('an object with only a DisplayName is an identity', () => {
    expect(parseRecipient({ DisplayName: 'svc-sync' })).toEqual({ identity: 'svc-sync' })
  })

  it.each([[null], [undefined], [{}], [42], [true], [{ emailAddress: {} }]])(
    '%j names nothing',
    (value) => {
      expect(parseRecipient(value)).toBeUndefined()
    }
  )

  it.each([[null], [undefined], [[]]])('the list %j is empty', (value) => {
    expect(parseRecipientList(value)).toEqual([])
  })

  it('a single object instead of a list is a list of one (PowerShell)', () => {
    expect(parseRecipientList({ emailAddress: { address: 'a@b.com' } })).toEqual([
      { address: 'a@b.com' },
    ])
  })
})

describe('untrusted input', () => {
  const isRef = (ref: unknown) => {
    if (ref === undefined) return
    expect(typeof ref).toBe('object')
    const r = ref as Record<string, unknown>
    const keys = Object.keys(r)
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) {
      expect(['address', 'legacyDn', 'identity', 'displayName']).toContain(key)
      expect(typeof r[key]).toBe('string')
    }
    expect(r.address ?? r.legacyDn ?? r.identity).toBeDefined()
    if (typeof r.address === 'string') {
      expect(r.address).toBe(r.address.toLowerCase())
      expect(r.address).toContain('@')
    }
  }

  const bracketed = fc
    .tuple(
      fc.string(),
      fc.constantFrom('SMTP', 'smtp', 'EX', 'X500', ''),
      fc.string(),
      fc.boolean()
    )
    .map(([name, type, address, quoted]) =>
      quoted ? `"${name}" [${type}:${address}]` : `${name} [${type}:${address}]`
    )

  it('parseRecipient never throws on arbitrary strings and returns a ref or nothing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), bracketed), (text) => {
        isRef(parseRecipient(text))
      }),
      { numRuns: 2000 }
    )
  })

  it('parseRecipient never throws on arbitrary values', () => {
    const shaped = fc.oneof(
      fc.record({ emailAddress: fc.anything() }),
      fc.record({ Address: fc.anything(), RoutingType: fc.anything(), DisplayName: fc.anything() }),
      fc.record({ AddressString: fc.anything(), ProxyAddressString: fc.anything() })
    )
    fc.assert(
      fc.property(fc.oneof(fc.anything(), shaped), (value) => {
        isRef(parseRecipient(value))
      }),
      { numRuns: 2000 }
    )
  })

  it('parseRecipientList never throws and returns only refs', () => {
    const item = fc.oneof(fc.string(), bracketed, fc.anything())
    fc.assert(
      fc.property(fc.oneof(item, fc.array(item)), (value) => {
        const refs = parseRecipientList(value)
        expect(Array.isArray(refs)).toBe(true)
        for (const ref of refs) {
          expect(ref).toBeDefined()
          isRef(ref)
        }
      }),
      { numRuns: 1000 }
    )
  })
})
