import {
  type RegistryEntry,
  type RegistryMerge,
  type RegistryStore,
  type RegistryUpdater,
  SandboxError,
} from "@sandbox/core";
import type { z } from "zod";
import { describeRegistryStore } from "./registry-store-suite.js";

// The smallest store that keeps the contract: a Map, a promise chain per name for update, and
// structuredClone so callers never hold the stored objects. It shows a third-party author what
// the suite asks for, and proves the suite passes for a correct store.
function createMemoryStore<T extends RegistryEntry>(schema: z.ZodType<T>): RegistryStore<T> {
  const entries = new Map<string, T>();
  const queues = new Map<string, Promise<unknown>>();

  const checkName = (name: unknown): string => {
    if (typeof name !== "string" || name === "") {
      throw new SandboxError("INVALID_ARGUMENT", "An entry name is a non-empty string");
    }
    return name;
  };

  const validate = (name: string, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success || parsed.data.name !== name) {
      throw new SandboxError("INVALID_ARGUMENT", `Invalid entry for ${JSON.stringify(name)}`);
    }
    return parsed.data;
  };

  const serialized = <R>(name: string, task: () => Promise<R>): Promise<R> => {
    const run = (queues.get(name) ?? Promise.resolve()).then(task, task);
    queues.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  };

  const mutate = (name: string, updater: RegistryUpdater<T>) =>
    serialized(name, async () => {
      const before = entries.get(name);
      const next = await updater(before && structuredClone(before));
      if (next === null) entries.delete(name);
      else if (next !== undefined) entries.set(name, validate(name, structuredClone(next)));
      return { existed: before !== undefined, after: entries.get(name) };
    });

  return {
    async get(name) {
      const entry = entries.get(checkName(name));
      return entry && structuredClone(entry);
    },
    async list() {
      return [...entries.values()].map((entry) => structuredClone(entry));
    },
    async upsert(entry: T, merge?: RegistryMerge<T>) {
      const name = checkName(entry.name);
      const incoming = validate(name, entry);
      const { after } = await mutate(name, (cur) =>
        cur && merge ? merge(cur, incoming) : incoming,
      );
      return structuredClone(after as T);
    },
    async update(name, updater) {
      const { after } = await mutate(checkName(name), updater);
      return after && structuredClone(after);
    },
    async remove(name) {
      return (await mutate(checkName(name), () => null)).existed;
    },
  };
}

describeRegistryStore("in-memory reference store", {
  create: ({ schema }) => createMemoryStore(schema),
});
