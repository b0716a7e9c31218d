/**
 * @module sources/live/permission-check
 * One line of `checkConnection`'s answer, shared by its probes.
 */

/** One thing the audit needs, and whether the app has it. */
export interface PermissionCheck {
  /** What was checked: a token, a permission (`MailboxSettings.Read`) or a role. */
  name: string
  status: 'granted' | 'missing' | 'unknown'
  /** False for what only adds detail (the tenant's name); true when the audit cannot run without it. */
  required: boolean
  /** What was seen. */
  detail: string
  /** What to grant or change, when it is missing. */
  fix?: string
}
