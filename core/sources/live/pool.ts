/**
 * @module sources/live/pool
 * Runs async work on items with at most `limit` in flight and yields results as they finish,
 * so a slow batch does not hold back the ones behind it.
 */

/** Map `work` over `items`, `limit` at a time, yielding each result as soon as it is ready. */
export async function* pooled<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>
): AsyncGenerator<R> {
  const running = new Map<number, Promise<{ key: number; result: R }>>()
  let next = 0
  const start = () => {
    const key = next
    const item = items[next++] as T
    running.set(
      key,
      work(item).then((result) => ({ key, result }))
    )
  }
  try {
    while (next < items.length && running.size < limit) start()
    while (running.size > 0) {
      const { key, result } = await Promise.race(running.values())
      running.delete(key)
      if (next < items.length) start()
      yield result
    }
  } finally {
    // Stopped early (deadline, error): the work still in flight must not reject unobserved.
    for (const pending of running.values()) pending.catch(() => undefined)
  }
}

/** Split `items` into chunks of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
