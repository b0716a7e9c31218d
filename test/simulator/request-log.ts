/**
 * @module test/simulator/request-log
 * What the simulator saw: counts and peak concurrency. Tests and the benchmark assert on these
 * (how many Get-InboxRule executions a scan cost, whether a client stayed under Outlook's
 * 4-per-mailbox limit), so the numbers are kept plain and mutated in place.
 */

export type Api = 'token' | 'graph' | 'exchange'

export interface RequestLog {
  /** HTTP requests received by the three servers. */
  total: number
  byApi: Record<Api, number>
  /**
   * Operations by kind: `token`, `users`, `user`, `domains`, `organization`, `messageRules`,
   * `graphBatch`, `invokeCommand:<Cmdlet>`, `exchangeBatch`, `unknown`. Batch items count here
   * too, so `invokeCommand:Get-InboxRule` is the number of executions however they arrived.
   */
  byRoute: Record<string, number>
  batchItems: { graph: number; exchange: number }
  /** `$batch` calls by how many requests they carried: `{ graph: { '20': 25 } }` is 25 batches of 20. */
  batchSizes: { graph: Record<string, number>; exchange: Record<string, number> }
  /** Mailbox-scoped operations (messageRules, Get-InboxRule) by lower-case UPN, throttled ones included. */
  byMailbox: Record<string, number>
  /** Top-level HTTP statuses; `drop` for destroyed sockets. */
  byStatus: Record<string, number>
  /** Injected faults by kind (`429`, `503`, `drop`, `truncate`), top level and batch items. */
  faults: Record<string, number>
  /** 429s caused by the limits (not by injected faults). */
  throttled: { mailboxConcurrency: number; graphConcurrency: number; exchangeConcurrency: number }
  maxConcurrency: {
    /** HTTP requests in flight across all three servers. */
    overall: number
    graph: number
    exchange: number
    /** Exchange cmdlet executions in flight (requests and batch items) admitted past the limits. */
    cmdlets: number
    /**
     * Operations in flight per mailbox (Graph and Exchange together), counted on arrival, so a
     * client that sends 5 at once shows 5 even though the fifth is throttled.
     */
    byMailbox: Record<string, number>
  }
}

function emptyLog(): RequestLog {
  return {
    total: 0,
    byApi: { token: 0, graph: 0, exchange: 0 },
    byRoute: {},
    batchItems: { graph: 0, exchange: 0 },
    batchSizes: { graph: {}, exchange: {} },
    byMailbox: {},
    byStatus: {},
    faults: {},
    throttled: { mailboxConcurrency: 0, graphConcurrency: 0, exchangeConcurrency: 0 },
    maxConcurrency: { overall: 0, graph: 0, exchange: 0, cmdlets: 0, byMailbox: {} },
  }
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1
}

/** Records into one RequestLog object; in-flight gauges survive a reset, peaks do not. */
export class RequestRecorder {
  readonly log: RequestLog = emptyLog()
  private inFlight = { overall: 0, graph: 0, exchange: 0, cmdlets: 0 }
  private mailboxInFlight = new Map<string, number>()

  reset(): void {
    Object.assign(this.log, emptyLog())
  }

  /** A top-level HTTP request arrived; call the result when its response is finished. */
  request(api: Api): () => void {
    this.log.total++
    this.log.byApi[api]++
    const peaks = this.log.maxConcurrency
    this.inFlight.overall++
    peaks.overall = Math.max(peaks.overall, this.inFlight.overall)
    if (api !== 'token') {
      this.inFlight[api]++
      peaks[api] = Math.max(peaks[api], this.inFlight[api])
    }
    return () => {
      this.inFlight.overall--
      if (api !== 'token') this.inFlight[api]--
    }
  }

  route(kind: string): void {
    bump(this.log.byRoute, kind)
  }

  batchItem(api: 'graph' | 'exchange'): void {
    this.log.batchItems[api]++
  }

  /** A well-formed `$batch` call arrived carrying `size` requests. */
  batchSize(api: 'graph' | 'exchange', size: number): void {
    bump(this.log.batchSizes[api], String(size))
  }

  status(status: number | 'drop'): void {
    bump(this.log.byStatus, String(status))
  }

  fault(kind: string): void {
    bump(this.log.faults, kind)
  }

  throttled(reason: keyof RequestLog['throttled']): void {
    this.log.throttled[reason]++
  }

  /** A mailbox-scoped operation started; call the result when it ends. */
  mailbox(key: string): () => void {
    bump(this.log.byMailbox, key)
    const now = (this.mailboxInFlight.get(key) ?? 0) + 1
    this.mailboxInFlight.set(key, now)
    const peaks = this.log.maxConcurrency.byMailbox
    peaks[key] = Math.max(peaks[key] ?? 0, now)
    return () => this.mailboxInFlight.set(key, (this.mailboxInFlight.get(key) ?? 1) - 1)
  }

  /** An Exchange cmdlet execution started; call the result when it ends. */
  cmdlet(): () => void {
    this.inFlight.cmdlets++
    const peaks = this.log.maxConcurrency
    peaks.cmdlets = Math.max(peaks.cmdlets, this.inFlight.cmdlets)
    return () => {
      this.inFlight.cmdlets--
    }
  }
}
