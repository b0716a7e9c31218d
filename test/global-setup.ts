/**
 * @module test/global-setup
 * Runs once, before any test worker of any project starts (vitest.config.ts): makes the throwaway
 * CA the Microsoft 365 simulator's HTTPS certificates are signed by.
 *
 * NODE_EXTRA_CA_CERTS is read by Node only at process start, so it must be set here, in the
 * parent, before vitest forks its workers (pool 'forks'): every worker's fetch then trusts the
 * simulator without disabling certificate checks.
 */
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createTestCa } from './simulator/ca.ts'

export default async function setup(): Promise<() => Promise<void>> {
  const ca = await createTestCa()
  process.env.NODE_EXTRA_CA_CERTS = ca.certPath
  process.env.FA_TEST_CA_CERT = ca.certPath
  process.env.FA_TEST_CA_KEY = ca.keyPath
  return async () => {
    await rm(dirname(ca.certPath), { recursive: true, force: true })
  }
}
