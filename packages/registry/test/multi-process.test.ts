import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileRegistry, entryFileName } from "../src/index.js";
import { CounterEntrySchema, NAMESPACE } from "./support/counter-entry.js";
import { startWorker } from "./support/worker-process.js";

const WORKERS = 8;
const PER_WORKER = 250;

let dir: string;
let warnings: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "registry-multi-"));
  warnings = [];
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const openRegistry = () =>
  createFileRegistry({
    dir,
    namespace: NAMESPACE,
    schema: CounterEntrySchema,
    logger: { warn: (message) => warnings.push(message) },
  });

async function runWorkers(argsFor: (index: number) => string[]): Promise<void> {
  const workers = Array.from({ length: WORKERS }, (_, index) => startWorker(argsFor(index)));
  const results = await Promise.all(workers.map((worker) => worker.exited));
  for (const [index, result] of results.entries()) {
    expect(result, `worker ${index}: ${result.stderr}`).toMatchObject({ code: 0 });
    expect(workers[index]?.lines).toContain("done");
  }
}

describe(`${WORKERS} processes writing at once`, () => {
  it(`keeps all ${WORKERS * PER_WORKER} distinct entries they upsert`, async () => {
    await runWorkers((index) => ["upsert-distinct", dir, `w${index}`, String(PER_WORKER)]);

    const entries = await openRegistry().list();
    expect(warnings).toEqual([]);
    expect(entries).toHaveLength(WORKERS * PER_WORKER);
    const expected = new Set<string>();
    for (let w = 0; w < WORKERS; w++)
      for (let i = 0; i < PER_WORKER; i++) expected.add(`w${w}-${i}`);
    expect(new Set(entries.map((e) => e.name))).toEqual(expected);
    for (const entry of entries) expect(entry.value).toBe(Number(entry.name.split("-")[1]));

    // Nothing else is left behind: no temp files, no locks.
    const files = await readdir(join(dir, NAMESPACE));
    expect(files.filter((f) => !f.endsWith(".json"))).toEqual([]);
    const sample = await readFile(join(dir, NAMESPACE, entryFileName("w3-7")), "utf8");
    expect(CounterEntrySchema.parse(JSON.parse(sample)).name).toBe("w3-7");
  });

  it(`counts exactly ${WORKERS * PER_WORKER} when they all increment one counter`, async () => {
    await runWorkers(() => ["increment", dir, "counter", String(PER_WORKER)]);

    const counter = await openRegistry().get("counter");
    expect(warnings).toEqual([]);
    expect(counter?.value).toBe(WORKERS * PER_WORKER);
    expect(await readdir(join(dir, NAMESPACE))).toEqual([entryFileName("counter")]);
  });
});
