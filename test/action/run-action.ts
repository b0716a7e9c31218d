/**
 * @module test/action/run-action
 * Runs the committed bundle, `node action/dist/index.js`, the way a runner does: inputs as
 * `INPUT_<NAME>` variables (dashes kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * GITHUB_WORKSPACE as the working directory, RUNNER_TEMP, and the event payload at
 * GITHUB_EVENT_PATH. Nothing of this process's GitHub or Azure environment leaks in.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const BUNDLE = resolve('action/dist/index.js')

/** A fresh workspace (the checked-out repository) and runner temp folder. */
export interface Runner {
  workspace: string
  temp: string
  /** Write a file into the workspace; returns its repo-relative path. */
  file(path: string, text: string): string
}

export function newRunner(): Runner {
  const root = mkdtempSync(join(tmpdir(), 'fa-action-'))
  const workspace = join(root, 'workspace')
  const temp = join(root, 'runner-temp')
  mkdirSync(workspace)
  mkdirSync(temp)
  return {
    workspace,
    temp,
    file(path, text) {
      const full = join(workspace, path)
      mkdirSync(join(full, '..'), { recursive: true })
      writeFileSync(full, text)
      return path
    },
  }
}

/** A workflow command the step printed, unescaped as the runner reads it. */
export interface Command {
  command: string
  properties: Record<string, string>
  message: string
}

export interface ActionRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  commands: Command[]
}

export interface RunOptions {
  inputs: Record<string, string>
  /** `pull_request` (the default when `pullRequest`), `schedule`, `workflow_dispatch` ... */
  event?: string
  env?: Record<string, string>
  /** Extra `node` arguments before the bundle (a preload). */
  nodeArgs?: string[]
}

/** Run the action once in `runner`. */
export function runAction(runner: Runner, options: RunOptions): Promise<ActionRun> {
  const id = Math.random().toString(36).slice(2)
  const outputFile = join(runner.temp, `output-${id}`)
  const summaryFile = join(runner.temp, `summary-${id}`)
  const eventFile = join(runner.temp, `event-${id}.json`)
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const event = options.event ?? 'workflow_dispatch'
  writeFileSync(eventFile, JSON.stringify(eventPayload(event)))
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|AZURE_)/.test(key)
    )
  )
  const env: Record<string, string | undefined> = {
    ...inherited,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: runner.workspace,
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: 'contoso/tenant-config',
    RUNNER_TEMP: runner.temp,
    ...Object.fromEntries(
      Object.entries(options.inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value,
      ])
    ),
    ...options.env,
  }
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BUNDLE], {
      cwd: runner.workspace,
      env,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', fail)
    child.on('close', (status) =>
      done({
        status,
        stdout,
        stderr,
        outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        commands: parseCommands(stdout),
      })
    )
  })
}

function eventPayload(event: string): object {
  if (!event.startsWith('pull_request'))
    return { repository: { full_name: 'contoso/tenant-config' } }
  return {
    action: 'synchronize',
    number: 42,
    pull_request: {
      number: 42,
      head: { ref: 'change-forwarding', sha: 'a'.repeat(40) },
      base: { ref: 'main', sha: 'b'.repeat(40) },
    },
    repository: { full_name: 'contoso/tenant-config' },
  }
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<delimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const block = /^([^=<]+)<<(.+)$/.exec(line)
    if (block) {
      const end = lines.indexOf(block[2] as string, i + 1)
      outputs[block[1] as string] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}

const unescapeData = (text: string) =>
  text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%')
const unescapeProperty = (text: string) =>
  unescapeData(text.replaceAll('%3A', ':').replaceAll('%2C', ','))

/** `::command key=value,...::message` lines, as the runner parses them. */
export function parseCommands(stdout: string): Command[] {
  const commands: Command[] = []
  for (const line of stdout.split('\n')) {
    const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!match) continue
    const properties: Record<string, string> = {}
    for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
      const at = pair.indexOf('=')
      properties[pair.slice(0, at)] = unescapeProperty(pair.slice(at + 1))
    }
    commands.push({
      command: match[1] as string,
      properties,
      message: unescapeData(match[3] ?? ''),
    })
  }
  return commands
}
