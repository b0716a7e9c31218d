/**
 * deno.json's import map is generated from package.json (scripts/deno-import-map.ts), so Deno
 * and npm load the same versions of core's dependencies. After changing package.json's
 * dependencies, regenerate it with UPDATE_DENO_JSON=1 npx vitest run test/deno/import-map.test.ts.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  denoImports,
  type PackageJson,
  packageOf,
  withDenoImports,
} from '../../scripts/deno-import-map.ts'

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Required<PackageJson>

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

// import/export ... from 'x', import 'x' and import('x'), where x is not a relative path.
const BARE_IMPORT =
  /^(?:import|export)\s(?:[^'"]*?\sfrom\s*)?['"]([^'"./][^'"]*)['"]|\bimport\(\s*['"]([^'"./][^'"]*)['"]/gm
const coreImports = [
  ...new Set(
    sourceFiles('core').flatMap((file) => {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '')
      return [...code.matchAll(BARE_IMPORT)].map((match) => (match[1] ?? match[2]) as string)
    })
  ),
].sort()

describe('deno.json', () => {
  it('maps exactly the dependencies in package.json, at the same ranges', () => {
    if (process.env.UPDATE_DENO_JSON) {
      writeFileSync('deno.json', withDenoImports(readFileSync('deno.json', 'utf8'), pkg))
    }
    const { imports } = JSON.parse(readFileSync('deno.json', 'utf8'))
    expect(
      imports,
      'deno.json is out of date with package.json; run UPDATE_DENO_JSON=1 npx vitest run test/deno/import-map.test.ts'
    ).toEqual(denoImports(pkg))
  })

  it('core imports packages (or this test lost track of them)', () => {
    expect(coreImports).toContain('zod/mini')
  })

  it.each(coreImports)('core imports %s from a runtime dependency deno.json maps', (specifier) => {
    const name = packageOf(specifier)
    expect(Object.keys(pkg.dependencies), `${name} must be in package.json dependencies`).toContain(
      name
    )
    const imports = denoImports(pkg)
    expect(imports[specifier] ?? imports[`${name}/`]).toBeDefined()
  })
})

describe('generating the import map', () => {
  it('maps each dependency and its subpaths to npm: at its package.json range', () => {
    expect(denoImports({ dependencies: { zod: '^4.6.7', '@scope/pkg': '1.2.3' } })).toEqual({
      '@scope/pkg': 'npm:@scope/pkg@1.2.3',
      '@scope/pkg/': 'npm:/@scope/pkg@1.2.3/',
      zod: 'npm:zod@^4.6.7',
      'zod/': 'npm:/zod@^4.6.7/',
    })
  })

  it.each([['>=1 <2'], ['^1 || ^2'], ['latest'], ['file:../x'], ['github:a/b']])(
    'refuses %s, which an npm: specifier cannot express',
    (range) => {
      expect(() => denoImports({ dependencies: { x: range } })).toThrow('x@')
    }
  )

  it('keeps every other deno.json setting', () => {
    const text = withDenoImports('{"imports":{"old":"npm:old@1"},"lock":false}', {
      dependencies: { zod: '~4.6.7' },
    })
    expect(JSON.parse(text)).toEqual({
      imports: { zod: 'npm:zod@~4.6.7', 'zod/': 'npm:/zod@~4.6.7/' },
      lock: false,
    })
  })

  it.each([
    ['zod', 'zod'],
    ['email-providers/all.json', 'email-providers'],
    ['@microsoft/microsoft-graph-client', '@microsoft/microsoft-graph-client'],
    ['@scope/pkg/sub/path', '@scope/pkg'],
  ])('the package of %s is %s', (specifier, name) => {
    expect(packageOf(specifier)).toBe(name)
  })
})
