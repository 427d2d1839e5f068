import { KeyedLock } from "../concurrency/keyed-lock.js";
import type { RegistryStore } from "../contract/registry-store.js";
import type { InstanceEntry, InstanceState } from "./instance.js";

/** What the kit reads of every registry record, whatever else a provider stores in it. */
export interface InstanceRecord {
  /** The instance name: the registry key. */
  name: string;
  /** The provider instance that manages it (it changes on adoption). */
  owner: string;
  state: InstanceState;
  createdAtMs: number;
  lastUsedAtMs: number;
  /**
   * The run of the instance ({@link InstanceInfo.startedAt}) that was ready when recorded: an
   * adoption of the same instance in the same run needs no readiness probe.
   */
  readyRun?: string | undefined;
}

/** Where the kit logs what a user should know about. */
export interface LifecycleLogger {
  warn(message: string): void;
  debug?(message: string): void;
}

/**
 * A keyed lock: tasks of one key run one at a time, in order; different keys never wait for each
 * other. Core's {@link KeyedLock} is one; the kit uses it unless a provider passes its own.
 */
export interface LifecycleLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Resolves once every task queued so far (and any queued meanwhile) has settled. */
  drain(): Promise<void>;
}

/** How a provider's records map to and from the kit's entries. */
export interface InstanceRecordFormat<R extends InstanceRecord> {
  /** The backend id of the instance a record describes. */
  instanceIdOf(record: R): string;
  /** The record of an entry, owned by `owner`. */
  recordOf(entry: InstanceEntry, owner: string, createdAtMs: number): R;
}

/** What an {@link InstanceRegistry} is built from. */
export interface InstanceRegistryOptions<R extends InstanceRecord> {
  store: RegistryStore<R>;
  format: InstanceRecordFormat<R>;
  logger: LifecycleLogger;
  /** The lock that orders the writes of one record (a new one, not shared); default a new {@link KeyedLock}. */
  lock?: LifecycleLock;
  /** Instance names are `{prefix}-…`: only those records are this provider's. */
  prefix: string;
}

/**
 * The kit's view of the registry: records follow each instance's life (written when it is
 * created or adopted, updated when it turns active or warm, removed with it). The registry is
 * bookkeeping for other processes and tools, never on the critical path: a failing store is
 * logged and the sandbox keeps working, and state changes are written in the background (in
 * order, per record), so reclaiming a warm sandbox does not wait for a file write and fsync.
 *
 * @example
 * ```ts
 * const registry = new InstanceRegistry({ store, format, logger, prefix });
 * await registry.record(entry, ownership.self, entry.createdAtMs);
 * registry.setState(entry);
 * await registry.flush();
 * ```
 */
export class InstanceRegistry<R extends InstanceRecord = InstanceRecord> {
  readonly #options: InstanceRegistryOptions<R>;
  readonly #lock: LifecycleLock;

  constructor(options: InstanceRegistryOptions<R>) {
    this.#options = options;
    this.#lock = options.lock ?? new KeyedLock();
  }

  /** The backend id of the instance a record describes. */
  instanceIdOf(record: R): string {
    return this.#options.format.instanceIdOf(record);
  }

  async #safely<T>(action: string, operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.#options.logger.warn(`registry: could not ${action}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The record of an instance, after this process's pending writes of it. */
  get(name: string): Promise<R | undefined> {
    return this.#lock.run(name, () =>
      this.#safely(`read ${name}`, () => this.#options.store.get(name)),
    );
  }

  /** Waits until every write queued so far is done. */
  flush(): Promise<void> {
    return this.#lock.drain();
  }

  /** Every record of this prefix's instances, after this process's pending writes. */
  async list(): Promise<R[]> {
    await this.flush();
    const all = (await this.#safely("list records", () => this.#options.store.list())) ?? [];
    return all.filter((record) => record.name.startsWith(`${this.#options.prefix}-`));
  }

  /** Writes the record of an entry, keeping `createdAtMs` of an earlier record of it. */
  async record(entry: InstanceEntry, owner: string, createdAtMs: number): Promise<void> {
    const { format, store } = this.#options;
    const record = format.recordOf(entry, owner, createdAtMs);
    await this.#lock.run(record.name, () =>
      this.#safely(`record ${record.name}`, () =>
        store.upsert(record, (existing, incoming) =>
          format.instanceIdOf(existing) === format.instanceIdOf(incoming)
            ? { ...incoming, createdAtMs: existing.createdAtMs }
            : incoming,
        ),
      ),
    );
  }

  /** Writes an entry's state and last use, in the background (see {@link flush}). */
  setState(entry: InstanceEntry): void {
    const { name, instanceId, state, lastUsedAtMs } = entry;
    void this.#lock.run(name, () =>
      this.#safely(`update ${name}`, () =>
        this.#options.store.update(name, (current) =>
          current && this.instanceIdOf(current) === instanceId
            ? { ...current, state, lastUsedAtMs }
            : undefined,
        ),
      ),
    );
  }

  /**
   * Removes the record of an instance, but only if it still describes that instance (another
   * process may already have recorded a newer one under the same name).
   */
  async forget(name: string, instanceId?: string): Promise<void> {
    await this.#lock.run(name, () =>
      this.#safely(`remove ${name}`, () =>
        this.#options.store.update(name, (current) =>
          current && (instanceId === undefined || this.instanceIdOf(current) === instanceId)
            ? null
            : undefined,
        ),
      ),
    );
  }
}
