/**
 * The core is platform-neutral: it runs unchanged in Node, Deno and workerd, so it may import
 * nothing from Node, Deno, hono or @actions, and may not touch process or the file system.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { cycles, folderGraph, importGraph, sourceFiles } from './import-graph.ts'

const FORBIDDEN_IMPORT =
  /from\s+['"](node:[^'"]+|fs|path|os|child_process|https?|hono[^'"]*|@actions\/[^'"]+|jsr:[^'"]+|npm:[^'"]+)['"]/
const FORBIDDEN_GLOBAL = /\b(process\.|Deno\.|require\(|__dirname|Buffer\.)/

describe('core/ boundaries', () => {
  const files = sourceFiles('core')

  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(20)
  })

  it.each(files)('%s imports nothing platform-specific', (file) => {
    const text = readFileSync(file, 'utf8')
    expect(text).not.toMatch(FORBIDDEN_IMPORT)
    // Comments may mention them; code may not use them.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
    expect(code).not.toMatch(FORBIDDEN_GLOBAL)
  })

  // An edge bundle of core stays small: zod's classic build carries every locale, and the
  // freemail list is only for requests that flag freemail (analysis/freemail.ts imports it).
  it('imports zod/mini rather than classic zod, and the freemail list only on demand', () => {
    const eager = files.filter((file) =>
      /from\s+['"](zod|zod\/v4|email-providers[^'"]*)['"]/.test(readFileSync(file, 'utf8'))
    )
    expect(eager).toEqual([])
  })

  it('the check catches a forbidden import', () => {
    expect("import { readFile } from 'node:fs/promises'").toMatch(FORBIDDEN_IMPORT)
    expect("import { Hono } from 'hono'").toMatch(FORBIDDEN_IMPORT)
    expect("import * as core from '@actions/core'").toMatch(FORBIDDEN_IMPORT)
    expect('const x = process.env.X').toMatch(FORBIDDEN_GLOBAL)
  })
})

describe('core/ layering', () => {
  const files = importGraph('core')

  it('has no import cycle between files', () => {
    expect(cycles(files)).toEqual([])
  })

  it('has no import cycle between folders', () => {
    expect(cycles(folderGraph(files))).toEqual([])
  })

  it('the checks find a cycle when there is one', () => {
    const planted = new Map([
      ['core/a/x.ts', ['core/b/y.ts']],
      ['core/b/y.ts', ['core/a/z.ts']],
      ['core/a/z.ts', []],
    ])
    expect(cycles(planted)).toEqual([])
    expect(cycles(folderGraph(planted))).toEqual([['core/a', 'core/b']])
  })

  it('nothing in core imports its public door, core/index.ts', () => {
    for (const [file, targets] of files) {
      expect(targets, file).not.toContain('core/index.ts')
    }
  })
})

describe('adapters use only the public API', () => {
  const adapters = ['cli', 'action', 'worker'].flatMap((dir) => [...importGraph(dir)])

  it.each(adapters)('%s imports core only through core/index.ts', (_file, targets) => {
    for (const target of targets) {
      if (target.startsWith('core/')) expect(target).toBe('core/index.ts')
    }
  })
})
