import type { RegistryEntry, RegistryStore } from "@sandbox/core";

/**
 * A registry store in this process's memory, for tests that must not share records on disk.
 * Entries are copied in and out, like a real store.
 *
 * @example
 * ```ts
 * const provider = await createDockerProvider({ image: "busybox", registry: createMemoryRegistry() }, context);
 * ```
 */
export function createMemoryRegistry<T extends RegistryEntry>(): RegistryStore<T> {
  const entries = new Map<string, T>();
  const copy = (entry: T): T => structuredClone(entry);
  const queue = new Map<string, Promise<unknown>>();
  const serial = <R>(name: string, task: () => Promise<R>): Promise<R> => {
    const result = (queue.get(name) ?? Promise.resolve()).then(task);
    queue.set(
      name,
      result.catch(() => undefined),
    );
    return result;
  };
  return {
    get: async (name) => {
      const entry = entries.get(name);
      return entry && copy(entry);
    },
    list: async () => [...entries.values()].map(copy),
    upsert: (entry, merge) =>
      serial(entry.name, async () => {
        const existing = entries.get(entry.name);
        const stored = existing && merge ? merge(copy(existing), copy(entry)) : copy(entry);
        entries.set(entry.name, copy(stored));
        return copy(stored);
      }),
    update: (name, updater) =>
      serial(name, async () => {
        const existing = entries.get(name);
        const next = await updater(existing && copy(existing));
        if (next === null) entries.delete(name);
        else if (next !== undefined) entries.set(name, copy(next));
        const stored = entries.get(name);
        return stored && copy(stored);
      }),
    remove: async (name) => entries.delete(name),
  };
}
