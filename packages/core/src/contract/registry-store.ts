/** The least an entry must have: a unique name. */
export interface RegistryEntry {
  name: string;
}

/**
 * Decides what `upsert` stores when an entry already exists, e.g. keeping `createdAtMs`.
 * The default replaces the existing entry with the incoming one.
 */
export type RegistryMerge<T> = (existing: T, incoming: T) => T;

/**
 * The change `update` applies: return the new entry to store it, `undefined` to leave the
 * entry as it is (or absent), or `null` to remove it.
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
