import type { InstanceState } from "./instance.js";

/** What the warm pool reads and writes of an entry. */
export interface PoolEntry {
  readonly id: string;
  state: InstanceState;
  lastUsedAtMs: number;
}

/**
 * Released sandboxes whose instances still run, by sandbox id. An instance is bound to its
 * thread (it mounts the thread's files), so only the same thread reclaims it. Taking is
 * synchronous: once an entry is taken (reclaimed or evicted) nobody else gets it.
 *
 * @example
 * ```ts
 * const pool = new WarmPool<InstanceEntry>();
 * pool.add(entry);           // entry.state is now "warm"
 * pool.take(entry.id);       // the same thread reclaims it
 * pool.takeOldest();         // or the replica cap evicts the least recently used
 * ```
 */
export class WarmPool<E extends PoolEntry> {
  readonly #entries = new Map<string, E>();

  get size(): number {
    return this.#entries.size;
  }

  add(entry: E): void {
    entry.state = "warm";
    this.#entries.set(entry.id, entry);
  }

  get(id: string): E | undefined {
    return this.#entries.get(id);
  }

  /** Removes and returns the entry for `id`. */
  take(id: string): E | undefined {
    const entry = this.#entries.get(id);
    if (entry) this.#entries.delete(id);
    return entry;
  }

  /** Removes and returns the least recently used entry (the next to evict). */
  takeOldest(): E | undefined {
    let oldest: E | undefined;
    for (const entry of this.#entries.values()) {
      if (!oldest || entry.lastUsedAtMs < oldest.lastUsedAtMs) oldest = entry;
    }
    if (oldest) this.#entries.delete(oldest.id);
    return oldest;
  }

  /** Removes `entry` if it is still the one pooled under its id. */
  delete(entry: E): boolean {
    if (this.#entries.get(entry.id) !== entry) return false;
    this.#entries.delete(entry.id);
    return true;
  }

  values(): E[] {
    return [...this.#entries.values()];
  }

  clear(): E[] {
    const all = this.values();
    this.#entries.clear();
    return all;
  }
}
