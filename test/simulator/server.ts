/**
 * @module test/simulator/server
 * One HTTPS server per API, each on its own ephemeral port so token audiences differ. This layer
 * owns what is common to all three: counting, top-level fault injection, writing responses.
 */
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { ServerCert } from './ca.ts'
import type { Fault, FaultPlan } from './faults.ts'
import { readBody, type SimRequest, type SimResponse, toSimRequest, writeResponse } from './http.ts'
import type { Api, RequestRecorder } from './request-log.ts'

export interface ApiServerOptions {
  api: Api
  tls: ServerCert
  recorder: RequestRecorder
  faults: FaultPlan
  handle(req: SimRequest): Promise<SimResponse>
  /** The API's own shape for an injected 429/503. */
  faultResponse(fault: Fault): SimResponse
}

export interface ApiServer {
  /** `https://localhost:PORT`, no trailing slash. */
  origin: string
  close(): Promise<void>
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { api, recorder, faults } = options
  let origin = 'https://localhost'
  const server = createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem },
    (req, res) => {
      const done = recorder.request(api)
      res.on('close', done)
      void (async () => {
        const body = await readBody(req)
        const fault = api !== 'token' || faults.includesToken ? faults.forRequest() : undefined
        if (fault) recorder.fault(fault.kind)
        if (fault?.kind === 'drop') {
          // No status line at all: the client sees a reset connection ("fetch failed").
          recorder.status('drop')
          req.socket.destroy()
          return
        }
        const sim =
          fault && fault.kind !== 'truncate'
            ? options.faultResponse(fault)
            : await options.handle(toSimRequest(req, origin, body))
        recorder.status(fault?.kind === 'truncate' ? 200 : sim.status)
        writeResponse(res, sim, fault?.kind === 'truncate')
      })().catch((error: unknown) => {
        recorder.status(500)
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' })
        res.end(`simulator error: ${error instanceof Error ? error.stack : String(error)}`)
      })
    }
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  origin = `https://localhost:${(server.address() as AddressInfo).port}`
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
