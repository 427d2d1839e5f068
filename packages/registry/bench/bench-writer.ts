// One writer process of the benchmark: waits for "go" on stdin, upserts entries from its own
// slice of the pre-existing ones for the given time, then prints its count and elapsed time.
import { createInterface } from "node:readline";
import { createFileRegistry } from "../src/index.js";
import { ContainerEntrySchema, containerEntry, keepCreated, NAMESPACE } from "./bench-entry.js";
import { createMonolithicRegistry } from "./monolithic-registry.js";

const [kind = "", dir = "", writer = "0", writers = "1", existing = "0", durationMs = "0"] =
  process.argv.slice(2);

const store =
  kind === "sharded"
    ? createFileRegistry({ dir, namespace: NAMESPACE, schema: ContainerEntrySchema })
    : createMonolithicRegistry({ dir, schema: ContainerEntrySchema });

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
await new Promise<void>((resolve) => lines.once("line", () => resolve()));
lines.close();

const slice = Math.floor(Number(existing) / Number(writers));
const first = Number(writer) * slice;
const started = performance.now();
const deadline = started + Number(durationMs);
let ops = 0;
while (performance.now() < deadline) {
  await store.upsert(containerEntry(first + (ops % slice), Date.now()), keepCreated);
  ops++;
}
process.stdout.write(`ops ${ops} ${performance.now() - started}\n`);
