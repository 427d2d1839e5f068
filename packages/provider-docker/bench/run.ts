// Benchmarks of @sandbox/provider-docker, each against a baseline measured in the same run:
//   1. cold acquire (create + start + ready) vs warm reclaim (release, acquire again);
//   2. one exec round trip through the provider vs `docker exec` of the CLI, same container;
//      for information, also the raw Docker exec API and the provider without resident shells
//      (`residentShells: 0`, one Docker exec per command).
// Prints a markdown table and writes it to .reports/bench.md.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BUSYBOX_TEST_IMAGE, ensureTestImages } from "@sandbox/aio-test-server/testing";
import Docker from "dockerode";
import { createDockerProvider } from "../src/index.js";

const run = promisify(execFile);
const COLD_RUNS = 5;
const EXEC_RUNS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));

await ensureTestImages();
const baseDir = await mkdtemp(join(tmpdir(), "pd-bench-"));
const provider = await createDockerProvider(
  {
    image: BUSYBOX_TEST_IMAGE,
    containerPrefix: `bench-${process.pid}`,
    replicas: COLD_RUNS + 2,
    idleTimeoutMs: 0,
  },
  { baseDir },
);
// The same provider without resident shells: what every command cost before them.
const oneShotProvider = await createDockerProvider(
  {
    image: BUSYBOX_TEST_IMAGE,
    containerPrefix: `bench-${process.pid}-oneshot`,
    residentShells: 0,
    idleTimeoutMs: 0,
  },
  { baseDir },
);
try {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let run = 0; run < COLD_RUNS; run += 1) {
    const thread = `bench-${run}`;
    let id = "";
    cold.push(await timed(async () => (id = await provider.acquire(thread))));
    for (let again = 0; again < 5; again += 1) {
      await provider.release(id);
      warm.push(await timed(() => provider.acquire(thread)));
    }
  }

  const id = await provider.acquire("bench-exec");
  const sandbox = await provider.get(id);
  if (!sandbox) throw new Error("no sandbox");
  const oneShot = await oneShotProvider.get(await oneShotProvider.acquire("bench-one-shot"));
  if (!oneShot) throw new Error("no sandbox");
  const container = `bench-${process.pid}-${id}`;
  const viaProvider: number[] = [];
  const viaCli: number[] = [];
  const viaApi: number[] = [];
  const viaOneShot: number[] = [];
  const raw = new Docker().getContainer(container);
  // The floor any Docker-exec client pays: create, start (hijacked stream), inspect.
  const rawExec = async () => {
    const exec = await raw.exec({
      Cmd: ["/bin/sh", "-c", "true"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    stream.resume();
    await new Promise((resolve) => stream.once("end", resolve));
    await exec.inspect();
  };
  for (let round = 0; round < EXEC_RUNS; round += 1) {
    viaProvider.push(await timed(() => sandbox.exec("true")));
    viaCli.push(await timed(() => run("docker", ["exec", container, "/bin/sh", "-c", "true"])));
    viaApi.push(await timed(rawExec));
    viaOneShot.push(await timed(() => oneShot.exec("true")));
  }

  const coldMs = median(cold);
  const warmMs = median(warm);
  const providerMs = median(viaProvider);
  const cliMs = median(viaCli);
  const apiMs = median(viaApi);
  const oneShotMs = median(viaOneShot);
  const table = [
    "| benchmark | baseline | provider | ratio | goal |",
    "| --- | --- | --- | --- | --- |",
    `| acquire: warm reclaim vs cold start (median of ${warm.length} / ${cold.length}) | cold ${ms(coldMs)} ms | warm ${ms(warmMs)} ms | warm is ${(coldMs / warmMs).toFixed(0)}× faster | ≥ 250× |`,
    `| exec \`true\` round trip (median of ${EXEC_RUNS}) | \`docker exec\` CLI ${ms(cliMs)} ms | ${ms(providerMs)} ms | ${(providerMs / cliMs).toFixed(2)} of the CLI's time | ≤ 0.5 |`,
    `| exec \`true\`, for information (median of ${EXEC_RUNS}) | raw Docker exec API (dockerode) ${ms(apiMs)} ms | ${ms(providerMs)} ms | ${(providerMs / apiMs).toFixed(2)} of the raw API's time | |`,
    `| exec \`true\`, for information (median of ${EXEC_RUNS}) | provider with \`residentShells: 0\` ${ms(oneShotMs)} ms | ${ms(providerMs)} ms | ${(providerMs / oneShotMs).toFixed(2)} of its time | |`,
  ].join("\n");
  console.log(table);
  await mkdir(".reports", { recursive: true });
  await writeFile(".reports/bench.md", `${table}\n`);
} finally {
  await Promise.all([provider.shutdown(), oneShotProvider.shutdown()]);
  await rm(baseDir, { recursive: true, force: true });
}
