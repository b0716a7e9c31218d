/**
 * @module action/runner
 * What the runner tells a step besides its inputs: the workspace, the temp folder, the event
 * that started the workflow, and whether the job may ask for an OIDC token. Read once, in the
 * entry point, like the inputs.
 */
import { readFileSync } from 'node:fs'
import type { OidcEnv } from './credentials.ts'

export interface RunnerEnv {
  /** The checked-out repository (GITHUB_WORKSPACE), else the working directory. */
  workspace: string
  runnerTemp?: string | undefined
  /** `.github/workflows/x.yml` of the running workflow, as `owner/repo/path@ref`. */
  workflowRef?: string | undefined
  /** True for a pull_request or pull_request_target event: annotate what the change adds. */
  pullRequest: boolean
  stepSummary?: string | undefined
  oidc: OidcEnv
}

/** The runner's environment as the action uses it. */
export function runnerEnv(env: Record<string, string | undefined>, cwd: string): RunnerEnv {
  return {
    workspace: env.GITHUB_WORKSPACE || cwd,
    runnerTemp: env.RUNNER_TEMP,
    workflowRef: env.GITHUB_WORKFLOW_REF,
    pullRequest: isPullRequest(env.GITHUB_EVENT_NAME, env.GITHUB_EVENT_PATH),
    stepSummary: env.GITHUB_STEP_SUMMARY,
    oidc: {
      requestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    },
  }
}

function isPullRequest(eventName: string | undefined, eventPath: string | undefined): boolean {
  if (eventName === 'pull_request' || eventName === 'pull_request_target') return true
  if (eventName || !eventPath) return false
  // No event name (a local run): the payload of a pull_request event has `pull_request`.
  try {
    const payload = JSON.parse(readFileSync(eventPath, 'utf8')) as Record<string, unknown>
    return typeof payload.pull_request === 'object' && payload.pull_request !== null
  } catch {
    return false
  }
}
