/**
 * CI fails when the committed action bundle is not what the sources build: a workflow runs
 * action/dist/index.js as committed, so a stale bundle would run old code.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ACTION_BUNDLE, bundleAction } from '../../scripts/build-action.mjs'

describe('action/dist/index.js', () => {
  it('is byte for byte what the current sources build', async () => {
    const built = await bundleAction()
    const committed = readFileSync(ACTION_BUNDLE, 'utf8')
    expect(
      committed === built,
      `${ACTION_BUNDLE} is stale: run \`npm run build:action\` and commit it with the source`
    ).toBe(true)
  })
})
