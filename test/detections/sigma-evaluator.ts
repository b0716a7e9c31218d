/**
 * A small Sigma evaluator for the features the rules in detections/ use, and no more: search
 * identifiers as maps (AND) or lists of maps (OR), value lists (OR), the modifiers `contains`,
 * `startswith`, `endswith` and `re`, case-insensitive plain matching with `*`/`?` wildcards,
 * conditions with `and`, `or`, `not`, parentheses, `1 of x_*` / `all of x_*` / `... of them`,
 * and `event_count` and `value_count` correlations grouped by fields within a sliding timespan.
 * Anything else throws, so a rule that starts using a feature this does not implement fails
 * its test instead of silently not matching. (Sigma specification v2: sigma-rules-specification,
 * sigma-modifiers-appendix, sigma-correlation-rules-specification.)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

export type SigmaEvent = Record<string, unknown>

export interface DetectionRule {
  kind: 'detection'
  file: string
  document: Record<string, unknown>
  name?: string
  title: string
  detection: Record<string, unknown>
}

export interface CorrelationRule {
  kind: 'correlation'
  file: string
  document: Record<string, unknown>
  title: string
  correlation: {
    type: string
    rules: string[]
    'group-by': string[]
    timespan: string
    condition: Record<string, number | string>
  }
}

export type SigmaRule = DetectionRule | CorrelationRule

/** Every rule in `dir` (`*.yml`), parsed. */
export function loadRules(dir: string): SigmaRule[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((file) => {
      const document = parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>
      const title = String(document.title)
      if (document.correlation) {
        return {
          kind: 'correlation',
          file,
          document,
          title,
          correlation: document.correlation as CorrelationRule['correlation'],
        }
      }
      return {
        kind: 'detection',
        file,
        document,
        title,
        detection: document.detection as Record<string, unknown>,
        ...(typeof document.name === 'string' ? { name: document.name } : {}),
      }
    })
}

/** True when the event matches the rule's detection. */
export function matches(rule: DetectionRule, event: SigmaEvent): boolean {
  const { condition, ...identifiers } = rule.detection
  if (typeof condition !== 'string') throw new Error(`${rule.file}: condition must be one string`)
  const evaluate = (name: string) => {
    const search = identifiers[name]
    if (search === undefined) throw new Error(`${rule.file}: no search identifier ${name}`)
    return matchesSearch(search, event, rule.file)
  }
  return new ConditionParser(condition, Object.keys(identifiers), evaluate, rule.file).parse()
}

function matchesSearch(search: unknown, event: SigmaEvent, file: string): boolean {
  if (Array.isArray(search)) {
    if (!search.every((item) => item && typeof item === 'object' && !Array.isArray(item))) {
      throw new Error(`${file}: keyword lists are not supported`)
    }
    return search.some((item) => matchesMap(item as Record<string, unknown>, event, file))
  }
  if (search && typeof search === 'object') {
    return matchesMap(search as Record<string, unknown>, event, file)
  }
  throw new Error(`${file}: a search identifier must be a map or a list of maps`)
}

function matchesMap(map: Record<string, unknown>, event: SigmaEvent, file: string): boolean {
  return Object.entries(map).every(([key, expected]) => {
    const [field, ...modifiers] = key.split('|')
    const actual = fieldText(event[field as string])
    const values = Array.isArray(expected) ? expected : [expected]
    const test = valueTest(modifiers, file)
    return values.some((value) =>
      value === null ? actual === undefined : actual !== undefined && test(actual, String(value))
    )
  })
}

/** Arrays and objects are matched as their JSON text, as the rules' logsource says. */
function fieldText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function valueTest(modifiers: string[], file: string): (actual: string, value: string) => boolean {
  const [modifier, ...rest] = modifiers
  if (rest.length > 0) throw new Error(`${file}: modifier chains are not supported: ${modifiers}`)
  switch (modifier) {
    case undefined:
      return (actual, value) => wildcard(value, '^', '$').test(actual)
    case 'contains':
      return (actual, value) => wildcard(value, '', '').test(actual)
    case 'startswith':
      return (actual, value) => wildcard(value, '^', '').test(actual)
    case 'endswith':
      return (actual, value) => wildcard(value, '', '$').test(actual)
    case 're':
      return (actual, value) => new RegExp(value).test(actual)
    default:
      throw new Error(`${file}: modifier ${modifier} is not supported`)
  }
}

/** Plain Sigma strings: case-insensitive, `*` and `?` wildcards, `\` escapes them. */
function wildcard(value: string, start: string, end: string): RegExp {
  let source = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string
    const next = value[i + 1]
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      source += escapeRegex(next)
      i++
    } else if (c === '*') source += '.*'
    else if (c === '?') source += '.'
    else source += escapeRegex(c)
  }
  return new RegExp(`${start}${source}${end}`, 'is')
}

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** Recursive descent: or < and < not < (...) | x of y | identifier. */
class ConditionParser {
  private readonly tokens: string[]
  private at = 0

  constructor(
    condition: string,
    private readonly names: string[],
    private readonly evaluate: (name: string) => boolean,
    private readonly file: string
  ) {
    this.tokens = condition.match(/\(|\)|[^\s()]+/g) ?? []
  }

  parse(): boolean {
    const result = this.or()
    if (this.at !== this.tokens.length) this.fail(`unexpected ${this.tokens[this.at]}`)
    return result
  }

  private or(): boolean {
    let result = this.and()
    while (this.peek() === 'or') {
      this.at++
      const right = this.and()
      result = result || right
    }
    return result
  }

  private and(): boolean {
    let result = this.not()
    while (this.peek() === 'and') {
      this.at++
      const right = this.not()
      result = result && right
    }
    return result
  }

  private not(): boolean {
    if (this.peek() === 'not') {
      this.at++
      return !this.not()
    }
    return this.atom()
  }

  private atom(): boolean {
    const token = this.tokens[this.at++]
    if (token === undefined) return this.fail('condition ends too early')
    if (token === '(') {
      const result = this.or()
      if (this.tokens[this.at++] !== ')') this.fail('missing )')
      return result
    }
    if ((token === '1' || token === 'all') && this.peek() === 'of') {
      this.at++
      const pattern = this.tokens[this.at++] ?? this.fail('x of needs a pattern')
      const selected = this.select(pattern)
      const results = selected.map(this.evaluate)
      return token === '1' ? results.some(Boolean) : results.every(Boolean)
    }
    if (!this.names.includes(token)) this.fail(`unknown identifier ${token}`)
    return this.evaluate(token)
  }

  private select(pattern: string): string[] {
    const all = this.names
    if (pattern === 'them') return all.filter((name) => !name.startsWith('_'))
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`)
    const selected = all.filter((name) => regex.test(name))
    if (selected.length === 0) this.fail(`${pattern} selects no identifier`)
    return selected
  }

  private peek(): string | undefined {
    return this.tokens[this.at]
  }

  private fail(message: string): never {
    throw new Error(`${this.file}: condition: ${message}`)
  }
}

/** A correlation's groups that fire: group key → the events of the window that fired. */
export function correlate(
  rule: CorrelationRule,
  events: { event: SigmaEvent; time: number; rules: string[] }[]
): Map<string, SigmaEvent[]> {
  const { correlation } = rule
  if (correlation.type !== 'event_count' && correlation.type !== 'value_count') {
    throw new Error(`${rule.file}: correlation type ${correlation.type} is not supported`)
  }
  const span = timespan(correlation.timespan, rule.file)
  const groups = new Map<string, { event: SigmaEvent; time: number }[]>()
  for (const item of events) {
    if (!item.rules.some((name) => correlation.rules.includes(name))) continue
    const key = correlation['group-by'].map((field) => fieldText(item.event[field]) ?? '').join('|')
    groups.set(key, [...(groups.get(key) ?? []), item])
  }
  const fired = new Map<string, SigmaEvent[]>()
  for (const [key, list] of groups) {
    const sorted = [...list].sort((a, b) => a.time - b.time)
    for (let start = 0; start < sorted.length; start++) {
      const window = sorted.filter(
        (e) => e.time >= sorted[start]!.time && e.time - sorted[start]!.time <= span
      )
      if (countHolds(correlation.condition, countOf(correlation, window), rule.file)) {
        fired.set(
          key,
          window.map((e) => e.event)
        )
        break
      }
    }
  }
  return fired
}

/** event_count: the events; value_count: the distinct values of `condition.field` among them. */
function countOf(
  correlation: CorrelationRule['correlation'],
  window: { event: SigmaEvent }[]
): number {
  if (correlation.type === 'event_count') return window.length
  const field = correlation.condition.field
  if (typeof field !== 'string') throw new Error('value_count needs condition.field')
  return new Set(window.map(({ event }) => fieldText(event[field]) ?? '')).size
}

function countHolds(
  condition: Record<string, number | string>,
  count: number,
  file: string
): boolean {
  return Object.entries(condition).every(([operator, bound]) => {
    if (operator === 'field') return true
    const value = Number(bound)
    switch (operator) {
      case 'gte':
        return count >= value
      case 'gt':
        return count > value
      case 'lte':
        return count <= value
      case 'lt':
        return count < value
      case 'eq':
        return count === value
      case 'neq':
        return count !== value
      default:
        throw new Error(`${file}: correlation condition ${operator} is not supported`)
    }
  })
}

function timespan(text: string, file: string): number {
  const match = /^(\d+)([smhd])$/.exec(text)
  if (!match) throw new Error(`${file}: timespan ${text} is not <number><s|m|h|d>`)
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's']
  return Number(match[1]) * unit
}
