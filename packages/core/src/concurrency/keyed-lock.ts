/**
 * A mutex per key, in this process: tasks with the same key run one at a time, in the order they
 * were queued (FIFO); tasks with different keys never wait for each other.
 *
 * Why it exists: a read-modify-write (a `replaceInFile`, a registry update, an `acquire` that
 * decides "no container yet, create one") interleaved with another on the same key loses one of
 * them. A failed task does not poison its key: the next one runs as usual. A key is forgotten as
 * soon as its queue is empty, so the lock does not grow with every key it has ever seen.
 *
 * @example
 * ```ts
 * const locks = new KeyedLock();
 * // Two writers of one file: the second starts once the first has settled.
 * await Promise.all([
 *   locks.run("/workspace/a.txt", () => appendLine("one")),
 *   locks.run("/workspace/a.txt", () => appendLine("two")),
 * ]);
 * ```
 */
export class KeyedLock {
  // The settled-promise of the last task queued per key; a new task chains onto it.
  readonly #tails = new Map<string, Promise<void>>();
  readonly #pending = new Set<Promise<void>>();

  /**
   * Runs `task` once every task queued earlier under `key` has settled, and returns its result
   * (or rejects with its error).
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    this.#pending.add(tail);
    void tail.then(() => {
      this.#pending.delete(tail);
      // Last in line: forget the key. A later task that queued meanwhile owns the entry now.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** True while a task for `key` runs or waits. */
  isHeld(key: string): boolean {
    return this.#tails.has(key);
  }

  /** How many keys have a task running or waiting (0 when idle: the map does not grow). */
  get size(): number {
    return this.#tails.size;
  }

  /** Resolves once every task queued so far, and any queued while waiting, has settled. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }
}
