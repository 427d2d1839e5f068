/**
 * A least-recently-used map with a fixed capacity. `get` and `set` promote; inserting past the
 * capacity evicts the least recently used entry and returns it.
 *
 * A `Map` keeps insertion order, so re-inserting on use makes its first key the least recently
 * used one: every operation is O(1) and allocation-free on a hit.
 *
 * @example
 * ```ts
 * const cache = new LruCache<string, number>(2);
 * cache.set("a", 1); cache.set("b", 2);
 * cache.get("a");                 // promotes "a"
 * cache.set("c", 3);              // evicts and returns ["b", 2]
 * ```
 */
export class LruCache<K, V> {
  readonly capacity: number;
  readonly #entries = new Map<K, V>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`LRU capacity must be a positive integer (got ${capacity})`);
    }
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value, promoted to most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  /** The value without promoting it. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Inserts or replaces as most recently used; returns the entry evicted to make room, if any. */
  set(key: K, value: V): [K, V] | undefined {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size <= this.capacity) return undefined;
    const oldest = this.#entries.entries().next().value as [K, V];
    this.#entries.delete(oldest[0]);
    return oldest;
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Values from least to most recently used. */
  values(): IterableIterator<V> {
    return this.#entries.values();
  }
}
