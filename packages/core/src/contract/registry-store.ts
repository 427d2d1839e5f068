/**
 * The least an entry must have: a unique name.
 *
 * A name is any non-empty string (`/`, `..`, whitespace, unicode and long names included); a
 * store must never use it as a path without encoding it.
 */
export interface RegistryEntry {
  name: string;
}

/**
 * Decides what `upsert` stores when an entry already exists, e.g. keeping `createdAtMs`.
 * The default replaces the existing entry with the incoming one. It runs under the entry's
 * lock and is not called when the entry is absent.
 *
 * @example
 * ```ts
 * const keepCreated: RegistryMerge<Entry> = (old, next) => ({
 *   ...next,
 *   createdAtMs: old.createdAtMs,
 * });
 * ```
 */
export type RegistryMerge<T> = (existing: T, incoming: T) => T;

/**
 * The change `update` applies: return the new entry to store it, `undefined` to leave the
 * entry as it is (or absent), or `null` to remove it.
 *
 * It receives a private copy of the current entry (`undefined` when absent), runs under the
 * entry's lock (keep it short, and never call the same store for the same name inside it), and
 * may be async. If it throws, nothing is written and `update` rejects with that error.
 *
 * @example
 * ```ts
 * const touch: RegistryUpdater<Entry> = (cur) =>
 *   cur ? { ...cur, lastUsedAtMs: Date.now() } : undefined;
 * ```
 */
export type RegistryUpdater<T> = (
  current: T | undefined,
) => T | null | undefined | Promise<T | null | undefined>;

/**
 * A keyed store of registry entries (which sandboxes exist, who owns them), shared by every
 * process on a machine. Providers depend on this interface, never on a concrete store.
 *
 * Every method is safe against concurrent callers in other processes: `update` is an atomic
 * read-modify-write of one entry, and writers of different entries never wait for each other.
 *
 * Rules every store keeps (the `describeRegistryStore` suite in `@sandbox/contract-tests`
 * checks them):
 * - An empty name is rejected with a `SandboxError` of code `INVALID_ARGUMENT`; so is an entry
 *   that an updater or merge returns under a different name (nothing is written).
 * - Returned entries are copies: changing one never changes what is stored.
 *
 * @example
 * ```ts
 * await store.upsert({ name: "t1", hits: 0 });
 * await store.update("t1", (cur) => (cur ? { ...cur, hits: cur.hits + 1 } : undefined));
 * ```
 */
export interface RegistryStore<T extends RegistryEntry> {
  /** The entry with this name, or `undefined`. */
  get(name: string): Promise<T | undefined>;
  /** Every valid entry; unreadable entries are skipped, never fatal. */
  list(): Promise<T[]>;
  /** Inserts or merges `entry` and returns what was stored. */
  upsert(entry: T, merge?: RegistryMerge<T>): Promise<T>;
  /** Atomically reads, changes and writes one entry; returns what is stored afterwards. */
  update(name: string, updater: RegistryUpdater<T>): Promise<T | undefined>;
  /** Removes the entry; returns whether it existed. Removing a missing entry is not an error. */
  remove(name: string): Promise<boolean>;
}
