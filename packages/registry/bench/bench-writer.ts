// One writer process of the benchmark. It serves runs until stdin closes: for each line
// "run <writers> <index> <size> <durationMs>" it upserts entries from its own slice of the
// pre-existing ones for that long, then prints "ops <count> <elapsedMs>".
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { writeFileAtomic } from "../src/atomic-write.js";
import { encodeEntry, entryFileName } from "../src/entry-file.js";
import { createFileRegistry } from "../src/index.js";
import {
  type ContainerEntry,
  ContainerEntrySchema,
  containerEntry,
  keepCreated,
  NAMESPACE,
} from "./bench-entry.js";
import { createMonolithicRegistry } from "./monolithic-registry.js";

const [kind = "", dir = ""] = process.argv.slice(2);

// "bare": the disk's ceiling for this workload, the sharded layout's atomic write alone (temp
// file, fsync, rename, directory fsync) with no lock, no read and no validation. "bare-nodir":
// the same without the directory fsync, the most that grouping directory fsyncs could give.
function bareWriter(syncDirectory: boolean): {
  upsert(entry: ContainerEntry, merge?: unknown): Promise<ContainerEntry>;
} {
  const directory = join(dir, NAMESPACE);
  mkdirSync(directory, { recursive: true });
  return {
    async upsert(entry) {
      await writeFileAtomic(join(directory, entryFileName(entry.name)), encodeEntry(entry), {
        syncDirectory,
      });
      return entry;
    },
  };
}

const store =
  kind === "sharded"
    ? createFileRegistry({ dir, namespace: NAMESPACE, schema: ContainerEntrySchema })
    : kind === "bare" || kind === "bare-nodir"
      ? bareWriter(kind === "bare")
      : createMonolithicRegistry({ dir, schema: ContainerEntrySchema });

async function run(writers: number, index: number, size: number, durationMs: number) {
  const slice = Math.floor(size / writers);
  const first = index * slice;
  const started = performance.now();
  const deadline = started + durationMs;
  let ops = 0;
  while (performance.now() < deadline) {
    await store.upsert(containerEntry(first + (ops % slice), Date.now()), keepCreated);
    ops++;
  }
  return { ops, elapsedMs: performance.now() - started };
}

process.stdout.write("ready\n");
for await (const line of createInterface({ input: process.stdin })) {
  const [command, ...args] = line.split(" ").filter(Boolean);
  if (command !== "run") continue;
  const [writers = 1, index = 0, size = 0, durationMs = 0] = args.map(Number);
  const { ops, elapsedMs } = await run(writers, index, size, durationMs);
  process.stdout.write(`ops ${ops} ${elapsedMs}\n`);
}
