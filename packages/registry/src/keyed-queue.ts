// Module-wide, so every store instance in this process that points at the same directory
// shares one queue per entry.
const tails = new Map<string, Promise<void>>();

/**
 * Runs `task` after every earlier task queued under `key` has settled, one at a time, in
 * order. Callers in one process queue here, in memory, instead of fighting each other for a
 * lock file.
 *
 * @example
 * ```ts
 * await runExclusive("/reg/ns/ab12.lock", () => readModifyWrite());
 * ```
 */
export async function runExclusive<R>(key: string, task: () => Promise<R>): Promise<R> {
  const previous = tails.get(key);
  let done: () => void = () => undefined;
  const tail = new Promise<void>((resolve) => {
    done = resolve;
  });
  const chained = previous ? previous.then(() => tail) : tail;
  tails.set(key, chained);
  try {
    await previous;
    return await task();
  } finally {
    done();
    // Last in line: forget the key so the map does not grow with every entry ever touched.
    if (tails.get(key) === chained) tails.delete(key);
  }
}

/**
 * How many keys have queued work right now (for tests and diagnostics).
 *
 * @example
 * ```ts
 * pendingQueueCount(); // 0 when the store is idle
 * ```
 */
export function pendingQueueCount(): number {
  return tails.size;
}
