/**
 * @module test/deno/vitest-shim
 * The part of vitest's API that core's tests use, built on `Deno.test`, so the very same test
 * files run under real Deno (test/deno/deno.json maps the bare specifier `vitest` here).
 *
 * Every `it` becomes one `Deno.test` named `suite > test`, so Deno's own count is the number of
 * tests. Deno runs a file's tests one after another in registration order, which is what lets
 * suite hooks run lazily: `beforeAll` before a suite's first test, `afterAll` after its last.
 * Assertions are Jest's `expect` (the npm package), wrapped to accept vitest's optional message.
 * Anything else from vitest (`vi`, snapshots, `.concurrent`, ...) is deliberately missing: a test
 * file that imports it fails to load under Deno instead of passing vacuously.
 */
import { expect as jestExpect } from 'expect'

type Awaitable<T> = T | PromiseLike<T>
type TestFn = () => Awaitable<unknown>
type Hook = () => Awaitable<unknown>
/** vitest accepts a timeout or options as a third argument; Deno has no per-test timeout. */
type TestOptions = number | { timeout?: number }

interface DenoTestDefinition {
  name: string
  fn: () => Promise<void>
  ignore?: boolean
  only?: boolean
}
// Read through globalThis so tsc (which type-checks test/ with Node types) accepts this file too.
const { Deno } = globalThis as unknown as { Deno: { test(def: DenoTestDefinition): void } }

interface Suite {
  name: string
  parent: Suite | undefined
  skip: boolean
  only: boolean
  beforeAll: Hook[]
  afterAll: Hook[]
  beforeEach: Hook[]
  afterEach: Hook[]
  /** Runnable tests in this suite and below, in order: the last one triggers afterAll. */
  tests: object[]
  started: boolean
}

function newSuite(name: string, parent: Suite | undefined, skip = false, only = false): Suite {
  return {
    name,
    parent,
    skip: skip || (parent?.skip ?? false),
    only: only || (parent?.only ?? false),
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
    tests: [],
    started: false,
  }
}

const root = newSuite('', undefined)
let current = root

/** Outermost first. */
function chain(suite: Suite): Suite[] {
  const suites: Suite[] = []
  for (let s: Suite | undefined = suite; s; s = s.parent) suites.unshift(s)
  return suites
}

async function runAll(hooks: Hook[]): Promise<void> {
  for (const hook of hooks) await hook()
}

function register(name: string, fn: TestFn | undefined, mode: { skip?: boolean; only?: boolean }) {
  const suite = current
  const suites = chain(suite)
  const fullName = [...suites.map((s) => s.name).filter(Boolean), name].join(' > ')
  const ignore = mode.skip || suite.skip || fn === undefined
  const token = {}
  if (!ignore) for (const s of suites) s.tests.push(token)
  Deno.test({
    name: fullName,
    ignore,
    only: mode.only || suite.only,
    async fn() {
      for (const s of suites) {
        if (!s.started) {
          s.started = true
          await runAll(s.beforeAll)
        }
      }
      try {
        for (const s of suites) await runAll(s.beforeEach)
        await fn?.()
      } finally {
        for (const s of [...suites].reverse()) await runAll(s.afterEach)
        for (const s of [...suites].reverse()) {
          if (s.tests.at(-1) === token) await runAll(s.afterAll)
        }
      }
    },
  })
}

function collect(name: string, body: () => void, mode: { skip?: boolean; only?: boolean }) {
  const parent = current
  current = newSuite(name, parent, mode.skip, mode.only)
  try {
    const result: unknown = body()
    if (result instanceof Promise) {
      throw new Error(
        `describe('${name}') returned a promise: suites must be collected synchronously`
      )
    }
  } finally {
    current = parent
  }
}

/** vitest's printf-style test titles for `.each`: %s %d %i %f %j %o %O %# %$ %%, and $key. */
function formatTitle(template: string, args: unknown[], index: number): string {
  const first = args[0]
  let next = 0
  const named = template.replace(/\$([\w.]+)/g, (whole, key: string) => {
    if (typeof first !== 'object' || first === null || /^\d+$/.test(key)) return whole
    const value = key
      .split('.')
      .reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], first)
    return display(value)
  })
  return named.replace(/%[sdifjoO#$%]/g, (token) => {
    if (token === '%%') return '%'
    if (token === '%#') return String(index)
    if (token === '%$') return String(index + 1)
    const value = args[next++]
    if (token === '%d' || token === '%i') return String(Math.trunc(Number(value)))
    if (token === '%f') return String(Number(value))
    if (token === '%s') return typeof value === 'string' ? value : display(value)
    return JSON.stringify(value) ?? String(value)
  })
}

function display(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) ?? String(value)
  return String(value)
}

type EachFn = {
  <T extends unknown[] | [unknown]>(
    cases: ReadonlyArray<T>
  ): (name: string, fn: (...args: T) => Awaitable<unknown>, options?: TestOptions) => void
  <T>(
    cases: ReadonlyArray<T>
  ): (name: string, fn: (...args: T[]) => Awaitable<unknown>, options?: TestOptions) => void
}

function eachOf(mode: { skip?: boolean; only?: boolean }): EachFn {
  return ((cases: ReadonlyArray<unknown>) => {
    if (!Array.isArray(cases)) {
      throw new Error('the Deno vitest shim supports .each with an array, not a template literal')
    }
    return (name: string, fn: (...args: unknown[]) => Awaitable<unknown>) => {
      cases.forEach((item, index) => {
        const args = Array.isArray(item) ? item : [item]
        register(formatTitle(name, args, index), () => fn(...args), mode)
      })
    }
  }) as EachFn
}

interface TestApi {
  (name: string, fn?: TestFn, options?: TestOptions): void
  each: EachFn
}

function testApi(mode: { skip?: boolean; only?: boolean }): TestApi {
  const api = (name: string, fn?: TestFn) => register(name, fn, mode)
  return Object.assign(api, { each: eachOf(mode) })
}

type DescribeApi = (name: string, body: () => void) => void

function describeApi(mode: { skip?: boolean; only?: boolean }): DescribeApi {
  return (name: string, body: () => void) => collect(name, body, mode)
}

export const it: TestApi & { skip: TestApi; only: TestApi; todo: (name: string) => void } =
  Object.assign(testApi({}), {
    skip: testApi({ skip: true }),
    only: testApi({ only: true }),
    todo: (name: string) => register(name, undefined, { skip: true }),
  })
export const test = it

export const describe: DescribeApi & { skip: DescribeApi; only: DescribeApi } = Object.assign(
  describeApi({}),
  { skip: describeApi({ skip: true }), only: describeApi({ only: true }) }
)

/** Runs once before the first test of the enclosing suite; a returned function runs afterAll. */
export function beforeAll(hook: Hook): void {
  const suite = current
  suite.beforeAll.push(async () => {
    const teardown = await hook()
    if (typeof teardown === 'function') suite.afterAll.unshift(teardown as Hook)
  })
}

export function afterAll(hook: Hook): void {
  current.afterAll.unshift(hook)
}

export function beforeEach(hook: Hook): void {
  current.beforeEach.push(hook)
}

export function afterEach(hook: Hook): void {
  current.afterEach.unshift(hook)
}

/**
 * Jest's expect refuses a second argument; vitest's `expect(value, message)` prefixes the
 * failure with the message, which these wrappers reproduce (also through .not/.resolves/.rejects).
 */
function withMessage<T extends object>(target: T, message: string): T {
  const prefix = (error: unknown): never => {
    if (error instanceof Error) error.message = `${message}: ${error.message}`
    throw error
  }
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver)
      if (typeof value === 'function') {
        return (...args: unknown[]) => {
          try {
            const result: unknown = value.apply(object, args)
            return result instanceof Promise ? result.catch(prefix) : result
          } catch (error) {
            return prefix(error)
          }
        }
      }
      return typeof value === 'object' && value !== null ? withMessage(value, message) : value
    },
  })
}

export const expect: typeof jestExpect &
  (<T>(actual: T, message?: string) => ReturnType<typeof jestExpect<T>>) = Object.assign(
  <T>(actual: T, message?: string) => {
    const matchers = jestExpect(actual)
    return message === undefined ? matchers : withMessage(matchers, message)
  },
  jestExpect
)
