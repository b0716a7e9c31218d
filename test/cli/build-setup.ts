/**
 * @module test/cli/build-setup
 * Global setup of the `product` project: builds the CLI bundle (dist/cli.mjs) once, before any
 * worker starts, so the end-to-end tests run the command exactly as a user does.
 */
import { execFileSync } from 'node:child_process'

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' })
}
