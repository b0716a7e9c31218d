/**
 * A 403 on one mailbox is an access policy; a 403 on every mailbox is a missing permission.
 */
import { describe, expect, it } from 'vitest'
import type { ItemResult } from '../../core/m365/types.ts'
import { graphAccessCheck } from '../../core/sources/live/graph-access.ts'

const ok: ItemResult<unknown> = { ok: true, value: [] }
const denied: ItemResult<unknown> = {
  ok: false,
  status: 403,
  code: 'ErrorAccessDenied',
  message: 'Access is denied.',
}
const missing: ItemResult<unknown> = {
  ok: false,
  status: 404,
  code: 'MailboxNotEnabledForRESTAPI',
  message: 'inactive',
}
const times = <T>(n: number, value: T) => Array.from({ length: n }, () => value)

describe('graphAccessCheck', () => {
  it('lets a refused mailbox among readable ones through, to be named as skipped', () => {
    const check = graphAccessCheck(1000)
    expect(() => check([ok, denied, ...times(18, ok)])).not.toThrow()
    expect(() => check(times(60, denied))).not.toThrow()
  })

  it('stops with PERMISSION_DENIED naming MailboxSettings.Read when 50 mailboxes are all refused', () => {
    const check = graphAccessCheck(1000)
    expect(() => check(times(40, denied))).not.toThrow()
    expect(() => check(times(20, denied))).toThrow(
      expect.objectContaining({
        code: 'PERMISSION_DENIED',
        message: expect.stringMatching(/MailboxSettings\.Read/),
      })
    )
  })

  it('in a scope smaller than 50 stops once every mailbox was tried, unreadable ones included', () => {
    const check = graphAccessCheck(3)
    expect(() => check([denied, missing, denied])).toThrow(
      expect.objectContaining({ code: 'PERMISSION_DENIED' })
    )
  })

  it('mailboxes that do not exist are not a permission problem', () => {
    const check = graphAccessCheck(5)
    expect(() => check(times(5, missing))).not.toThrow()
  })
})
