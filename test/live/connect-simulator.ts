/**
 * @module test/live/connect-simulator
 * A live connection to the simulator through core's own door (connectLive), as the CLI makes
 * one, with the test context's fast retries.
 */
import { AZURE_SETTING_NAMES, connectLive, type LiveConnection } from '../../core/index.ts'
import type { Simulator } from '../simulator/index.ts'
import { liveContext } from './helpers.ts'

export function connectSimulator(sim: Simulator): LiveConnection {
  return connectLive(
    {
      credential: {
        kind: 'secret',
        tenantId: sim.tenantId,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
      },
      endpoints: {
        authority: sim.authorityHost,
        graph: sim.graphEndpoint,
        exchange: sim.exchangeEndpoint,
      },
      names: AZURE_SETTING_NAMES,
    },
    liveContext()
  )
}
