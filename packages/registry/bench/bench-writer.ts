// One writer process of the benchmark. It serves runs until stdin closes: for each line
// "run <writers> <index> <size> <durationMs>" it upserts entries from its own slice of the
// pre-existing ones for that long, then prints "ops <count> <elapsedMs>".
import { createInterface } from "node:readline";
import { createFileRegistry } from "../src/index.js";
import { ContainerEntrySchema, containerEntry, keepCreated, NAMESPACE } from "./bench-entry.js";
import { createMonolithicRegistry } from "./monolithic-registry.js";

const [kind = "", dir = ""] = process.argv.slice(2);

const store =
  kind === "sharded"
    ? createFileRegistry({ dir, namespace: NAMESPACE, schema: ContainerEntrySchema })
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
