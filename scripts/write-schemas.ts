/**
 * Writes the generated parts of docs/ (`npm run docs:generate`).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { renderSchemas, withRiskTable } from './schemas.ts'

for (const [path, text] of Object.entries(renderSchemas())) {
  writeFileSync(path, text)
  console.error(`wrote ${path}`)
}
const riskDoc = 'docs/risk-scoring.md'
writeFileSync(riskDoc, withRiskTable(readFileSync(riskDoc, 'utf8')))
console.error(`wrote the risk table in ${riskDoc}`)
