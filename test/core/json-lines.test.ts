/**
 * The JSON line scanner behind the snapshot locator: the line and path of every object and key,
 * however the text is laid out and whatever its strings hold.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type JsonPath, visitJsonLines } from '../../core/lib/json-lines.ts'

function seen(text: string, maxDepth = 10) {
  const objects: [string, number][] = []
  const keys: [string, number][] = []
  const show = (path: JsonPath) => JSON.stringify(path)
  visitJsonLines(
    text,
    {
      object: (path, line) => objects.push([show(path), line]),
      key: (path, line) => keys.push([show(path), line]),
    },
    maxDepth
  )
  return { objects, keys }
}

describe('visitJsonLines', () => {
  it('reports objects and keys with their paths and 1-based lines', () => {
    const text = '{\n  "a": [\n    {"b": 1},\n    2,\n    {"c": {"d": null}}\n  ]\n}'
    expect(seen(text)).toEqual({
      objects: [
        ['[]', 1],
        ['["a",0]', 3],
        ['["a",2]', 5],
        ['["a",2,"c"]', 5],
      ],
      keys: [
        ['["a"]', 2],
        ['["a",0,"b"]', 3],
        ['["a",2,"c"]', 5],
        ['["a",2,"c","d"]', 5],
      ],
    })
  })

  it('is not fooled by brackets, quotes, commas and backslashes inside strings', () => {
    const text = '{"x": "{[\\"]},\\\\", "k\\"ey": [ "a,b", {"y": "\\\\"}, [1, {"z": 0}] ]}'
    expect(seen(text).keys.map(([path]) => path)).toEqual([
      '["x"]',
      '["k\\"ey"]',
      '["k\\"ey",1,"y"]',
      '["k\\"ey",2,1,"z"]',
    ])
  })

  it('stops reporting below maxDepth', () => {
    const { objects, keys } = seen('{"a": {"b": {"c": {}}}}', 2)
    expect(objects.map(([p]) => p)).toEqual(['[]', '["a"]', '["a","b"]'])
    expect(keys.map(([p]) => p)).toEqual(['["a"]', '["a","b"]'])
  })

  it('finds every key JSON.parse finds, on the line JSON.stringify put it, for any document', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify({ root: value }, null, pretty ? 2 : undefined)
        const expected: string[] = []
        const walk = (node: unknown, path: (string | number)[]) => {
          if (Array.isArray(node)) {
            node.forEach((item, i) => {
              walk(item, [...path, i])
            })
          } else if (node && typeof node === 'object') {
            for (const [key, child] of Object.entries(node)) {
              expected.push(JSON.stringify([...path, key]))
              walk(child, [...path, key])
            }
          }
        }
        walk(JSON.parse(text), [])
        const { keys } = seen(text, 100)
        // Duplicate keys collapse in JSON.parse; generated documents have none.
        expect(keys.map(([path]) => path)).toEqual(expected)
        const lines = text.split('\n')
        for (const [path, line] of keys) {
          const key = (JSON.parse(path) as unknown[]).at(-1) as string
          expect(lines[line - 1]).toContain(JSON.stringify(key))
        }
      })
    )
  })
})
