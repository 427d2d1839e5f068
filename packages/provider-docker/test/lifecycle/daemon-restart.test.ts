import { setTimeout as sleep } from "node:timers/promises";
import { isSandboxError, type Sandbox } from "@sandbox/core";
import { afterAll, expect, it } from "vitest";
import { createDockerProvider, type DockerSandboxProvider } from "../../src/index.js";
import { BUSYBOX_TEST_IMAGE, uniquePrefix } from "../support/docker-env.js";
import { tempDir } from "../support/providers.js";
import {
  describeSecondDockerd,
  type SecondDockerd,
  startSecondDockerd,
} from "../support/second-dockerd.js";

// Issue 10, item 1: the daemon restarted under a running provider. A private dockerd (never the
// machine's main one) is stopped and started again by the test.
const prefix = uniquePrefix("restart");
const THREADS = ["restart-warm-1", "restart-warm-2", "restart-active"];
// Wide: "fast" means the socket's absence is reported, not waited out (which would hang).
const FAST_MS = 15_000;

let daemon: SecondDockerd | undefined;
let provider: DockerSandboxProvider | undefined;
afterAll(async () => {
  await provider?.shutdown();
  await daemon?.dispose();
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}

async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await call().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return { error, ms: Date.now() - started };
}

describeSecondDockerd("a Docker daemon restarted under a running provider", () => {
  it("fails fast with PROVIDER_UNAVAILABLE while it is down; afterwards every thread comes back with its files", async () => {
    const baseDir = await tempDir("restart");
    daemon = await startSecondDockerd([BUSYBOX_TEST_IMAGE]);
    const made = await createDockerProvider(
      {
        image: BUSYBOX_TEST_IMAGE,
        containerPrefix: prefix,
        docker: { socketPath: daemon.socketPath },
        replicas: THREADS.length + 1,
        connectTimeoutMs: 3000,
        idleTimeoutMs: 0,
      },
      { baseDir },
    );
    provider = made;
    const ids = new Map<string, string>();
    for (const thread of THREADS) {
      const id = await made.acquire(thread);
      ids.set(thread, id);
      const sandbox = (await made.get(id)) as Sandbox;
      await sandbox.writeFile("/mnt/user-data/workspace/kept.txt", `files of ${thread}`);
      expect((await sandbox.exec("echo ok")).stdout).toBe("ok\n");
    }
    await made.release(ids.get("restart-warm-1") as string);
    await made.release(ids.get("restart-warm-2") as string);
    const activeSandbox = (await made.get(ids.get("restart-active") as string)) as Sandbox;
    await until(() => made.followingEvents);

    await daemon.stop();

    await until(() => !made.followingEvents);
    const down = [
      await failure(() => made.acquire("restart-warm-1")),
      await failure(() => made.acquire("restart-active")),
      await failure(() => made.acquire("restart-new")),
      await failure(() => activeSandbox.exec("echo ok")),
    ];
    for (const { error, ms } of down) {
      expect(isSandboxError(error, "PROVIDER_UNAVAILABLE"), String(error)).toBe(true);
      expect(ms).toBeLessThan(FAST_MS);
    }

    await daemon.start();

    // At once, before the event stream is back (it reconnects with backoff), and again later.
    for (const thread of [...THREADS, "restart-new"]) {
      const id = await made.acquire(thread);
      const sandbox = await made.get(id);
      expect(sandbox).toBeDefined();
      const expected = thread === "restart-new" ? "ok\n" : `ok\nfiles of ${thread}`;
      const result = await sandbox?.exec(
        "echo ok; cat /mnt/user-data/workspace/kept.txt 2>/dev/null",
      );
      expect(result?.stdout).toBe(expected);
      await made.release(id);
    }
    await until(() => made.followingEvents);
    for (const thread of THREADS) {
      const sandbox = await made.get(await made.acquire(thread));
      expect((await sandbox?.exec("cat /mnt/user-data/workspace/kept.txt"))?.stdout).toBe(
        `files of ${thread}`,
      );
    }

    await made.shutdown();
    expect(await daemon.docker.listContainers({ all: true })).toEqual([]);
  });
});
