/**
 * @module action/snapshot-command
 * `command: snapshot`: the live tenant in the offline snapshot format, for the drift workflow
 * that commits it. When the tenant has not changed since the snapshot already at `output`, the
 * file is left as it is (its capture time included), so an unchanged tenant makes no diff and
 * no pull request.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as actions from '@actions/core'
import {
  connectLive,
  exportSnapshot,
  liveContext,
  sameTenantSnapshot,
  UsageError,
} from '../core/index.ts'
import { type ActionConfig, type Inputs, inputFor } from './config.ts'
import { actionLiveSettings } from './credentials.ts'
import { defaultPath, writeOutputFile } from './files.ts'
import { setOutputs } from './outputs.ts'
import { requestInput } from './request-input.ts'
import type { RunnerEnv } from './runner.ts'

/** Export the tenant; sets the outputs (only snapshot-path is not empty). */
export async function snapshotCommand(
  config: ActionConfig,
  inputs: Inputs,
  env: RunnerEnv
): Promise<void> {
  const input = await requestInput(config)
  const live = actionLiveSettings(inputs, env.oidc)
  if (!live) {
    throw new UsageError(
      'command snapshot reads the live tenant: set tenant-id and client-id, with permissions: id-token: write for GitHub OIDC (or client-certificate or client-secret)',
      'tenant-id'
    )
  }
  const result = await exportSnapshot(connectLive(live, liveContext()), input, {
    parse: { fieldName: inputFor },
    onProgress: ({ done, total }) => {
      if (done % 1000 === 0 || done === total) actions.info(`read ${done}/${total} mailboxes`)
    },
  })
  const path = resolve(config.output ?? defaultPath(env.runnerTemp, 'snapshot.json'))
  const previous = await readFile(path).catch(() => undefined)
  if (previous && sameTenantSnapshot(previous, result.snapshot)) {
    actions.info(`the tenant has not changed since ${path} was taken: left as it is`)
  } else {
    await writeOutputFile('output', path, `${JSON.stringify(result.snapshot, null, 2)}\n`)
    const count = result.snapshot.mailboxes.length
    actions.info(`wrote a snapshot of ${count} mailbox(es) to ${path}`)
  }
  for (const address of result.missing) actions.warning(`no mailbox ${address} in the tenant`)
  if (!result.complete) {
    actions.warning('the snapshot is incomplete: mailboxes it could not read are marked unreadable')
  }
  setOutputs({
    'total-findings': '',
    critical: '',
    high: '',
    medium: '',
    low: '',
    'new-findings': '',
    failed: 'false',
    'report-path': '',
    'sarif-path': '',
    'snapshot-path': path,
  })
}
