// The Docker provider's warm pool, step by step:
//   1. a thread's first acquire starts a container (cold start, timed);
//   2. release parks it, still running; the next acquire reclaims it (warm, timed, same container);
//   3. with replicas: 2, a third thread evicts the oldest warm container; active ones are never
//      stopped, so a fourth busy thread goes over the soft cap with a warning;
//   4. shutdown removes every container it started; a fresh provider finds none.
//
//   pnpm --filter @sandbox/example-docker-warm-pool start
//   SANDBOX_IMAGE=ghcr.io/agent-infra/sandbox:latest pnpm --filter ... start   # a real image
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSandboxProvider, type SandboxProvider } from "@sandbox/core";
import { timed } from "./timing.js";

const TEST_IMAGE = "sandbox-test/busybox:latest";
const image = process.env.SANDBOX_IMAGE ?? TEST_IMAGE;
const baseDir = await mkdtemp(join(tmpdir(), "warm-pool-"));
// A prefix of its own, so this demo never touches another process's containers.
const containerPrefix = `warm-pool-${randomBytes(3).toString("hex")}`;
const warnings: string[] = [];

function open(): Promise<SandboxProvider> {
  return createSandboxProvider({
    provider: "@sandbox/provider-docker",
    baseDir,
    options: {
      image,
      containerPrefix,
      replicas: 2,
      // The test image is built locally; a real image is pulled when missing.
      pull: image === TEST_IMAGE ? "never" : "missing",
      logger: { warn: (message: string) => warnings.push(message) },
    },
  });
}

// The short container id of every sandbox, from the provider's inventory.
async function containers(provider: SandboxProvider): Promise<Map<string, string>> {
  const listed = (await provider.list?.()) ?? [];
  return new Map(
    listed.map((info) => [info.threadId ?? info.id, String(info.details?.containerId)]),
  );
}

async function states(provider: SandboxProvider): Promise<string> {
  const listed = (await provider.list?.()) ?? [];
  return listed
    .map((info) => `${info.threadId}=${info.state}`)
    .sort()
    .join(" ");
}

const provider = await open();
try {
  console.log(`image ${image}, replicas 2, prefix ${containerPrefix}`);

  console.log("\n1. cold start");
  const cold = await timed(() => provider.acquire("thread-a"));
  const first = (await containers(provider)).get("thread-a");
  console.log(`cold start thread-a: ${cold.ms} ms (container ${first})`);
  const hello = await (await provider.get(cold.value))?.exec("echo hello from $(hostname)");
  console.log(`exec: ${hello?.stdout.trim()}`);

  console.log("\n2. release, then reclaim from the warm pool");
  await provider.release(cold.value);
  console.log(`after release: ${await states(provider)}`);
  const warm = await timed(() => provider.acquire("thread-a"));
  const again = (await containers(provider)).get("thread-a");
  console.log(
    `warm reclaim thread-a: ${warm.ms} ms (same container: ${again === first ? "yes" : "no"})`,
  );
  console.log(`cold / warm: ${(cold.ms / Math.max(warm.ms, 1)).toFixed(0)}x`);
  await provider.release(warm.value);

  console.log("\n3. the replicas cap");
  await provider.release(await provider.acquire("thread-b"));
  console.log(`two warm: ${await states(provider)}`);
  const c = await provider.acquire("thread-c");
  const afterC = await containers(provider);
  const evicted = ["thread-a", "thread-b"].filter((thread) => !afterC.has(thread));
  console.log(
    `thread-c acquired: ${await states(provider)} (evicted: ${evicted.join(", ") || "none"})`,
  );
  const back = await timed(() => provider.acquire("thread-a"));
  const a = back.value;
  console.log(`thread-a back, a cold start again (${back.ms} ms): ${await states(provider)}`);
  const d = await provider.acquire("thread-d");
  console.log(`thread-d while a and c are busy: ${await states(provider)}`);
  for (const warning of warnings) console.log(`warning: ${warning}`);
  for (const id of [a, c, d]) await provider.release(id);
  console.log(`all released, trimmed to replicas: ${await states(provider)}`);
} finally {
  console.log("\n4. shutdown");
  await provider.shutdown();
  try {
    // A new provider instance sees every container of this prefix, whoever started it.
    const fresh = await open();
    try {
      console.log(`containers left after shutdown: ${(await fresh.list?.())?.length ?? 0}`);
    } finally {
      await fresh.shutdown();
    }
  } finally {
    await rm(baseDir, { recursive: true, force: true });
  }
}
