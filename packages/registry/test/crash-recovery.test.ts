import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileRegistry, entryFileName } from "../src/index.js";
import { CounterEntrySchema, NAMESPACE } from "./support/counter-entry.js";
import { startWorker } from "./support/worker-process.js";

const KILLS = Number(process.env.REGISTRY_KILLS ?? 200);
// Two writers at a time: besides torn writes, a kill can leave a lock the other one must break.
const PARALLEL = 2;
const MAX_RUN_MS = 40;

interface Acks {
  upserted: Set<string>;
  increments: number;
  maxCounter: number;
  killedRuns: number;
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "registry-crash-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function killOneWriter(run: number, acks: Acks): Promise<void> {
  const worker = startWorker(["write-until-killed", dir, String(run)]);
  await worker.waitForLine((line) => line === "ready");
  await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_RUN_MS));
  worker.kill("SIGKILL");
  const { signal, stderr } = await worker.exited;
  expect(signal, `run ${run} ended on its own: ${stderr}`).toBe("SIGKILL");
  acks.killedRuns++;
  for (const line of worker.lines) {
    const [kind, value] = line.split(" ");
    if (kind === "upsert" && value) acks.upserted.add(value);
    if (kind === "increment") {
      acks.increments++;
      acks.maxCounter = Math.max(acks.maxCounter, Number(value));
    }
  }
}

describe(`a writer killed with SIGKILL at random moments, ${KILLS} times`, () => {
  const acks: Acks = { upserted: new Set(), increments: 0, maxCounter: 0, killedRuns: 0 };

  beforeAll(async () => {
    let next = 0;
    const lane = async () => {
      while (next < KILLS) await killOneWriter(next++, acks);
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
  }, 300_000);

  it("was killed every time, after acknowledging writes", () => {
    expect(acks.killedRuns).toBe(KILLS);
    expect(acks.upserted.size).toBeGreaterThan(0);
    expect(acks.increments).toBeGreaterThan(0);
  });

  it("left only entry files that parse and validate", async () => {
    const directory = join(dir, NAMESPACE);
    const entryFiles = (await readdir(directory)).filter((f) => /^[0-9a-f]{64}\.json$/.test(f));
    for (const file of entryFiles) {
      const entry = CounterEntrySchema.parse(
        JSON.parse(await readFile(join(directory, file), "utf8")),
      );
      expect(entryFileName(entry.name)).toBe(file);
    }
    const warnings: string[] = [];
    const registry = createFileRegistry({
      dir,
      namespace: NAMESPACE,
      schema: CounterEntrySchema,
      logger: { warn: (message) => warnings.push(message) },
    });
    expect(await registry.list()).toHaveLength(entryFiles.length);
    expect(warnings).toEqual([]);
  });

  it("lost no acknowledged entry and no acknowledged increment", async () => {
    const registry = createFileRegistry({ dir, namespace: NAMESPACE, schema: CounterEntrySchema });
    const names = new Set((await registry.list()).map((entry) => entry.name));
    const missing = [...acks.upserted].filter((name) => !names.has(name));
    expect(missing).toEqual([]);
    // Each kill can add at most one increment that was committed but never acknowledged.
    const counter = (await registry.get("counter"))?.value ?? 0;
    expect(counter).toBeGreaterThanOrEqual(acks.increments);
    expect(counter).toBeGreaterThanOrEqual(acks.maxCounter);
    expect(counter).toBeLessThanOrEqual(acks.increments + KILLS);
  });

  it("is repaired by doctor: dead owners' locks and temp files go, nothing else changes", async () => {
    const registry = createFileRegistry({ dir, namespace: NAMESPACE, schema: CounterEntrySchema });
    const before = await registry.list();
    const report = await registry.doctor({ fix: true, strayFileMaxAgeMs: 0 });
    expect(report.invalidEntries).toEqual([]);
    expect(report.activeLocks).toBe(0);
    for (const lock of report.staleLocks) {
      expect(lock, JSON.stringify(report)).toMatchObject({ reason: "owner-dead", removed: true });
    }
    expect(report.unknownFiles).toEqual([]);
    expect(await registry.list()).toEqual(before);
    const files = await readdir(join(dir, NAMESPACE));
    expect(files.filter((f) => !/^[0-9a-f]{64}\.json$/.test(f))).toEqual([]);
    expect((await registry.doctor()).healthy).toBe(true);
  });
});
