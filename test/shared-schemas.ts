/**
 * @module test/shared-schemas
 * Third-party JSON schemas (SARIF, Sigma) stay out of the repository: tests read them from
 * `../shared/schemas/` beside the clone, where every developer and CI have them. When a schema is
 * absent, the tests that need it are registered as one skipped test whose name says which file is
 * missing and where it is expected, so a run can never pass silently without them.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'vitest'

/** Where the shared schemas live: `../shared/schemas/` from the repository root. */
export const SHARED_SCHEMAS_DIR = join(process.cwd(), '..', 'shared', 'schemas')

/** The path as a reader finds it from the repository root (`../shared/schemas/<file>`). */
const shown = (file: string) => `../shared/schemas/${file}`

/**
 * Register schema tests for `file` (relative to `../shared/schemas/`, such as
 * `sarif-schema-2.1.0.json` or `sigma/<name>.json`). `register` receives a freshly parsed copy of
 * the schema, which it may patch, and declares its tests; when the file is absent, one skipped
 * test named `<title>: ../shared/schemas/<file> is absent, so …` is registered instead.
 */
export function withSharedSchema(
  file: string,
  title: string,
  register: (schema: Record<string, unknown>) => void
): void {
  const path = join(SHARED_SCHEMAS_DIR, file)
  if (!existsSync(path)) {
    const absent =
      `${title}: ${shown(file)} is absent, so these checks did not run ` +
      `(expected at ${path}; CI has ../shared beside the clone)`
    it.skip(absent, () => {})
    return
  }
  register(JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
}
