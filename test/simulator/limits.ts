/**
 * @module test/simulator/limits
 * Concurrency gauges behind the simulator's throttling: Outlook's "4 concurrent requests" per
 * app and mailbox (docs/microsoft-apis.md §4.1), an optional app-wide Graph cap and Exchange's
 * "maximum number of concurrent requests per tenant" (5.4).
 */

export class Gauge {
  private count = 0
  constructor(private readonly limit: number = Number.POSITIVE_INFINITY) {}

  /** Takes a slot, or returns undefined when the limit is reached; call the result to release. */
  tryEnter(): (() => void) | undefined {
    if (this.count >= this.limit) return undefined
    this.count++
    let released = false
    return () => {
      if (!released) this.count--
      released = true
    }
  }
}

export class KeyedGauge {
  private readonly counts = new Map<string, number>()
  constructor(private readonly limit: number) {}

  tryEnter(key: string): (() => void) | undefined {
    const count = this.counts.get(key) ?? 0
    if (count >= this.limit) return undefined
    this.counts.set(key, count + 1)
    let released = false
    return () => {
      if (!released) this.counts.set(key, (this.counts.get(key) ?? 1) - 1)
      released = true
    }
  }
}
