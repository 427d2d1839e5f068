// The registry benchmark: the sharded store against the old layout (one JSON file behind one
// lock, see monolithic-registry.ts), measured in the same run on the same disk.
//
//   pnpm --filter @sandbox/registry bench
//
// Writes: 1, 4 and 8 writer processes upsert entries (each its own slice of the pre-existing
// ones, with the Docker provider's keep-createdAt merge) for a fixed time, at 1,000 and 10,000
// pre-existing entries. Reads: single-entry `get` at 10,000 entries. Prints a markdown table and
// writes it to .reports/bench.md. BENCH_RUN_MS (default 1000) sets the time per write run;
// BENCH_DIR (default the OS temp directory) where the stores live.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { encodeEntry, entryFileName } from "../src/entry-file.js";
import { createFileRegistry } from "../src/index.js";
import { bundleScript } from "../test/support/bundle-script.js";
import { childEnvironment } from "../test/support/child-environment.js";
import { ContainerEntrySchema, containerEntry, entryName, NAMESPACE } from "./bench-entry.js";
import { createMonolithicRegistry } from "./monolithic-registry.js";

type Kind = "monolithic" | "sharded" | "bare" | "bare-nodir";

const SIZES = [1_000, 10_000];
const WRITER_COUNTS = [1, 4, 8];
// Each figure is the median of REPEATS runs of RUN_MS, interleaved (baseline, sharded, then
// sharded, baseline, ...) so that a change in machine load hits both sides alike, and one
// disturbed run does not move the figure.
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 1_000);
const REPEATS = 4;
const GOAL_WRITE_RATIO = 20;
const GOAL_READ_MEDIAN_MS = 0.1;
const maxWritersLabel = `${Math.max(...WRITER_COUNTS)} processes`;

const startedAt = performance.now();
// BENCH_DIR puts the stores on another file system, e.g. /dev/shm to take the disk out.
const work = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), "registry-bench-"));
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

interface WriterProcess {
  run(writers: number, index: number, size: number): Promise<{ ops: number; elapsedMs: number }>;
  close(): Promise<void>;
}

// Writer processes are started once per store and serve every run, so start-up costs stay out
// of the figures and the run stays short.
async function startWriter(kind: Kind, size: number): Promise<WriterProcess> {
  // The bare writers rewrite the sharded store's files.
  const dir = storeDir(kind.startsWith("bare") ? "sharded" : kind, size);
  const child = spawn(process.execPath, [writerScript, kind, dir], {
    stdio: ["pipe", "pipe", "inherit"],
    env: childEnvironment(),
  });
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      void closed.then(() => reject(new Error(`the ${kind} writer exited`)));
    });
  if ((await nextLine()) !== "ready") throw new Error(`the ${kind} writer did not start`);
  return {
    async run(writers, index, runSize) {
      const reply = nextLine();
      child.stdin.write(`run ${writers} ${index} ${runSize} ${RUN_MS}\n`);
      const match = /^ops (\d+) ([\d.]+)$/.exec(await reply);
      if (!match) throw new Error(`the ${kind} writer replied ${await reply}`);
      return { ops: Number(match[1]), elapsedMs: Number(match[2]) };
    },
    close() {
      child.stdin.end();
      return closed;
    },
  };
}

/** Upserts per second of the first `writers` processes of `pool`, writing together. */
async function measureWrites(
  pool: WriterProcess[],
  size: number,
  writers: number,
): Promise<number> {
  const results = await Promise.all(
    pool.slice(0, writers).map((writer, index) => writer.run(writers, index, size)),
  );
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle)
    ? ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2
    : (sorted[Math.floor(middle)] ?? Number.NaN);
}
const rate = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const ms = (n: number) => (n >= 1 ? `${n.toFixed(1)} ms` : `${n.toFixed(3)} ms`);
const times = (n: number) => `${n >= 10 ? n.toFixed(0) : n.toFixed(1)}×`;
const thousands = (n: number) => n.toLocaleString("en-US");

try {
  await bundleScript(new URL("./bench-writer.ts", import.meta.url), writerScript);
  const rows: string[] = [];
  let goalWriteRatio = Number.NaN;
  let goalBaseline = Number.NaN;
  let ceiling = Number.NaN;
  let ceilingWithoutDirectorySync = Number.NaN;
  let read: { monolithic: ReadTimes; sharded: ReadTimes } | undefined;

  for (const size of SIZES) {
    await populate("monolithic", size);
    await populate("sharded", size);
    const maxWriters = Math.max(...WRITER_COUNTS);
    const pools = {
      monolithic: await Promise.all(
        Array.from({ length: maxWriters }, () => startWriter("monolithic", size)),
      ),
      sharded: await Promise.all(
        Array.from({ length: maxWriters }, () => startWriter("sharded", size)),
      ),
    };
    // At the goal's point, also the disk's ceiling: what no store can exceed on this machine.
    // And the same without directory fsyncs: what batching them (group commit) could at best add.
    const bare =
      size === 1_000 ? await Promise.all(pools.sharded.map(() => startWriter("bare", size))) : [];
    const bareNoDir =
      size === 1_000
        ? await Promise.all(pools.sharded.map(() => startWriter("bare-nodir", size)))
        : [];
    for (const writers of WRITER_COUNTS) {
      const rates: Record<Kind, number[]> = {
        monolithic: [],
        sharded: [],
        bare: [],
        "bare-nodir": [],
      };
      const kinds: Kind[] = ["monolithic", "sharded"];
      if (bare.length > 0 && writers === maxWriters) kinds.push("bare", "bare-nodir");
      const runners: Record<Kind, WriterProcess[]> = { ...pools, bare, "bare-nodir": bareNoDir };
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        const order = repeat % 2 ? [...kinds].reverse() : kinds;
        for (const kind of order)
          rates[kind].push(await measureWrites(runners[kind], size, writers));
      }
      if (rates.bare.length > 0) ceiling = median(rates.bare);
      if (rates["bare-nodir"].length > 0) {
        ceilingWithoutDirectorySync = median(rates["bare-nodir"]);
      }
      const monolithic = median(rates.monolithic);
      const sharded = median(rates.sharded);
      const ratio = sharded / monolithic;
      if (size === 1_000 && writers === maxWriters) {
        goalWriteRatio = ratio;
        goalBaseline = monolithic;
      }
      const label = `upserts/s, ${writers} writer${writers > 1 ? "s" : ""}, ${thousands(size)} entries`;
      rows.push(`| ${label} | ${rate(monolithic)} | ${rate(sharded)} | ${times(ratio)} |`);
      process.stderr.write(`${label}: baseline ${rate(monolithic)}, sharded ${rate(sharded)}\n`);
    }
    await Promise.all(
      [...pools.monolithic, ...pools.sharded, ...bare, ...bareNoDir].map((writer) =>
        writer.close(),
      ),
    );
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
    `Disk ceiling, same run: ${maxWritersLabel} doing only the sharded layout's atomic write (temp file, fsync, rename, directory fsync; no lock, no read, no validation) manage ${rate(ceiling)} writes/s at 1,000 entries, ` +
      `so no store that fsyncs every write can beat this baseline by more than ${times(ceiling / goalBaseline)} on this machine; the sharded store reaches ${Math.round((goalWriteRatio * goalBaseline * 100) / ceiling)}% of that ceiling. ` +
      `Without the directory fsync (the most that grouping directory fsyncs across writers could give) the same processes manage ${rate(ceilingWithoutDirectorySync)} writes/s, ${times(ceilingWithoutDirectorySync / goalBaseline)} the baseline.`,
    "",
    `Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)} at the end, ` +
      `each write figure the median of ${REPEATS} interleaved runs of ${RUN_MS} ms, every write fsynced; run took ${((performance.now() - startedAt) / 1000).toFixed(0)} s.`,
  ].join("\n");
  console.log(table);
  await mkdir(".reports", { recursive: true });
  await writeFile(join(".reports", "bench.md"), `${table}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
