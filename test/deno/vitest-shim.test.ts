/**
 * The Deno shim must behave like vitest for everything core's tests rely on. This file runs
 * under both (vitest directly, Deno through test/deno/vitest-shim.ts), so each expectation here
 * is checked against real vitest too.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } from 'vitest'

const events: string[] = []

describe('hooks', () => {
  beforeAll(() => {
    events.push('beforeAll')
  })
  beforeEach(() => {
    events.push('beforeEach')
  })
  afterEach(() => {
    events.push('afterEach')
  })
  afterAll(() => {
    events.push('afterAll')
  })

  it('first', () => {
    events.push('first')
  })

  describe('nested', () => {
    beforeEach(() => {
      events.push('nested beforeEach')
    })
    it('second', () => {
      events.push('second')
    })
  })
})

describe('after the hooks suite', () => {
  it('ran every hook in vitest order, afterAll once after the last test', () => {
    expect(events).toEqual([
      'beforeAll',
      'beforeEach',
      'first',
      'afterEach',
      'beforeEach',
      'nested beforeEach',
      'second',
      'afterEach',
      'afterAll',
    ])
  })
})

describe('each', () => {
  const seen: unknown[][] = []
  it.each([
    [1, 'one'],
    [2, 'two'],
  ])('spreads a row of arguments: %i is %s', (n, word) => {
    seen.push([n, word])
  })
  it.each(['a', 'b'])('passes a bare value as one argument: %s', (letter) => {
    seen.push([letter])
  })
  it.each([{ name: 'x' }])('passes an object whole: $name', (row) => {
    seen.push([row])
  })
  test('received every row, in order', () => {
    expect(seen).toEqual([[1, 'one'], [2, 'two'], ['a'], ['b'], [{ name: 'x' }]])
  })
})

describe('skip', () => {
  it.skip('a skipped test never runs', () => {
    throw new Error('ran a skipped test')
  })
})

describe('expect', () => {
  it('prefixes a failure with the message given as its second argument', () => {
    expect(() => expect(1, 'the answer').toBe(2)).toThrow(/^the answer: /)
    expect(() => expect([1], 'a list').not.toContain(1)).toThrow(/^a list: /)
  })

  it('keeps the message on async matchers', async () => {
    await expect(expect(Promise.resolve(1), 'later').resolves.toBe(2)).rejects.toThrow(/^later: /)
  })

  it('has the asymmetric matchers', () => {
    expect({ a: 1, b: 'text', c: [1, 2] }).toEqual({
      a: expect.any(Number),
      b: expect.stringMatching(/^te/),
      c: expect.arrayContaining([2]),
    })
    expect({ a: 1, b: 2 }).toEqual(expect.objectContaining({ a: 1 }))
  })
})
