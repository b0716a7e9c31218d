/**
 * @module worker/credits/ledger
 * Credits per caller, as the seed documents them: an audit costs 5, a request that would
 * overdraw is refused before any Microsoft 365 call, and a failed audit is refunded. A new
 * caller starts at the configured balance. Three stores keep the balances: this in-memory one
 * (local development, tests), Deno KV (atomic check-and-set) and a Durable Object (Cloudflare).
 * Each charge is atomic, so 50 parallel audits against a balance of 100 charge exactly 20.
 */

/** Credits one audit costs (the seed: "5 per request, regardless of the number of users"). */
export const AUDIT_COST = 5

/** The outcome of a charge: taken, or refused with the balance as it is. */
export type Charge = { ok: true; remaining: number } | { ok: false; remaining: number }

export interface CreditLedger {
  /** Take `amount` from `caller` if the balance covers it; never goes below zero. */
  charge(caller: string, amount: number): Promise<Charge>
  /** Give back `amount` taken for a request that failed; resolves to the new balance. */
  refund(caller: string, amount: number): Promise<number>
}

/** The arithmetic every store shares: a balance, a charge against it, a refund onto it. */
export function applyCharge(balance: number, amount: number): Charge {
  return balance >= amount
    ? { ok: true, remaining: balance - amount }
    : { ok: false, remaining: balance }
}

/**
 * Balances in this isolate's memory: right for local development and a single process, wrong
 * for a deployment with many isolates (each would keep its own balances).
 */
export function memoryLedger(start: number): CreditLedger {
  const balances = new Map<string, number>()
  return {
    async charge(caller, amount) {
      // No await between read and write: JavaScript runs this to the end, so it is atomic.
      const result = applyCharge(balances.get(caller) ?? start, amount)
      balances.set(caller, result.remaining)
      return result
    },
    async refund(caller, amount) {
      const balance = (balances.get(caller) ?? start) + amount
      balances.set(caller, balance)
      return balance
    },
  }
}
