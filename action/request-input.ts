/**
 * @module action/request-input
 * The request body both commands start from: the inputs' request fields, and the mailboxes of
 * `user-file` when one is given (read from the workspace, named by its input in errors).
 */
import { parseUserList } from '../core/index.ts'
import type { ActionConfig } from './config.ts'
import { readInputFile } from './files.ts'

/** The request fields of the inputs, with `users` from `user-file`. */
export async function requestInput(config: ActionConfig): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = { ...config.request }
  if (config.userFile) {
    const bytes = await readInputFile('user-file', config.userFile)
    input.users = parseUserList(bytes, `user-file ${config.userFile}`)
  }
  return input
}
