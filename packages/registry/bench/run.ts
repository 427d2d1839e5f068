// The registry benchmark: the sharded store against the old layout (one JSON file behind one
// lock, see monolithic-registry.ts), measured in the same run on the same disk.
//
//   pnpm --filter @sandbox/registry bench
//
// Writes: 1, 4 and 8 writer processes upsert entries (each its own slice of the pre-existing
// ones, with the Docker provider's keep-createdAt merge) for a fixed time, at 1,000 and 10,000
// pre-existing entries. Reads: single-entry `get` at 10,000 entries. Prints a markdown table and
// writes it to .reports/bench.md. BENCH_DURATION_MS (default 3000) sets the time per write run.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { encodeEntry, entryFileName } from "../src/entry-file.js";
import { createFileRegistry } from "../src/index.js";
import { bundleScript } from "../test/support/bundle-script.js";
import { ContainerEntrySchema, containerEntry, entryName, NAMESPACE } from "./bench-entry.js";
import { createMonolithicRegistry } from "./monolithic-registry.js";

type Kind = "monolithic" | "sharded";

const SIZES = [1_000, 10_000];
const WRITER_COUNTS = [1, 4, 8];
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
const GOAL_WRITE_RATIO = 20;
const GOAL_READ_MEDIAN_MS = 0.1;

const startedAt = performance.now();
const work = await mkdtemp(join(tmpdir(), "registry-bench-"));
const writerScript = join(work, "bench-writer.mjs");

function storeDir(kind: Kind, size: number): string {
  return join(work, `${kind}-${size}`);
}

// Setup, not measured: the sharded files are written directly (10,000 fsynced upserts would
// only slow the run down), the monolithic file in one write.
async function populate(kind: Kind, size: number): Promise<void> {
  const dir = storeDir(kind, size);
  const now = Date.now();
  const entries = Array.from({ length: size }, (_, i) => containerEntry(i, now));
  if (kind === "sharded") {
    const namespaceDir = join(dir, NAMESPACE);
    mkdirSync(namespaceDir, { recursive: true });
    for (const entry of entries) {
      writeFileSync(join(namespaceDir, entryFileName(entry.name)), encodeEntry(entry));
    }
  } else {
    await mkdir(dir, { recursive: true });
    await createMonolithicRegistry({ dir, schema: ContainerEntrySchema }).replaceAll(entries);
  }
}

interface WriterResult {
  ops: number;
  elapsedMs: number;
}

function startWriter(args: string[]): {
  ready: Promise<void>;
  go(): void;
  done: Promise<WriterResult>;
} {
  const child = spawn(process.execPath, [writerScript, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    if (output.includes("ready\n")) markReady();
  });
  const done = new Promise<WriterResult>((resolve, reject) => {
    child.on("close", (code) => {
      const match = /ops (\d+) ([\d.]+)/.exec(output);
      if (code !== 0 || !match) reject(new Error(`writer failed (exit ${code}): ${output}`));
      else resolve({ ops: Number(match[1]), elapsedMs: Number(match[2]) });
    });
  });
  return { ready, go: () => child.stdin.end("go\n"), done };
}

/** Upserts per second of `writers` processes together. */
async function measureWrites(kind: Kind, size: number, writers: number): Promise<number> {
  const runs = Array.from({ length: writers }, (_, w) =>
    startWriter([
      kind,
      storeDir(kind, size),
      String(w),
      String(writers),
      String(size),
      String(DURATION_MS),
    ]),
  );
  await Promise.all(runs.map((run) => run.ready));
  for (const run of runs) run.go();
  const results = await Promise.all(runs.map((run) => run.done));
  return results.reduce((sum, r) => sum + r.ops / (r.elapsedMs / 1000), 0);
}

interface ReadTimes {
  medianMs: number;
  p95Ms: number;
}

async function measureReads(kind: Kind, size: number, samples: number): Promise<ReadTimes> {
  const dir = storeDir(kind, size);
  const store =
    kind === "sharded"
      ? createFileRegistry({ dir, namespace: NAMESPACE, schema: ContainerEntrySchema })
      : createMonolithicRegistry({ dir, schema: ContainerEntrySchema });
  const pick = () => entryName(Math.floor(Math.random() * size));
  for (let i = 0; i < Math.min(samples, 500); i++) await store.get(pick());
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const name = pick();
    const start = performance.now();
    const entry = await store.get(name);
    times.push(performance.now() - start);
    if (entry?.name !== name) throw new Error(`${kind}: get(${name}) returned ${entry?.name}`);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN,
    p95Ms: times[Math.floor(times.length * 0.95)] ?? Number.NaN,
  };
}

const rate = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number) => (n >= 1 ? `${n.toFixed(1)} ms` : `${n.toFixed(3)} ms`);
const times = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×`;
const thousands = (n: number) => n.toLocaleString("en-US");

try {
  await bundleScript(new URL("./bench-writer.ts", import.meta.url), writerScript);
  const rows: string[] = [];
  let goalWriteRatio = Number.NaN;
  let read: { monolithic: ReadTimes; sharded: ReadTimes } | undefined;

  for (const size of SIZES) {
    await populate("monolithic", size);
    await populate("sharded", size);
    for (const writers of WRITER_COUNTS) {
      const monolithic = await measureWrites("monolithic", size, writers);
      const sharded = await measureWrites("sharded", size, writers);
      const ratio = sharded / monolithic;
      if (size === 1_000 && writers === 8) goalWriteRatio = ratio;
      const label = `upserts/s, ${writers} writer${writers > 1 ? "s" : ""}, ${thousands(size)} entries`;
      rows.push(`| ${label} | ${rate(monolithic)} | ${rate(sharded)} | ${times(ratio)} |`);
      process.stderr.write(`${label}: baseline ${rate(monolithic)}, sharded ${rate(sharded)}\n`);
    }
    if (size === 10_000) {
      read = {
        monolithic: await measureReads("monolithic", size, 200),
        sharded: await measureReads("sharded", size, 20_000),
      };
    }
    await rm(storeDir("monolithic", size), { recursive: true, force: true });
    await rm(storeDir("sharded", size), { recursive: true, force: true });
  }

  if (read) {
    const { monolithic, sharded } = read;
    rows.push(
      `| get, 10,000 entries, median | ${ms(monolithic.medianMs)} | ${ms(sharded.medianMs)} | ${times(monolithic.medianMs / sharded.medianMs)} |`,
      `| get, 10,000 entries, p95 | ${ms(monolithic.p95Ms)} | ${ms(sharded.p95Ms)} | ${times(monolithic.p95Ms / sharded.p95Ms)} |`,
    );
  }
  const readMedian = read?.sharded.medianMs ?? Number.NaN;
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const table = [
    "| Measure | Baseline: one file, one lock | Sharded store | Ratio |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
    "",
    `Goals: 8 writers at 1,000 entries at least ${GOAL_WRITE_RATIO}× the baseline: ${times(goalWriteRatio)}, ${verdict(goalWriteRatio >= GOAL_WRITE_RATIO)}. ` +
      `Single-entry get at 10,000 entries under ${GOAL_READ_MEDIAN_MS} ms median: ${ms(readMedian)}, ${verdict(readMedian < GOAL_READ_MEDIAN_MS)}.`,
    "",
    `Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end, ` +
      `${DURATION_MS} ms per write run, every write fsynced; run took ${((performance.now() - startedAt) / 1000).toFixed(0)} s.`,
  ].join("\n");
  console.log(table);
  await mkdir(".reports", { recursive: true });
  await writeFile(join(".reports", "bench.md"), `${table}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
