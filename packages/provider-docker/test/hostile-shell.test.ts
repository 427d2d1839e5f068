// Issue 19, item 4: the agent (root in its container) replaces /bin/sh, which every helper the
// provider runs for itself goes through (tree kill, readiness probe, container-side file
// scripts, orphan adoption). The harness must stay healthy: every helper has a deadline and a
// byte cap, an exec timeout is final, and start-up never waits on a container without a deadline.
import { isSandboxError, type Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runExec } from "../src/docker/exec-process.js";
import { createDockerProvider } from "../src/index.js";
import { startChildProvider } from "./support/child-process.js";
import {
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  docker,
  removeContainersOf,
  uniquePrefix,
} from "./support/docker-env.js";
import { providerFactory, tempDir } from "./support/providers.js";

const prefix = uniquePrefix("hs");
const orphanPrefix = `${prefix}-orph`;
afterAll(() => removeContainersOf(orphanPrefix));
let baseDir = "";
const makeDefaultProvider = providerFactory(prefix, () => baseDir);
// The attack rewrites /bin/sh, which the read-only root filesystem (the default) already stops;
// these tests turn it off to prove the second line of defence: the helpers' own limits.
const WRITABLE_ROOT = { readOnlyRootfs: false } as const;
const makeProvider: typeof makeDefaultProvider = (options = {}) =>
  makeDefaultProvider({ ...WRITABLE_ROOT, ...options });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MB = 1024 * 1024;

// What the agent's /bin/sh becomes. `hang` never exits; `zero` never exits either and prints
// /dev/zero, except for the agent's own commands (marked `agent-command`), which hang quietly:
// so only the provider's helpers stream, and the harness's memory shows what they keep.
const SHELLS = {
  hang: "exec /busybox sleep 1000000",
  zero: 'case "$2" in *agent-command*) exec /busybox sleep 1000000 ;; esac\nexec /busybox cat /dev/zero',
} as const;

/** The attack, run as the agent would: root in the container, busybox kept aside for itself. */
async function replaceShell(containerName: string, shell: keyof typeof SHELLS): Promise<void> {
  const script = `cp /bin/busybox /busybox && rm /bin/sh && printf '%s\\n' '#!/busybox sh' "$1" > /bin/sh && chmod 755 /bin/sh`;
  const result = await runExec(
    docker.getContainer(containerName),
    { cmd: ["/bin/busybox", "sh", "-c", script, "sh", SHELLS[shell]] },
    { maxBytes: 64 * 1024, deadlineMs: 30_000 },
  );
  expect(result.exitCode, result.stderr.toString()).toBe(0);
}

/** `promise`, or a rejection naming `what` once `ms` have passed: a hang fails the test. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function settled(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => value,
    (error: unknown) => error,
  );
}

const containerName = (sandboxId: string) => `${prefix}-${sandboxId}`;

async function removeContainer(name: string): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
}

describeDocker("a container whose /bin/sh the agent replaced", () => {
  beforeAll(async () => {
    baseDir = await tempDir("hs");
  });

  it("exec with timeoutMs returns timedOut even though the kill helper hangs", async () => {
    const provider = await makeProvider({ idleTimeoutMs: 0 });
    const id = await provider.acquire("hang-exec");
    const sandbox = (await provider.get(id)) as Sandbox;
    expect((await sandbox.exec("echo before")).stdout).toBe("before\n");
    await replaceShell(containerName(id), "hang");

    const started = Date.now();
    const result = await within(sandbox.exec("echo never", { timeoutMs: 3000 }), 60_000, "exec");
    expect(result.timedOut).toBe(true);
    // timeoutMs plus a bounded grace; wide, for a loaded machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    // A second one as well: nothing is left waiting on the first.
    const again = await within(sandbox.exec("echo never", { timeoutMs: 1000 }), 60_000, "exec");
    expect(again.timedOut).toBe(true);
  });

  it("helpers that stream /dev/zero do not grow the harness's memory", async () => {
    const provider = await makeProvider({
      idleTimeoutMs: 0,
      fileAccess: "container",
      readyTimeoutMs: 4000,
    });
    const thread = "zero-helpers";
    const id = await provider.acquire(thread);
    const sandbox = (await provider.get(id)) as Sandbox;
    await sandbox.writeFile("/mnt/user-data/workspace/a.txt", "a");
    await replaceShell(containerName(id), "zero");

    const limit = 300 * MB;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let sampling = true;
    // Past the bound the test stops at once (and removes the container): without the caps the
    // helpers' streams would take the whole machine's memory.
    let overLimit: (error: Error) => void = () => undefined;
    const tooBig = new Promise<never>((_resolve, reject) => {
      overLimit = reject;
    });
    tooBig.catch(() => undefined);
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, process.memoryUsage().rss);
        if (peak - baseline >= limit) overLimit(new Error(`RSS grew by ${peak - baseline} bytes`));
        await sleep(20);
      }
    })();
    const until = Date.now() + 15_000;
    const attacks: Promise<unknown>[] = [];
    try {
      // Each helper once or more: the tree kill (after the command's timeout), container-side
      // file scripts, and the readiness probe (reset, then acquire finds the container again).
      for (let round = 0; Date.now() < until; round += 1) {
        const wave = [
          settled(sandbox.exec(": agent-command", { timeoutMs: 500 })),
          settled(sandbox.readFile("/mnt/user-data/workspace/a.txt")),
          settled(sandbox.writeFile(`/mnt/user-data/workspace/b${round}.txt`, "b")),
        ];
        if (round === 0) {
          await provider.reset();
          wave.push(settled(provider.acquire(thread)));
        }
        attacks.push(...wave);
        await within(Promise.race([Promise.all(wave), tooBig]), 60_000, "a wave of helpers");
      }
    } finally {
      sampling = false;
      await sampler;
      // Without the byte cap, the helpers' streams would run on: end them with the container.
      await removeContainer(containerName(id));
    }
    const outcomes = await Promise.all(attacks);
    // The file helpers failed with a clear error (too much output), not a hang or a crash.
    expect(outcomes.some((outcome) => isSandboxError(outcome, "IO_ERROR"))).toBe(true);
    expect(peak - baseline).toBeLessThan(limit);
  });

  it("after reset, acquire fails by readyTimeoutMs with a clear error, and shutdown returns", async () => {
    const provider = await makeProvider({ readyTimeoutMs: 3000 });
    const thread = "hang-reset";
    const id = await provider.acquire(thread);
    await replaceShell(containerName(id), "hang");
    await provider.reset();

    const started = Date.now();
    const error = await within(settled(provider.acquire(thread)), 60_000, "acquire after reset");
    expect(isSandboxError(error, "TIMEOUT"), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/not ready within 3000 ms/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await within(provider.shutdown(), 60_000, "shutdown");
    await removeContainer(containerName(id));
  });

  it('a new provider with orphans "adopt" starts in time when an orphan\'s /bin/sh hangs', async () => {
    const child = startChildProvider(
      baseDir,
      orphanPrefix,
      BUSYBOX_TEST_IMAGE,
      ["hung-orphan"],
      WRITABLE_ROOT,
    );
    await child.next("ready");
    child.send("go");
    const [acquired] = (await child.next("acquired")).results as { id: string }[];
    const orphan = `${orphanPrefix}-${acquired?.id}`;
    await replaceShell(orphan, "hang");
    const exited = new Promise((resolve) => child.process.once("exit", resolve));
    child.process.kill("SIGKILL");
    await exited;

    const started = Date.now();
    const provider = await within(
      createDockerProvider(
        {
          image: BUSYBOX_TEST_IMAGE,
          containerPrefix: orphanPrefix,
          orphans: "adopt",
          ...WRITABLE_ROOT,
        },
        { baseDir },
      ),
      90_000,
      "createDockerProvider",
    );
    try {
      expect(Date.now() - started).toBeLessThan(60_000);
      // It could not be shown ready, so it was removed rather than adopted.
      expect(provider.size).toEqual({ active: 0, warm: 0 });
      expect(await containersOf(orphanPrefix)).toHaveLength(0);
    } finally {
      await provider.shutdown();
    }
  });
});
