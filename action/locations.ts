/**
 * @module action/locations
 * Where in the repository a finding is shown (code scanning alerts, pull-request annotations).
 * From a snapshot: the snapshot file's line of the rule or mailbox (core's snapshotLocator).
 * From a live tenant there is no such file, so every result points at the workflow that ran the
 * audit (GITHUB_WORKFLOW_REF), on the line of this action's step: a committed file, so
 * upload-sarif accepts it, and the place a reader goes to change the audit.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type Finding, snapshotLocator, type TenantSnapshot } from '../core/index.ts'
import { repoPath } from './files.ts'

/** A repo-relative file and each finding's line in it. */
export interface Place {
  uri: string
  line(finding: Finding): number | undefined
}

/** The snapshot file's place, or undefined when it lies outside the workspace. */
export function snapshotPlace(
  workspace: string,
  path: string,
  bytes: Uint8Array,
  snapshot: TenantSnapshot
): Place | undefined {
  const uri = repoPath(workspace, path)
  if (uri === undefined) return undefined
  const locator = snapshotLocator(bytes, snapshot)
  return { uri, line: (finding) => locator.line(finding) }
}

/**
 * The running workflow's place: `.github/workflows/x.yml` from GITHUB_WORKFLOW_REF
 * (`owner/repo/.github/workflows/x.yml@refs/heads/main`), at the line that uses this action.
 */
export async function workflowPlace(
  workspace: string,
  workflowRef: string | undefined
): Promise<Place | undefined> {
  const match = /^[^/]+\/[^/]+\/(.+?)@/.exec(workflowRef ?? '')
  if (!match?.[1]) return undefined
  const uri = match[1]
  const text = await readFile(resolve(workspace, uri), 'utf8').catch(() => undefined)
  const index = text?.split('\n').findIndex((line) => /uses:\s*\S*forwarding-audit/.test(line))
  const line = index === undefined || index < 0 ? 1 : index + 1
  return { uri, line: () => line }
}
