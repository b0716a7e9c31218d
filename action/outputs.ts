/**
 * @module action/outputs
 * The step's outputs, all of them on every run (empty where a command has none), so a later
 * step's `steps.<id>.outputs.x` never reads an output that silently was not set.
 */
import * as actions from '@actions/core'

/** Every output action.yml declares. */
export const OUTPUT_NAMES = [
  'total-findings',
  'critical',
  'high',
  'medium',
  'low',
  'new-findings',
  'failed',
  'report-path',
  'sarif-path',
  'snapshot-path',
] as const

export type Outputs = Record<(typeof OUTPUT_NAMES)[number], string>

/** Set every output. */
export function setOutputs(outputs: Outputs): void {
  for (const name of OUTPUT_NAMES) actions.setOutput(name, outputs[name])
}
