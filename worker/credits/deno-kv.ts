/**
 * @module worker/credits/deno-kv
 * Balances in Deno KV (Deno Deploy's built-in store; locally a SQLite file or `:memory:`).
 * Each charge reads the balance with its versionstamp and commits only if nobody wrote it in
 * between (an atomic check-and-set); a lost race backs off and reads again. That is what makes
 * parallel charges exact across isolates and regions.
 */
import { AuditRunError } from '../../core/index.ts'
import { applyCharge, type CreditLedger } from './ledger.ts'

/** The part of `Deno.Kv` the ledger uses, so this file type-checks outside Deno too. */
export interface KvStore {
  get<T>(key: readonly unknown[]): Promise<{ value: T | null; versionstamp: string | null }>
  atomic(): KvAtomic
}

interface KvAtomic {
  check(...checks: { key: readonly unknown[]; versionstamp: string | null }[]): KvAtomic
  set(key: readonly unknown[], value: unknown): KvAtomic
  commit(): Promise<{ ok: boolean }>
}

/** Lost races before giving up; with the backoff below, seconds of contention. */
const MAX_ATTEMPTS = 100
/** The longest wait between attempts, in ms. */
const MAX_BACKOFF_MS = 50

/** A ledger in `kv`, balances under `['credits', caller]`. */
export function denoKvLedger(kv: KvStore, start: number): CreditLedger {
  const update = async <R>(
    caller: string,
    change: (balance: number) => { balance: number; result: R }
  ): Promise<R> => {
    const key = ['credits', caller]
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await kv.get<number>(key)
      const { balance, result } = change(entry.value ?? start)
      // versionstamp null checks that the key still does not exist.
      const committed = await kv
        .atomic()
        .check({ key, versionstamp: entry.versionstamp })
        .set(key, balance)
        .commit()
      if (committed.ok) return result
      // Many requests of one caller race for one key: back off, jittered, so they spread out
      // instead of colliding again on the next attempt.
      const ceiling = Math.min(MAX_BACKOFF_MS, 2 ** attempt)
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling))
    }
    throw new AuditRunError(
      'THROTTLED',
      'too many requests of this caller at once are updating its credits: try again in a moment'
    )
  }
  return {
    charge: (caller, amount) =>
      update(caller, (balance) => {
        const result = applyCharge(balance, amount)
        return { balance: result.remaining, result }
      }),
    refund: (caller, amount) =>
      update(caller, (balance) => ({ balance: balance + amount, result: balance + amount })),
  }
}
