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
    expect(parseRecipient('"Box" [SMTP:drop@evil.example]')).toMatchObject({
      address: 'drop@evil.example',
      displayName: 'Box',
    })
  })

  it('a quoted name with [EX:] is an Exchange legacy DN with a display name', () => {
    expect(parseRecipient(`"Rob Knight" [EX:${ROB_DN}]`)).toMatchObject({
      legacyDn: ROB_DN,
      displayName: 'Rob Knight',
    })
  })

  it('an unquoted name before the brackets is the display name', () => {
    expect(parseRecipient('Payments Team [SMTP:Payments@C0ntoso.com]')).toMatchObject({
      address: 'payments@c0ntoso.com',
      displayName: 'Payments Team',
    })
  })

  it('a display name equal to the address is dropped', () => {
    expect(parseRecipient('"drop@evil.example" [SMTP:drop@evil.example]')).not.toHaveProperty(
      'displayName'
    )
  })

  it('escaped quotes and a semicolon inside the display name stay in the name', () => {
    expect(
      parseRecipientList(['"Smith; \\"JJ\\" John" [SMTP:j.smith@fabrikam.com]'])
    ).toMatchObject([{ address: 'j.smith@fabrikam.com', displayName: 'Smith; "JJ" John' }])
  })

  it('an unknown routing type keeps it in the identity', () => {
    expect(parseRecipient('"Legacy fax" [FAX:+49 30 1234567]')).toMatchObject({
      identity: 'FAX:+49 30 1234567',
      displayName: 'Legacy fax',
    })
  })
})

describe('address strings', () => {
  it('ForwardingSmtpAddress `smtp:x` is the address, lower-cased', () => {
    expect(parseRecipient('smtp:Someone@Gmail.com')).toMatchObject({ address: 'someone@gmail.com' })
  })

  it('a plain address is the address, lower-cased and trimmed', () => {
    expect(parseRecipient('  Alex.Wilber@Contoso.com ')).toMatchObject({
      address: 'alex.wilber@contoso.com',
    })
  })

  it('a bare legacy DN is a legacy DN', () => {
    expect(parseRecipient(ROB_DN)).toMatchObject({ legacyDn: ROB_DN })
  })

  it('an alias or name is an identity', () => {
    expect(parseRecipient('Fabrikam Project Team')).toMatchObject({
      identity: 'Fabrikam Project Team',
    })
  })

  it.each([[''], ['   ']])('%j is an empty recipient, shown as such', (value) => {
    expect(parseRecipient(value)).toEqual({ raw: '(empty recipient)' })
  })

  it('a `;`-separated list gives one ref per address', () => {
    expect(parseRecipientList('a@b.com; c@d.com')).toMatchObject([
      { address: 'a@b.com' },
      { address: 'c@d.com' },
    ])
  })

  it('a `;`-separated list of bracketed targets gives one ref each', () => {
    expect(
      parseRecipientList('"A" [SMTP:a@x.example]; "Rob Knight" [EX:/o=ExchangeLabs/cn=rob]')
    ).toMatchObject([
      { address: 'a@x.example', displayName: 'A' },
      { legacyDn: '/o=ExchangeLabs/cn=rob', displayName: 'Rob Knight' },
    ])
  })

  it('an array mixes every shape; an empty entry is an empty recipient, a null is nothing', () => {
    expect(
      parseRecipientList([
        '"Box" [SMTP:drop@evil.example]',
        '',
        null,
        'smtp:x@y.example',
        { emailAddress: { address: 'Z@Y.example', name: 'Zed' } },
      ])
    ).toMatchObject([
      { address: 'drop@evil.example', displayName: 'Box' },
      { raw: '(empty recipient)' },
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
    ).toMatchObject({ legacyDn: ROB_DN, displayName: 'Rob Knight' })
  })

  it('a PowerShell ADRecipientOrAddress with RoutingType SMTP is an address', () => {
    expect(
      parseRecipient({ Address: 'Drop@Evil.example', RoutingType: 'SMTP', DisplayName: 'Box' })
    ).toMatchObject({ address: 'drop@evil.example', displayName: 'Box' })
  })

  it('a PowerShell ProxyAddress is its AddressString', () => {
    expect(
      parseRecipient({
        AddressString: 'someone@gmail.com',
        ProxyAddressString: 'smtp:someone@gmail.com',
        PrefixString: 'smtp',
        IsPrimaryAddress: false,
      })
    ).toMatchObject({ address: 'someone@gmail.com' })
  })

  it('a ProxyAddress with only ProxyAddressString is parsed from it', () => {
    expect(parseRecipient({ ProxyAddressString: 'SMTP:someone@gmail.com' })).toMatchObject({
      address: 'someone@gmail.com',
    })
  })

  it('a Graph recipient is its address with its name', () => {
    expect(
      parseRecipient({
        emailAddress: { name: 'Alex Wilbur', address: 'AlexW@contoso.onmicrosoft.com' },
      })
    ).toMatchObject({ address: 'alexw@contoso.onmicrosoft.com', displayName: 'Alex Wilbur' })
  })

  it('a Graph recipient with only a name is an identity, shown as having no address', () => {
    expect(parseRecipient({ emailAddress: { name: 'Alex Wilbur', address: null } })).toEqual({
      identity: 'Alex Wilbur',
      raw: '"Alex Wilbur" (no address)',
    })
  })

  it('an object with only a DisplayName is an identity', () => {
    expect(parseRecipient({ DisplayName: 'svc-sync' })).toMatchObject({ identity: 'svc-sync' })
  })

  it.each([[null], [undefined]])('%j names nothing', (value) => {
    expect(parseRecipient(value)).toBeUndefined()
  })

  it.each([[{}], [42], [true], [{ emailAddress: {} }]])(
    '%j is an unreadable recipient, kept with what it was',
    (value) => {
      const ref = parseRecipient(value)
      expect(ref).toEqual({ raw: `(unreadable recipient ${JSON.stringify(value)})` })
    }
  )

  it.each([[null], [undefined], [[]]])('the list %j is empty', (value) => {
    expect(parseRecipientList(value)).toMatchObject([])
  })

  it('a single object instead of a list is a list of one (PowerShell)', () => {
    expect(parseRecipientList({ emailAddress: { address: 'a@b.com' } })).toMatchObject([
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
      expect(['address', 'legacyDn', 'identity', 'displayName', 'raw']).toContain(key)
      expect(typeof r[key]).toBe('string')
    }
    expect(r.raw).toBeDefined()
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
