/**
 * @module action/main
 * The action's entry point (actions/typescript-action's shape): `run()` reads every input and
 * what the runner says once, here and nowhere else, checks them, runs one command, and turns
 * any failure into one error line and an exit status: 1 only when findings fail the gate, 2
 * for an input to fix, 3 when the audit could not run (core's error-status table).
 */
import * as actions from '@actions/core'
import { errorStatus, toAuditError } from '../core/index.ts'
import { auditCommand } from './audit-command.ts'
import { INPUT_NAMES, type Inputs, parseConfig } from './config.ts'
import { federatedHint, maskSecrets } from './credentials.ts'
import { runnerEnv } from './runner.ts'
import { snapshotCommand } from './snapshot-command.ts'

/** Run the action; never throws. */
export async function run(): Promise<void> {
  try {
    const inputs = Object.fromEntries(
      INPUT_NAMES.map((name) => [name, actions.getInput(name, { trimWhitespace: false })])
    ) as Inputs
    maskSecrets(inputs)
    const env = runnerEnv(process.env, process.cwd())
    const config = parseConfig(inputs)
    if (config.command === 'snapshot') await snapshotCommand(config, inputs, env)
    else await auditCommand(config, inputs, env)
  } catch (thrown) {
    const error = toAuditError(thrown)
    const hint = error.code === 'AUTH_FAILED' ? federatedHint() : undefined
    actions.setFailed(hint ? `${error.message}; ${hint}` : error.message)
    if (actions.isDebug() && error.cause instanceof Error && error.cause.stack) {
      actions.debug(error.cause.stack)
    }
    process.exitCode = errorStatus(error.code).exit
  }
}
