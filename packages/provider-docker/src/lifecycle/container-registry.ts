import type { RegistryStore } from "@sandbox/core";
import type { DockerProviderLogger } from "../options/options-schema.js";
import type { ContainerRecord } from "./container-record.js";
import { KeyedLock } from "./keyed-lock.js";

/**
 * The provider's view of the registry: records follow each container's life (written when it is
 * created or adopted, updated when it turns active or warm, removed with it). The registry is
 * bookkeeping for other processes and tools, never on the critical path: a failing store is
 * logged and the sandbox keeps working, and state changes are written in the background (in
 * order, per record), so reclaiming a warm sandbox does not wait for a file write and fsync.
 */
export class ContainerRegistry {
  readonly #store: RegistryStore<ContainerRecord>;
  readonly #logger: DockerProviderLogger;
  readonly #writes = new KeyedLock();

  constructor(store: RegistryStore<ContainerRecord>, logger: DockerProviderLogger) {
    this.#store = store;
    this.#logger = logger;
  }

  async #safely<T>(action: string, operation: () => Promise<T>): Promise<T | undefined> {
    try {
      return await operation();
    } catch (error) {
      this.#logger.warn(`registry: could not ${action}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The record of a container, after this process's pending writes of it. */
  get(name: string): Promise<ContainerRecord | undefined> {
    return this.#writes.run(name, () => this.#safely(`read ${name}`, () => this.#store.get(name)));
  }

  /** Waits until every write queued so far is done. */
  flush(): Promise<void> {
    return this.#writes.drain();
  }

  /** Every record of containers named `{prefix}-…`, after this process's pending writes. */
  async list(prefix: string): Promise<ContainerRecord[]> {
    await this.flush();
    const all = (await this.#safely("list records", () => this.#store.list())) ?? [];
    return all.filter((record) => record.name.startsWith(`${prefix}-`));
  }

  /** Writes the record of a container, keeping `createdAtMs` of an earlier record of it. */
  async record(record: ContainerRecord): Promise<void> {
    await this.#writes.run(record.name, () =>
      this.#safely(`record ${record.name}`, () =>
        this.#store.upsert(record, (existing, incoming) =>
          existing.containerId === incoming.containerId
            ? { ...incoming, createdAtMs: existing.createdAtMs }
            : incoming,
        ),
      ),
    );
  }

  /** Marks a container active or warm, in the background (see {@link flush}). */
  setState(
    name: string,
    containerId: string,
    state: ContainerRecord["state"],
    lastUsedAtMs: number,
  ): void {
    void this.#writes.run(name, () =>
      this.#safely(`update ${name}`, () =>
        this.#store.update(name, (current) =>
          current && current.containerId === containerId
            ? { ...current, state, lastUsedAtMs }
            : undefined,
        ),
      ),
    );
  }

  /**
   * Removes the record of a container, but only if it still describes that container (another
   * process may already have recorded a newer one under the same name).
   */
  async forget(name: string, containerId?: string): Promise<void> {
    await this.#writes.run(name, () =>
      this.#safely(`remove ${name}`, () =>
        this.#store.update(name, (current) =>
          current && (containerId === undefined || current.containerId === containerId)
            ? null
            : undefined,
        ),
      ),
    );
  }
}
