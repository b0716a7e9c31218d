/**
 * @module worker/credits/durable-object
 * Balances in a Cloudflare Durable Object: one object per caller (`idFromName`), which runs
 * one event at a time and holds its input gate closed while storage is read, so the read,
 * the check and the write of a charge cannot interleave with another request's
 * (developers.cloudflare.com/durable-objects/api/storage-api, "input gates").
 */
import { applyCharge, type Charge, type CreditLedger } from './ledger.ts'

/** The parts of Cloudflare's Durable Object API used here (no workers-types dependency). */
export interface DurableObjectStorageLike {
  get<T>(key: string): Promise<T | undefined>
  put(key: string, value: unknown): Promise<void>
}
export interface DurableObjectStateLike {
  storage: DurableObjectStorageLike
}
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> }
}

interface LedgerCall {
  op: 'charge' | 'refund'
  amount: number
  start: number
}

/**
 * The Durable Object class the worker exports (wrangler.jsonc binds it as CREDITS): one
 * caller's balance, changed by `POST /charge` and `POST /refund`.
 */
export class CreditBalance {
  constructor(private readonly state: DurableObjectStateLike) {}

  async fetch(request: Request): Promise<Response> {
    const call = (await request.json()) as LedgerCall
    const balance = (await this.state.storage.get<number>('balance')) ?? call.start
    if (call.op === 'charge') {
      const result = applyCharge(balance, call.amount)
      if (result.ok) await this.state.storage.put('balance', result.remaining)
      return Response.json(result)
    }
    const refunded = balance + call.amount
    await this.state.storage.put('balance', refunded)
    return Response.json({ ok: true, remaining: refunded })
  }
}

/** A ledger over the CREDITS namespace; each call is one subrequest to the caller's object. */
export function durableObjectLedger(
  namespace: DurableObjectNamespaceLike,
  start: number
): CreditLedger {
  const call = async (caller: string, body: LedgerCall): Promise<Charge> => {
    const stub = namespace.get(namespace.idFromName(caller))
    const response = await stub.fetch('https://credits/', {
      method: 'POST',
      body: JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`the credit ledger answered HTTP ${response.status}`)
    return (await response.json()) as Charge
  }
  return {
    charge: (caller, amount) => call(caller, { op: 'charge', amount, start }),
    refund: async (caller, amount) =>
      (await call(caller, { op: 'refund', amount, start })).remaining,
  }
}
