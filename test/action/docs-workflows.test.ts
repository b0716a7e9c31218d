/**
 * docs/action.md's copy-paste workflows run as written: the scheduled audit (GitHub OIDC, SARIF
 * upload) and the pull-request gate (with its git step) are parsed from the document, and their
 * action steps run the committed bundle with the inputs the workflow sets. The only additions
 * are the simulator's endpoints, since it is not at Microsoft's addresses. The other workflows
 * in the document are checked to use only inputs and outputs the action has.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { TenantSnapshot } from '../../core/index.ts'
import { smtpTarget, tenant } from '../core/tenant-builder.ts'
import { type Simulator, startSimulator, testCaFromEnv } from '../simulator/index.ts'
import { startOidcServer } from './oidc-server.ts'
import { parseOutputs, type Runner, runAction } from './run-action.ts'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Workflow {
  permissions: Record<string, string>
  jobs: Record<string, { steps: Step[] }>
}

/** The YAML blocks of docs/action.md by the workflow path on their first line. */
function documentedWorkflows(): Map<string, { text: string; workflow: Workflow }> {
  const doc = readFileSync('docs/action.md', 'utf8')
  const blocks = new Map<string, { text: string; workflow: Workflow }>()
  for (const match of doc.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    const text = match[1] as string
    const path = /^# (\.github\/workflows\/\S+\.yml)\n/.exec(text)?.[1]
    if (path) blocks.set(path, { text, workflow: parse(text) as Workflow })
  }
  return blocks
}

const workflows = documentedWorkflows()
const ACTION_STEP = /^your-org\/forwarding-audit@v1$/
const actionSteps = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) =>
    job.steps.filter((s) => ACTION_STEP.test(s.uses ?? ''))
  )

/** `${{ expr }}` replaced from `values`; an expression the test does not know fails the test. */
function evaluate(value: unknown, values: Record<string, string>): string {
  return String(value).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    if (!(expr in values)) throw new Error(`the test does not know the expression ${expr}`)
    return values[expr] as string
  })
}

/** A step's `with:` as the runner passes it: every value a string, expressions evaluated. */
function inputsOf(step: Step, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.with ?? {}).map(([name, value]) => [name, evaluate(value, values)])
  )
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const demo: TenantSnapshot = JSON.parse(readFileSync('demo/contoso-tenant.json', 'utf8'))
const { auditRecords: _auditRecords, ...liveTenant } = demo

const simulatorEndpoints = (sim: Simulator) => ({
  'authority-host': sim.authorityHost,
  'graph-endpoint': sim.graphEndpoint,
  'exchange-endpoint': sim.exchangeEndpoint,
})

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync(
    'git',
    [
      '-c',
      'user.name=Test',
      '-c',
      'user.email=test@example.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, encoding: 'utf8' }
  )
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
  return result.stdout.trim()
}

describe('docs/action.md', () => {
  it('has the four workflows it promises', () => {
    expect([...workflows.keys()].sort()).toEqual([
      '.github/workflows/forwarding-audit-drift.yml',
      '.github/workflows/forwarding-audit-pr.yml',
      '.github/workflows/forwarding-audit-tenants.yml',
      '.github/workflows/forwarding-audit.yml',
    ])
  })

  it('every workflow uses only inputs and outputs the action declares', () => {
    const action = parse(readFileSync('action.yml', 'utf8'))
    for (const [path, { text, workflow }] of workflows) {
      for (const step of actionSteps(workflow)) {
        for (const input of Object.keys(step.with ?? {})) {
          expect(Object.keys(action.inputs), `${path}: input ${input}`).toContain(input)
        }
      }
      const ids = new Set(actionSteps(workflow).map((s) => s.id))
      for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ids.has(id)) expect(Object.keys(action.outputs), `${path}: ${output}`).toContain(output)
      }
    }
  })

  it('the scheduled audit runs as written: OIDC sign-in, a failed job on findings, SARIF for the upload step', async () => {
    const { text, workflow } = workflows.get('.github/workflows/forwarding-audit.yml')!
    expect(workflow.permissions).toMatchObject({ 'id-token': 'write', 'security-events': 'write' })
    const oidc = await startOidcServer({
      subject: 'repo:contoso/tenant-config:ref:refs/heads/main',
    })
    cleanups.push(() => oidc.close())
    const sim = await startSimulator({
      tenant: liveTenant as TenantSnapshot,
      ca: testCaFromEnv(),
      app: { federatedIssuer: oidc.issuer('repo:contoso/tenant-config:ref:refs/heads/main') },
    })
    cleanups.push(() => sim.close())

    const runner = workspaceRunner()
    runner.file('.github/workflows/forwarding-audit.yml', text)
    runner.file(
      '.github/forwarding-audit/allowlist.json',
      readFileSync('demo/allowlist.json', 'utf8')
    )
    const steps = workflow.jobs.audit!.steps
    const [step] = actionSteps(workflow)
    const inputs = inputsOf(step!, {
      'vars.AZURE_TENANT_ID': sim.tenantId,
      'vars.AZURE_CLIENT_ID': sim.clientId,
    })
    const run = await runAction(runner, {
      inputs: { ...inputs, ...simulatorEndpoints(sim) },
      event: 'schedule',
      env: {
        ...oidc.env,
        GITHUB_WORKFLOW_REF:
          'contoso/tenant-config/.github/workflows/forwarding-audit.yml@refs/heads/main',
      },
    })
    expect(run.status, run.stdout).toBe(1)
    expect(oidc.audiences).toContain('api://AzureADTokenExchange')
    expect(Number(run.outputs.critical) + Number(run.outputs.high)).toBeGreaterThan(0)
    expect(run.summary).toContain('**Failed:**')

    // The upload step runs after the failed audit, on the file the audit wrote.
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!
    expect(upload.if).toMatch(/!cancelled\(\)/)
    const values = { [`steps.${step!.id}.outputs.sarif-path`]: run.outputs['sarif-path']! }
    const sarifFile = evaluate(upload.with?.sarif_file, values)
    expect(existsSync(sarifFile)).toBe(true)
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'))
    const line =
      text.split('\n').findIndex((l) => l.includes('uses: your-org/forwarding-audit@v1')) + 1
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: '.github/workflows/forwarding-audit.yml' },
      region: { startLine: line },
    })
  })

  describe('the pull-request gate runs as written', () => {
    const committed = () =>
      tenant()
        .mailbox('alice@contoso.com')
        .inboxRule('alice@contoso.com', {
          Name: 'Partner copy',
          ForwardTo: [smtpTarget('partner@fabrikam.com')],
        })
        .mailbox('bob@contoso.com')
    const proposed = () =>
      committed().inboxRule('bob@contoso.com', {
        Name: 'Sync',
        ForwardTo: [smtpTarget('bob@proton.me')],
      })
    const text = (builder: ReturnType<typeof committed>) =>
      `${JSON.stringify(builder.build(), null, 2)}\n`

    /** origin with main (the base) and a pull-request branch; the workspace is its shallow checkout. */
    function repository(base: string | undefined, head: string) {
      const root = mkdtempSync(join(tmpdir(), 'fa-pr-'))
      const origin = join(root, 'origin.git')
      const author = join(root, 'author')
      git(root, 'init', '--bare', origin)
      git(root, 'clone', origin, author)
      writeFileSync(join(author, 'README.md'), 'tenant configuration\n')
      git(author, 'add', 'README.md')
      git(author, 'commit', '-m', 'start')
      if (base !== undefined) {
        spawnSync('mkdir', ['-p', join(author, 'tenant')])
        writeFileSync(join(author, 'tenant', 'snapshot.json'), base)
        writeFileSync(join(author, 'tenant', 'allowlist.json'), '{ "version": 1, "entries": [] }\n')
        git(author, 'add', 'tenant')
        git(author, 'commit', '-m', 'snapshot')
      }
      git(author, 'push', 'origin', 'HEAD:main')
      const baseSha = git(author, 'rev-parse', 'HEAD')
      spawnSync('mkdir', ['-p', join(author, 'tenant')])
      writeFileSync(join(author, 'tenant', 'snapshot.json'), head)
      writeFileSync(join(author, 'tenant', 'allowlist.json'), '{ "version": 1, "entries": [] }\n')
      git(author, 'add', 'tenant')
      git(author, 'commit', '--allow-empty', '-m', 'proposed change')
      git(author, 'push', 'origin', 'HEAD:refs/heads/change')
      const runner = workspaceRunner()
      git(
        runner.temp,
        'clone',
        '--depth=1',
        '--branch',
        'change',
        `file://${origin}`,
        runner.workspace
      )
      return { runner, baseSha }
    }

    async function gate(base: string | undefined, head: string) {
      const { text: workflowText, workflow } = workflows.get(
        '.github/workflows/forwarding-audit-pr.yml'
      )!
      expect(workflow.permissions).toEqual({ contents: 'read' })
      expect(workflowText).not.toContain('id-token')
      const { runner, baseSha } = repository(base, head)
      const steps = workflow.jobs.gate!.steps
      const baseStep = steps.find((s) => s.id === 'base')!
      const github = { 'github.event.pull_request.base.sha': baseSha }
      const stepOutput = join(runner.temp, 'base-step-output')
      writeFileSync(stepOutput, '')
      const env = Object.fromEntries(
        Object.entries(baseStep.env ?? {}).map(([name, value]) => [name, evaluate(value, github)])
      )
      const shell = spawnSync('bash', ['-e', '-c', baseStep.run!], {
        cwd: runner.workspace,
        encoding: 'utf8',
        env: { ...process.env, ...env, RUNNER_TEMP: runner.temp, GITHUB_OUTPUT: stepOutput },
      })
      expect(shell.status, shell.stderr).toBe(0)
      const baseOutputs = parseOutputs(readFileSync(stepOutput, 'utf8'))
      const [step] = actionSteps(workflow)
      const inputs = inputsOf(step!, { 'steps.base.outputs.path': baseOutputs.path ?? '' })
      return runAction(runner, { inputs, event: 'pull_request' })
    }

    it('fails on the forward the pull request adds, annotated on its line', async () => {
      const head = text(proposed())
      const run = await gate(text(committed()), head)
      expect(run.status, run.stdout).toBe(1)
      expect(run.outputs['new-findings']).toBe('1')
      const annotation = run.commands.find((c) => c.command === 'error' && c.properties.file)
      expect(annotation?.properties.file).toBe('tenant/snapshot.json')
      const line = head.split('\n').findIndex((l) => l.includes('"Name": "Sync"')) + 1
      expect(annotation?.properties.line).toBe(String(line))
    })

    it('passes a pull request that adds nothing, though the tenant has a high finding', async () => {
      const run = await gate(text(committed()), text(committed()))
      expect(run.status, run.stdout).toBe(0)
      expect(run.outputs).toMatchObject({ 'new-findings': '0', failed: 'false' })
    })

    it('gates on every finding when the base branch has no snapshot yet', async () => {
      const run = await gate(undefined, text(proposed()))
      expect(run.status, run.stdout).toBe(1)
      expect(run.outputs['new-findings']).toBe(run.outputs['total-findings'])
    })
  })
})

function workspaceRunner(): Runner {
  const root = mkdtempSync(join(tmpdir(), 'fa-docs-'))
  const workspace = join(root, 'workspace')
  const temp = join(root, 'runner-temp')
  spawnSync('mkdir', ['-p', temp])
  return {
    workspace,
    temp,
    file(path, text) {
      const full = join(workspace, path)
      spawnSync('mkdir', ['-p', join(full, '..')])
      writeFileSync(full, text)
      return path
    },
  }
}
