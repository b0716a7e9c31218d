/**
 * @module test/simulator/faults
 * Seeded fault injection, so a flaky-network run can be replayed. One PRNG stream per
 * simulator: with the same seed and the same request order, the same calls fail the same way.
 */
import type { FaultKind, FaultOptions } from './types.ts'

/** mulberry32: tiny, fast, good enough to pick faults. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export interface Fault {
  kind: FaultKind
  /** Retry-After header value, absent when the fault sends none. */
  retryAfter?: string
}

const ALL_KINDS: FaultKind[] = ['429', '503', 'drop', 'truncate']
const ITEM_KINDS = new Set<FaultKind>(['429', '503'])

export class FaultPlan {
  private readonly random: () => number
  private readonly kinds: FaultKind[]
  private readonly retryAfter: string

  constructor(private readonly options: FaultOptions | undefined) {
    this.random = seededRandom(options?.seed ?? 1)
    this.kinds = options?.kinds?.length ? options.kinds : ALL_KINDS
    this.retryAfter = String(options?.retryAfterSeconds ?? 0.05)
  }

  /** Whether the token endpoint takes part (it is exempt unless asked). */
  get includesToken(): boolean {
    return this.options?.includeToken === true
  }

  /** Draw for a top-level HTTP request. */
  forRequest(): Fault | undefined {
    return this.draw(this.kinds)
  }

  /** Draw for a $batch item: only 429/503, and only when `batchItems` is on. */
  forBatchItem(): Fault | undefined {
    if (!this.options?.batchItems) return undefined
    const kinds = this.kinds.filter((kind) => ITEM_KINDS.has(kind))
    return kinds.length ? this.draw(kinds) : undefined
  }

  private draw(kinds: FaultKind[]): Fault | undefined {
    const rate = this.options?.rate ?? 0
    if (rate <= 0 || this.random() >= rate) return undefined
    const kind = kinds[Math.floor(this.random() * kinds.length)] ?? '429'
    if (kind === '429') return { kind, retryAfter: this.retryAfter }
    // Graph documents 503 "may" carry Retry-After (docs/microsoft-apis.md §4.1): send it half the time.
    if (kind === '503')
      return this.random() < 0.5 ? { kind, retryAfter: this.retryAfter } : { kind }
    return { kind }
  }
}
