// Benchmark of the `sandbox` command with the Docker provider, as whole processes (what a person
// or a script waits for), against a baseline measured in the same run:
//   a second `sandbox exec --keep` on a thread whose container was kept (warm: adopted)
//   vs `sandbox exec` on a fresh thread (cold: create + start + ready, removed at exit);
//   for information, `sandbox --version` (start-up without @sandbox/core or a provider).
// Prints a markdown table and writes it to .reports/bench.md.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { BUSYBOX_TEST_IMAGE, docker, ensureTestImages } from "@sandbox/aio-test-server/testing";

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");
const RUNS = 7;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

await ensureTestImages();
const dir = await mkdtemp(join(tmpdir(), "cli-bench-"));
const prefix = `cli-bench-${randomBytes(4).toString("hex")}`;
const config = join(dir, "sandbox.config.json");
await writeFile(
  config,
  JSON.stringify({
    provider: "docker",
    baseDir: "data",
    options: { image: BUSYBOX_TEST_IMAGE, pull: "never", containerPrefix: prefix },
  }),
);
const env = { ...process.env, SANDBOX_CONFIG: config, NO_COLOR: "1" };

async function sandbox(args) {
  const started = performance.now();
  await run(process.execPath, [CLI, ...args], { cwd: dir, env });
  return performance.now() - started;
}

try {
  const floor = [];
  const cold = [];
  const warm = [];
  await sandbox(["exec", "--keep", "-t", "warm", "--", "true"]);
  // Interleaved, so a change in the machine's load hits both sides alike.
  for (let round = 0; round < RUNS; round += 1) {
    floor.push(await sandbox(["--version"]));
    cold.push(await sandbox(["exec", "-t", `cold-${round}`, "--", "true"]));
    warm.push(await sandbox(["exec", "--keep", "-t", "warm", "--", "true"]));
  }
  const coldMs = median(cold);
  const warmMs = median(warm);
  const floorMs = median(floor);
  const table = [
    "| benchmark | baseline | measured | ratio | goal |",
    "| --- | --- | --- | --- | --- |",
    `| \`sandbox exec -- true\`, whole process (median of ${RUNS}) | cold (new thread) ${cold.length && coldMs.toFixed(0)} ms | kept thread (\`--keep\`) ${warmMs.toFixed(0)} ms | warm is ${(coldMs / warmMs).toFixed(1)}× faster | ≥ 3× |`,
    `| for information: \`sandbox --version\` (median of ${RUNS}) | | ${floorMs.toFixed(0)} ms | ${((floorMs / warmMs) * 100).toFixed(0)} % of a warm exec | |`,
  ].join("\n");
  console.log(table);
  await mkdir(".reports", { recursive: true });
  await writeFile(".reports/bench.md", `${table}\n`);
} finally {
  await sandbox(["rm", "--thread", "warm"]).catch(() => undefined);
  const { stdout } = await docker(["ps", "-aq", "--filter", `label=dev.sandbox.prefix=${prefix}`]);
  const left = stdout.split("\n").filter(Boolean);
  if (left.length > 0) await docker(["rm", "-f", ...left]);
  await rm(dir, { recursive: true, force: true });
}
