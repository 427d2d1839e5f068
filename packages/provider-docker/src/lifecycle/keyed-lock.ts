/**
 * A mutex per key, in this process: callers with the same key run one at a time, in order;
 * different keys never wait for each other. Two concurrent `acquire`s of one thread must not
 * both decide "no container yet" and create two.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #running = new Set<Promise<unknown>>();

  /** Runs `task` once every earlier task with the same key has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    this.#running.add(tail);
    void tail.then(() => {
      this.#running.delete(tail);
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** True while a task for `key` runs or waits. */
  isHeld(key: string): boolean {
    return this.#tails.has(key);
  }

  /** Resolves once every task queued so far (and any queued meanwhile) has settled. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }
}
