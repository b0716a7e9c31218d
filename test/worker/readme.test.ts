/**
 * The README's API quick start works as written: `npm run serve` (Deno) and the workerd
 * launcher behind `npm run serve:workerd`, then the README's curl line, word for word but for
 * the port, against each. The bundle is the one the test setup built, so the launcher runs
 * without `npm run serve:workerd`'s build step.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'

const readme = readFileSync('README.md', 'utf8')
const block = /<!-- api-quickstart[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
const [serveLine = '', curlLine = ''] = block.trim().split('\n')

const started: ChildProcess[] = []
afterAll(() => {
  for (const child of started) child.kill('SIGTERM')
})

/** Start a launcher on an ephemeral port; resolves to the port it announces. */
function launch(script: string, announced: RegExp): Promise<number> {
  const child = spawn(process.execPath, [script], {
    // The launchers trust the development key only without JWT_* settings: none are passed.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' },
  })
  started.push(child)
  const output: string[] = []
  return new Promise((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line)
        const port = announced.exec(line)?.[1]
        if (port && port !== '0') resolve(Number(port))
      })
    }
    child.once('exit', (code) =>
      reject(new Error(`${script} exited ${code}:\n${output.join('\n')}`))
    )
  })
}

describe('the README quick start', () => {
  it('names npm run serve and one curl command', () => {
    expect(serveLine).toMatch(/^npm run serve\s/)
    expect(curlLine).toMatch(/^curl .*localhost:8787\/api\/v1\/bec\/forwarding-audit/)
  })

  it.each([
    ['Deno (npm run serve)', 'scripts/serve-deno.mjs', /Listening on http:\/\/[\d.]+:(\d+)/],
    [
      'workerd (npm run serve:workerd)',
      'scripts/serve-workerd.mjs',
      /on workerd at http:\/\/[\d.]+:(\d+)/,
    ],
  ])('its curl line audits the demo tenant on %s', async (_runtime, script, announced) => {
    const port = await launch(script, announced)
    const output = execFileSync(
      'bash',
      ['-c', curlLine.replace('localhost:8787', `localhost:${port}`)],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      }
    )
    const reply = JSON.parse(output)
    expect(reply.meta).toMatchObject({ tenant: 'demo', credits_used: 5 })
    expect(reply.meta.total_findings).toBeGreaterThan(5)
  })
})
