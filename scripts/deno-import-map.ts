/**
 * deno.json's import map, generated from package.json so Deno and npm cannot resolve different
 * versions of core's dependencies. Each runtime dependency `name: range` becomes
 * `name` → `npm:name@range` and `name/` → `npm:/name@range/` (its subpaths, such as
 * `email-providers/all.json`). devDependencies are left out: deployments never load them.
 * test/deno/import-map.test.ts fails when deno.json is out of date and rewrites it on request.
 */

export interface PackageJson {
  dependencies?: Record<string, string>
}

// What an npm: specifier can carry: an exact version or a ^/~ range, optionally a prerelease.
// Ranges with spaces or || (">=1 <2") have no npm: spelling, so they are refused, not mangled.
const SIMPLE_RANGE = /^[~^]?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/

/** The import map for package.json's `dependencies`, sorted by package name. */
export function denoImports(pkg: PackageJson): Record<string, string> {
  const imports: Record<string, string> = {}
  const dependencies = Object.entries(pkg.dependencies ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))
  for (const [name, range] of dependencies) {
    if (!SIMPLE_RANGE.test(range)) {
      throw new Error(
        `package.json: dependency ${name}@${range} cannot be written as an npm: specifier for deno.json; use an exact version or a ^ or ~ range`
      )
    }
    imports[name] = `npm:${name}@${range}`
    imports[`${name}/`] = `npm:/${name}@${range}/`
  }
  return imports
}

/** deno.json's text with its import map regenerated and every other setting kept. */
export function withDenoImports(denoJson: string, pkg: PackageJson): string {
  const config = JSON.parse(denoJson) as Record<string, unknown>
  return `${JSON.stringify({ ...config, imports: denoImports(pkg) }, null, 2)}\n`
}

/** The package a bare specifier names: `zod` → zod, `@scope/pkg/sub` → @scope/pkg. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/')
}
