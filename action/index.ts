/**
 * @module action/index
 * What action.yml runs (bundled to action/dist/index.js by scripts/build-action.mjs).
 */
import { run } from './main.ts'

await run()
