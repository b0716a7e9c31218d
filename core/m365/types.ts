/**
 * @module m365/types
 * The contracts between the live Microsoft 365 pieces: endpoints, credentials, tokens, the
 * retrying HTTP layer and the two APIs. Everything is fetch-based and runtime-neutral; the
 * adapters inject `fetch`, the clock and the credentials.
 */

/** Where a cloud's services live. Every one is configurable (national clouds, the simulator). */
export interface CloudEndpoints {
  /** Token authority host, e.g. https://login.microsoftonline.com */
  authority: string
  /** Graph root, e.g. https://graph.microsoft.com */
  graph: string
  /** Exchange Online root, e.g. https://outlook.office365.com */
  exchange: string
}

/** App-only credentials (client credentials flow). Secrets never leave the token provider. */
export type Credential =
  | { kind: 'secret'; tenantId: string; clientId: string; clientSecret: string }
  | {
      kind: 'certificate'
      tenantId: string
      clientId: string
      /** PKCS#8 PEM private key. */
      privateKeyPem: string
      /** The registered certificate (PEM), for the `x5t#S256` header. */
      certificatePem: string
    }
  | {
      kind: 'federated'
      tenantId: string
      clientId: string
      /** A JWT from another issuer (GitHub OIDC, a token file), fetched fresh when needed. */
      assertion: () => Promise<string>
    }

export interface TokenProvider {
  /** An access token for `resource` (a root such as https://graph.microsoft.com), cached until shortly before expiry. */
  token(resource: string, signal?: AbortSignal): Promise<string>
  /** Forget the cached token for `resource` (after a 401), so the next call fetches a new one. */
  invalidate(resource: string): void
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number
  /** First backoff delay without Retry-After; doubles each time, with full jitter. */
  baseDelayMs: number
  /** Longest wait, whether from Retry-After or backoff. */
  maxDelayMs: number
}

/** What the live clients need from their runtime. */
export interface LiveContext {
  fetch: typeof fetch
  /** Waits `ms`, or rejects when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** In [0, 1): backoff jitter. */
  random: () => number
  now: () => number
  retry: RetryPolicy
  signal?: AbortSignal
  /**
   * The most Microsoft 365 requests one connection may send (an edge runtime's subrequest
   * limit); connectLive counts them and plans the scan against it. Unset: no limit.
   */
  requestBudget?: number
  /**
   * Called for every retry, for logs and benchmarks; an adapter should say what is retried (a
   * run that cannot reach Microsoft 365 must not wait in silence).
   */
  onRetry?: (info: {
    api: 'graph' | 'exchange' | 'token'
    status: number | 'network' | 'invalid_json'
    delayMs: number
    /** Retry number, 1 for the first. */
    attempt?: number
    /** What failed, for people: `HTTP 429`, `could not reach graph.microsoft.com (ECONNRESET)`. */
    reason?: string
  }) => void
}

/** One sub-request's outcome in a batch. */
export type ItemResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; code: string; message: string }

export interface ExchangeAdmin {
  /** Run a cmdlet; follow `@odata.nextLink` pages; retry throttling and transient faults. */
  invoke(
    cmdlet: string,
    parameters: Record<string, unknown>,
    select?: string[]
  ): Promise<Record<string, unknown>[]>
  /** Run up to 10 cmdlets in one `$batch` call; throttled items are retried, other item errors returned. */
  invokeBatch(
    items: { cmdlet: string; parameters: Record<string, unknown>; select?: string[] }[]
  ): Promise<ItemResult<Record<string, unknown>[]>[]>
}

export interface GraphApi {
  /**
   * Inbox message rules of up to 20 mailboxes in one Graph `$batch` (through the Graph SDK),
   * in the order given. Throttled items are retried after their Retry-After; a mailbox Graph
   * cannot read (404 MailboxNotEnabledForRESTAPI, ErrorInvalidUser) is an item error.
   */
  messageRules(mailboxes: string[]): Promise<ItemResult<Record<string, unknown>[]>[]>
  /**
   * The groups, directory roles and administrative units up to 20 users belong to, directly or
   * through nested groups (`GET /users/{upn}/transitiveMemberOf`, User.Read.All), in one `$batch`.
   */
  transitiveMemberOf(mailboxes: string[]): Promise<ItemResult<Record<string, unknown>[]>[]>
  /**
   * Mail folders of up to FOLDER_MAILBOXES_PER_BATCH mailboxes in one Graph `$batch`, in the
   * order given: each mailbox's top-level folders (hidden ones too), then its well-known folders
   * asked for by name and marked with `wellKnownName` (docs/microsoft-apis.md §1.8). Needs
   * Mail.ReadBasic.All; without it every mailbox is an item error with status 403.
   */
  mailFolders(mailboxes: string[]): Promise<ItemResult<Record<string, unknown>[]>[]>
}
