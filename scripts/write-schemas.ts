/**
 * Writes the JSON Schemas in docs/ from the zod schemas they document, so the docs cannot
 * drift from what the code accepts. `npm run docs:schema`; a test checks they are current.
 */
import { writeFileSync } from 'node:fs'
import { renderSchemas } from './schemas.ts'

for (const [path, text] of Object.entries(renderSchemas())) {
  writeFileSync(path, text)
  console.error(`wrote ${path}`)
}
