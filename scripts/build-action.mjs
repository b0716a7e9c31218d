// Bundles the GitHub Action into action/dist/index.js, the file action.yml runs. The bundle is
// committed (a JavaScript action runs from the repository as it is, without npm install), and
// test/action/bundle.test.ts rebuilds it in memory and fails when the committed one differs:
// run `npm run build:action` and commit the result. esbuild's output is deterministic for the
// same sources and versions, so the comparison is byte for byte.
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

export const ACTION_BUNDLE = 'action/dist/index.js'

/** The bundle's text, built from the current sources. */
export async function bundleAction() {
  const result = await build({
    entryPoints: ['action/index.ts'],
    bundle: true,
    write: false,
    outfile: ACTION_BUNDLE,
    platform: 'node',
    // action.yml says node24; node20 syntax keeps the bundle runnable by today's local Node too.
    target: 'node20',
    format: 'esm',
    // @actions/core's HTTP client (undici, tunnel) calls require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    legalComments: 'eof',
    logLevel: 'warning',
  })
  return result.outputFiles[0].text
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const text = await bundleAction()
  writeFileSync(ACTION_BUNDLE, text)
  console.error(`wrote ${ACTION_BUNDLE} (${Math.round(text.length / 1024)} KiB)`)
}
