// Benchmarks of the local provider against baselines measured in the same run:
//   pnpm --filter @sandbox/provider-local bench
// Prints a markdown table and writes it to .reports/bench.md.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { createLocalProvider } from "../src/index.js";
import { findBwrap } from "../src/isolation/bwrap-probe.js";
import { measure, measurePair, type Timing } from "./measure.js";

interface Row {
  name: string;
  ours: Timing;
  baselineName: string;
  baseline: Timing;
  goal: string;
  met: boolean | undefined;
}

function rawShell(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", command], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.resume();
    child.stderr.resume();
    child.once("error", reject);
    child.once("close", () => resolve());
  });
}

function format(us: number): string {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(2)} µs`;
}

const dir = await mkdtemp(join(tmpdir(), "provider-local-bench-"));
const rows: Row[] = [];
try {
  const baseDir = join(dir, "base");
  const provider = await createLocalProvider({}, { baseDir });

  // Cached acquire: the thread is in the LRU cache; baseline is a bare resolved-promise await.
  const cachedId = await provider.acquire("bench-cached", { userId: "bench" });
  const cached = await measure(() => provider.acquire("bench-cached", { userId: "bench" }), {
    samples: 200,
    batch: 1000,
    warmup: 20_000,
  });
  const awaitBaseline = await measure(() => Promise.resolve(cachedId), {
    samples: 200,
    batch: 1000,
    warmup: 20_000,
  });
  rows.push({
    name: "cached acquire",
    ours: cached,
    baselineName: "`await Promise.resolve()`",
    baseline: awaitBaseline,
    goal: "< 5 µs",
    met: cached.medianUs < 5,
  });

  // Cold acquire: a new thread each time (directories + mapper); baseline creates the same
  // four directories with fs.mkdir and nothing else.
  const cold = await measure((index) => provider.acquire(`cold-${index}`, { userId: "bench" }), {
    samples: 300,
    warmup: 30,
  });
  const mkdirBaseline = await measure(
    (index) => {
      const root = join(dir, "raw", `t-${index}`);
      return Promise.all(
        ["user-data/workspace", "user-data/uploads", "user-data/outputs", "acp-workspace"].map(
          (sub) => mkdir(join(root, sub), { recursive: true }),
        ),
      );
    },
    { samples: 300, warmup: 30 },
  );
  rows.push({
    name: "cold acquire (new thread)",
    ours: cold,
    baselineName: "4 × `fs.mkdir -p`",
    baseline: mkdirBaseline,
    goal: "",
    met: undefined,
  });

  // Exec overhead: sandbox.exec("true") against a raw spawn of the same shell, alternating.
  const sandbox = (await provider.get(cachedId)) as Sandbox;
  await writeFile(join(dir, "warm"), "");
  const exec = await measurePair(
    () => sandbox.exec("true"),
    () => rawShell("true"),
    {
      samples: 300,
      warmup: 30,
    },
  );
  rows.push({
    name: 'exec("true")',
    ours: exec.ours,
    baselineName: '`spawn("/bin/sh", ["-c", "true"])`',
    baseline: exec.baseline,
    goal: "≤ 1.2× raw spawn",
    met: exec.ours.medianUs / exec.baseline.medianUs <= 1.2,
  });

  if (process.platform === "linux" && findBwrap()) {
    const isolated = await createLocalProvider({ isolation: "bwrap" }, { baseDir });
    const bwrapSandbox = (await isolated.get(await isolated.acquire("bench-bwrap"))) as Sandbox;
    const bwrapExec = await measurePair(
      () => bwrapSandbox.exec("true"),
      () => rawShell("true"),
      {
        samples: 100,
        warmup: 10,
      },
    );
    rows.push({
      name: 'exec("true"), isolation: bwrap',
      ours: bwrapExec.ours,
      baselineName: '`spawn("/bin/sh", ["-c", "true"])`',
      baseline: bwrapExec.baseline,
      goal: "(informational)",
      met: undefined,
    });
    await isolated.shutdown();
  }
  await provider.shutdown();
} finally {
  await rm(dir, { recursive: true, force: true });
}

const lines = [
  "| Benchmark | Median | p95 | Baseline | Baseline median | Ratio (median) | Goal |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map((row) => {
    const ratio = row.ours.medianUs / row.baseline.medianUs;
    const verdict = row.met === undefined ? row.goal : `${row.goal} ${row.met ? "✅" : "❌"}`;
    return `| ${row.name} | ${format(row.ours.medianUs)} | ${format(row.ours.p95Us)} | ${row.baselineName} | ${format(row.baseline.medianUs)} | ${ratio.toFixed(2)}× | ${verdict.trim()} |`;
  }),
];
const load = loadavg()
  .map((value) => value.toFixed(1))
  .join(" / ");
const table = `${lines.join("\n")}\n\nNode ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs, load average ${load} (1/5/15 min), ${new Date().toISOString().slice(0, 10)}.\n`;
console.log(table);
await mkdir(".reports", { recursive: true });
await writeFile(join(".reports", "bench.md"), table);
