import type { RegistryStore } from "@sandbox/core";
import type { DockerProviderLogger } from "../options/options-schema.js";
import type { ContainerRecord } from "./container-record.js";

/**
 * The provider's view of the registry: records follow each container's life (written when it is
 * created or adopted, updated when it turns active or warm, removed with it). The registry is
 * bookkeeping for other processes and tools, never on the critical path: a failing store is
 * logged and the sandbox keeps working.
 */
export class ContainerRegistry {
  readonly #store: RegistryStore<ContainerRecord>;
  readonly #logger: DockerProviderLogger;

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

  get(name: string): Promise<ContainerRecord | undefined> {
    return this.#safely(`read ${name}`, () => this.#store.get(name));
  }

  /** Every record of containers named `{prefix}-…`. */
  async list(prefix: string): Promise<ContainerRecord[]> {
    const all = (await this.#safely("list records", () => this.#store.list())) ?? [];
    return all.filter((record) => record.name.startsWith(`${prefix}-`));
  }

  /** Writes the record of a container, keeping `createdAtMs` of an earlier record of it. */
  async record(record: ContainerRecord): Promise<void> {
    await this.#safely(`record ${record.name}`, () =>
      this.#store.upsert(record, (existing, incoming) =>
        existing.containerId === incoming.containerId
          ? { ...incoming, createdAtMs: existing.createdAtMs }
          : incoming,
      ),
    );
  }

  /** Marks a container active or warm. */
  async setState(
    name: string,
    containerId: string,
    state: ContainerRecord["state"],
    lastUsedAtMs: number,
  ): Promise<void> {
    await this.#safely(`update ${name}`, () =>
      this.#store.update(name, (current) =>
        current && current.containerId === containerId
          ? { ...current, state, lastUsedAtMs }
          : undefined,
      ),
    );
  }

  /**
   * Removes the record of a container, but only if it still describes that container (another
   * process may already have recorded a newer one under the same name).
   */
  async forget(name: string, containerId?: string): Promise<void> {
    await this.#safely(`remove ${name}`, () =>
      this.#store.update(name, (current) =>
        current && (containerId === undefined || current.containerId === containerId)
          ? null
          : undefined,
      ),
    );
  }
}
