/**
 * @module test/global-setup
 * Runs once before any test worker starts. Builds the CLI bundle the end-to-end tests run.
 */
import { execFileSync } from 'node:child_process'

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
}
