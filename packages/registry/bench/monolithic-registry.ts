import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryEntry, RegistryMerge } from "@sandbox/core";
import type { z } from "zod";
import { withFileLock, writeFileAtomic } from "../src/index.js";

/**
 * The baseline: the registry the way it used to be kept. One JSON file (`{ "entries": [...] }`)
 * for every entry, behind one lock, rewritten whole on every change. It uses the same atomic
 * write and the same lock as the sharded store, so the benchmark compares layouts, nothing else.
 */
export interface MonolithicRegistry<T extends RegistryEntry> {
  get(name: string): Promise<T | undefined>;
  upsert(entry: T, merge?: RegistryMerge<T>): Promise<T>;
  /** Replaces the whole file (benchmark setup). */
  replaceAll(entries: T[]): Promise<void>;
}

export function createMonolithicRegistry<T extends RegistryEntry>(options: {
  dir: string;
  schema: z.ZodType<T>;
}): MonolithicRegistry<T> {
  const file = join(options.dir, "registry.json");
  const lockOptions = { staleMs: 60_000, timeoutMs: 120_000, subject: "the registry file" };

  async function readAll(): Promise<T[]> {
    try {
      return (JSON.parse(await readFile(file, "utf8")) as { entries: T[] }).entries;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  }

  const write = (entries: T[]) => writeFileAtomic(file, JSON.stringify({ entries }, null, 2));

  return {
    async get(name) {
      const found = (await readAll()).find((entry) => entry.name === name);
      return found && options.schema.parse(found);
    },

    async upsert(entry, merge) {
      const incoming = options.schema.parse(entry);
      const { value } = await withFileLock(`${file}.lock`, lockOptions, async () => {
        const entries = await readAll();
        const index = entries.findIndex((e) => e.name === incoming.name);
        const existing = index >= 0 ? entries[index] : undefined;
        const stored =
          existing && merge ? options.schema.parse(merge(existing, incoming)) : incoming;
        if (index >= 0) entries[index] = stored;
        else entries.push(stored);
        await write(entries);
        return stored;
      });
      return value;
    },

    async replaceAll(entries) {
      await withFileLock(`${file}.lock`, lockOptions, () => write(entries));
    },
  };
}
