/**
 * @module test/worker/harness/client
 * How the suite calls a worker: plain fetch over HTTP to one runtime's port for one
 * configuration, every response recorded for the final secrets check, and every response
 * validated against the worker's own OpenAPI document (docs/openapi.json), so the document
 * cannot drift from what the worker answers.
 */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { Fixtures } from './fixtures.ts'
import type { RuntimeName } from './runtimes.ts'

export interface Reply {
  status: number
  headers: Headers
  text: string
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
  json: any
}

export interface CallOptions {
  method?: string
  token?: string
  /** Sent as JSON with Content-Type: application/json. */
  json?: unknown
  headers?: Record<string, string>
  body?: BodyInit
  /** For a streamed (chunked) body. */
  duplex?: 'half'
}

const openapi = JSON.parse(readFileSync('docs/openapi.json', 'utf8'))
const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addSchema(openapi, 'openapi.json')
const validators = {
  audit: ajv.getSchema('openapi.json#/components/schemas/AuditResponse'),
  status: ajv.getSchema('openapi.json#/components/schemas/StatusResponse'),
  error: ajv.getSchema('openapi.json#/components/schemas/Error'),
}

/** The schema a response must match, by path and status; undefined when none applies. */
function schemaFor(path: string, status: number) {
  if (status >= 400) return validators.error
  if (status !== 200) return undefined
  if (path === '/api/v1/bec/forwarding-audit') return validators.audit
  if (path === '/api/v1/bec/status') return validators.status
  return undefined
}

export interface SuiteContext {
  runtime: RuntimeName
  fixtures(): Fixtures
  call(config: string, path: string, options?: CallOptions): Promise<Reply>
  /** POST an audit request body with a token. */
  audit(config: string, body: unknown, token: string): Promise<Reply>
}

export function suiteContext(runtime: RuntimeName, fixtures: () => Fixtures): SuiteContext {
  const call = async (config: string, path: string, options: CallOptions = {}): Promise<Reply> => {
    const base = fixtures().runtimes[runtime].urls[config]
    if (!base) throw new Error(`no worker configuration named ${config}`)
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`
    if (options.json !== undefined) headers['Content-Type'] ??= 'application/json'
    const response = await fetch(`${base}${path}`, {
      method: options.method ?? (options.json !== undefined || options.body ? 'POST' : 'GET'),
      headers,
      ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
      ...(options.body ? { body: options.body } : {}),
      ...(options.duplex ? { duplex: options.duplex } : {}),
    } as RequestInit)
    const text = await response.text()
    if (response.status === 500) {
      // No case expects a 500: show what the runtime logged about it.
      const id = response.headers.get('x-request-id')
      await new Promise((resolve) => setTimeout(resolve, 200))
      const logged = fixtures().runtimes[runtime].lines.filter((line) => id && line.includes(id))
      throw new Error(`${runtime} answered 500 for ${path}: ${text}\n${logged.join('\n')}`)
    }
    fixtures().responses.push({
      runtime,
      status: response.status,
      headers: [...response.headers.entries()],
      body: text,
    })
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    const validate = schemaFor(path, response.status)
    if (validate && !validate(json)) {
      throw new Error(
        `${runtime} ${path} ${response.status} does not match docs/openapi.json: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`
      )
    }
    return { status: response.status, headers: response.headers, text, json }
  }
  return {
    runtime,
    fixtures,
    call,
    audit: (config, body, token) =>
      call(config, '/api/v1/bec/forwarding-audit', { json: body, token }),
  }
}
