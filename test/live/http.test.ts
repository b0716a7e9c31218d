/**
 * The one transport: how each runtime's fetch failures become core's errors. Node and Deno
 * reject a dropped connection with a TypeError; workerd with a plain Error, "Network
 * connection lost.", which must be retried the same way.
 */
import { describe, expect, it } from 'vitest'
import { NetworkError } from '../../core/index.ts'
import { send } from '../../core/m365/http.ts'
import { budgetSpent } from '../../core/m365/request-budget.ts'

const failing = (error: unknown) => ({ fetch: () => Promise.reject(error) })

describe('send', () => {
  it.each([
    ['Node and Deno: a TypeError', new TypeError('fetch failed')],
    ['workerd: "Network connection lost."', new Error('Network connection lost.')],
  ])('a dropped connection (%s) is a NetworkError naming the host', async (_runtime, error) => {
    const thrown = await send(
      failing(error),
      'https://graph.example/v1.0/$batch?x=secret',
      {}
    ).catch((e: unknown) => e)
    expect(thrown).toBeInstanceOf(NetworkError)
    expect((thrown as NetworkError).host).toBe('graph.example')
    expect((thrown as Error).message).not.toContain('secret')
  })

  it('a spent request budget passes through as itself', async () => {
    const spent = budgetSpent(50)
    await expect(send(failing(spent), 'https://graph.example/', {})).rejects.toBe(spent)
  })

  it('an abort stays an abort, for the deadline to report', async () => {
    const controller = new AbortController()
    controller.abort(new Error('Network connection lost.'))
    const abort = new Error('Network connection lost.')
    await expect(
      send(failing(abort), 'https://graph.example/', { signal: controller.signal })
    ).rejects.toBe(abort)
  })

  it('any other error is not mistaken for the network', async () => {
    const bug = new RangeError('a bug')
    await expect(send(failing(bug), 'https://graph.example/', {})).rejects.toBe(bug)
  })
})
