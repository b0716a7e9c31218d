/**
 * The audit request: one schema for the CLI, the worker and the action. Every rejection is an
 * InvalidInputError(INVALID_REQUEST) whose `field` and message name the field and the fix.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AUDIT_REQUEST_FIELDS,
  InvalidInputError,
  parseAuditRequest,
  RISK_LEVELS,
} from '../../core/index.ts'

/** The error parseAuditRequest throws for `input`; fails the test when it does not throw. */
function rejection(input: unknown): InvalidInputError {
  try {
    parseAuditRequest(input)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    const invalid = error as InvalidInputError
    expect(invalid.code).toBe('INVALID_REQUEST')
    expect(invalid.userFixable).toBe(true)
    return invalid
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
}

describe('defaults', () => {
  it('fills every default when only all_users is given', () => {
    expect(parseAuditRequest({ all_users: true })).toEqual({
      all_users: true,
      external_only: false,
      flag_freemail: false,
      include_transport_rules: false,
      include_inbox_rules: true,
      risk_threshold: 'low',
      recent_days: 7,
      audit_log_days: 90,
      hidden_sweep: 'all',
      concurrency: 5,
      batch: 10,
    })
  })

  it.each([
    [{ hidden_sweep: 'some' }, /`hidden_sweep` must be one of all, changed, off/],
    [{ audit_log_days: -1 }, /`audit_log_days` must be at least 0/],
    [{ audit_log_days: 400 }, /`audit_log_days` must be at most 365/],
    [{ recent_days: 1.5 }, /`recent_days` must be a whole number/],
  ])('refuses %j, naming the field', (fields, message) => {
    expect(() => parseAuditRequest({ all_users: true, ...fields })).toThrow(message)
  })

  it('accepts one user and trims it', () => {
    const request = parseAuditRequest({ user: '  alex.wilber@contoso.com ' })
    expect(request.user).toBe('alex.wilber@contoso.com')
    expect(request.all_users).toBe(false)
    expect(request.include_inbox_rules).toBe(true)
  })

  it('accepts a list of users', () => {
    const request = parseAuditRequest({ users: ['a@contoso.com', 'b@contoso.com'] })
    expect(request.users).toEqual(['a@contoso.com', 'b@contoso.com'])
  })

  it('keeps values the caller set', () => {
    const request = parseAuditRequest({
      all_users: true,
      include_inbox_rules: false,
      include_transport_rules: true,
      risk_threshold: 'high',
      concurrency: 50,
      batch: 1000,
    })
    expect(request).toMatchObject({
      include_inbox_rules: false,
      include_transport_rules: true,
      risk_threshold: 'high',
      concurrency: 50,
      batch: 1000,
    })
  })

  it.each([['2026-01-01'], ['2026-01-01T00:00:00Z'], ['2026-01-01T08:30:00+02:00']])(
    'accepts since %s',
    (since) => {
      expect(parseAuditRequest({ all_users: true, since }).since).toBe(since)
    }
  )

  it.each(RISK_LEVELS.map((level) => [level]))('accepts risk_threshold %s', (level) => {
    expect(parseAuditRequest({ all_users: true, risk_threshold: level }).risk_threshold).toBe(level)
  })
})

describe('rejections name the field and the fix', () => {
  it('user together with all_users', () => {
    const error = rejection({ user: 'alex@contoso.com', all_users: true })
    expect(error.field).toBe('user')
    expect(error.message).toContain('`user`')
    expect(error.message).toContain('`all_users`')
    expect(error.message).toMatch(/give one of them/)
  })

  it('users together with all_users', () => {
    const error = rejection({ users: ['alex@contoso.com'], all_users: true })
    expect(error.field).toBe('users')
    expect(error.message).toMatch(/`users` and `all_users` exclude each other/)
  })

  it('user together with users', () => {
    const error = rejection({ user: 'alex@contoso.com', users: ['b@contoso.com'] })
    expect(error.field).toBe('user')
    expect(error.message).toMatch(/give one of them/)
  })

  it('neither user nor all_users', () => {
    const error = rejection({})
    expect(error.field).toBe('user')
    expect(error.message).toContain('`user` is required')
    expect(error.message).toMatch(/set `all_users`/)
  })

  it.each([
    ['alex'],
    ['alex@'],
    ['alex wilber@contoso.com'],
    ['alex@@contoso.com'],
    ['a..b@contoso.com'],
  ])('a malformed user principal name %j', (user) => {
    const error = rejection({ user })
    expect(error.field).toBe('user')
    expect(error.message).toContain('`user` is not a valid user principal name')
    expect(error.message).toContain(JSON.stringify(user))
    expect(error.message).toMatch(/use the form alex@contoso\.com/)
  })

  it('a malformed entry of users names users[i]', () => {
    const error = rejection({ users: ['a@contoso.com', 'not-a-upn'] })
    expect(error.field).toBe('users[1]')
    expect(error.message).toContain('`users[]`')
  })

  it('an empty users list', () => {
    const error = rejection({ users: [] })
    expect(error.field).toBe('users')
    expect(error.message).toMatch(/list at least one/)
  })

  it('user that is not a string', () => {
    const error = rejection({ user: 42 })
    expect(error.field).toBe('user')
    expect(error.message).toMatch(/must be a string/)
  })

  it.each([['yesterday'], ['2026-13-45'], ['01/02/2026'], ['2026-02-30'], ['2026-01-01T24:00']])(
    'since %j is not an ISO 8601 date',
    (since) => {
      const error = rejection({ all_users: true, since })
      expect(error.field).toBe('since')
      expect(error.message).toContain('`since`')
      expect(error.message).toContain(JSON.stringify(since))
      expect(error.message).toContain('2026-01-01')
    }
  )

  it('an unknown field', () => {
    const error = rejection({ all_users: true, include_hidden: true })
    expect(error.message).toContain('`include_hidden`')
    expect(error.message).toMatch(/remove it/)
    expect(error.message).toContain('include_inbox_rules')
    // The field the user has to remove is the one the error points at.
    expect(error.field).toBe('include_hidden')
  })

  it.each([
    [0, /`concurrency` must be at least 1/],
    [51, /`concurrency` must be at most 50/],
    [2.5, /`concurrency` must be a whole number from 1 to 50/],
    ['5', /`concurrency` must be a whole number from 1 to 50/],
  ])('concurrency %j', (concurrency, message) => {
    const error = rejection({ all_users: true, concurrency })
    expect(error.field).toBe('concurrency')
    expect(error.message).toMatch(message)
  })

  it.each([[0], [1001], [1.5]])('batch %j', (batch) => {
    const error = rejection({ all_users: true, batch })
    expect(error.field).toBe('batch')
    expect(error.message).toContain('`batch`')
  })

  it("risk_threshold 'severe'", () => {
    const error = rejection({ all_users: true, risk_threshold: 'severe' })
    expect(error.field).toBe('risk_threshold')
    expect(error.message).toBe('`risk_threshold` must be one of low, medium, high, critical')
  })

  it.each([
    ['all_users'],
    ['external_only'],
    ['flag_freemail'],
    ['include_transport_rules'],
    ['include_inbox_rules'],
  ])('%s that is not a boolean', (field) => {
    const error = rejection({ all_users: true, [field]: 'true' })
    expect(error.field).toBe(field)
    expect(error.message).toBe(`\`${field}\` must be true or false`)
  })

  it.each([[null], [[]], ['all_users'], [42]])('a body that is not an object (%j)', (body) => {
    expect(rejection(body).message).toBe('the request body must be a JSON object')
  })
})

describe('untrusted input', () => {
  const outcome = (input: unknown): 'ok' | 'invalid' => {
    try {
      parseAuditRequest(input)
      return 'ok'
    } catch (error) {
      if (error instanceof InvalidInputError && error.code === 'INVALID_REQUEST') return 'invalid'
      throw error
    }
  }

  it('arbitrary JSON values never throw anything but InvalidInputError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        outcome(input)
      }),
      { numRuns: 500 }
    )
  })

  it('objects with the request fields set to arbitrary JSON never throw anything but InvalidInputError', () => {
    const field = fc.oneof(fc.constantFrom(...AUDIT_REQUEST_FIELDS), fc.string())
    fc.assert(
      fc.property(fc.dictionary(field, fc.jsonValue(), { maxKeys: 6 }), (input) => {
        outcome(input)
      }),
      { numRuns: 1000 }
    )
  })

  it('every rejection carries a one-line message and a known field or none', () => {
    const field = fc.constantFrom(...AUDIT_REQUEST_FIELDS)
    fc.assert(
      fc.property(fc.dictionary(field, fc.jsonValue(), { maxKeys: 4 }), (input) => {
        try {
          parseAuditRequest(input)
        } catch (error) {
          const invalid = error as InvalidInputError
          expect(invalid.message).not.toMatch(/\n/)
          expect(invalid.message.length).toBeGreaterThan(0)
          if (invalid.field !== undefined) {
            expect(AUDIT_REQUEST_FIELDS).toContain(invalid.field.replace(/\[\d+\]$/, ''))
          }
        }
      }),
      { numRuns: 500 }
    )
  })
})
