import { setTimeout as sleep } from "node:timers/promises";
import { isSandboxError } from "@sandbox/core";
import { expect, it, vi } from "vitest";
import { describeDocker, docker, uniquePrefix } from "../support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("dead");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

describeDocker("auto-restart of dead containers", () => {
  it("after docker kill, get returns undefined and acquire makes a new container with the files", async () => {
    baseDir = await tempDir("dead");
    const provider = await makeProvider({ livenessIntervalMs: 0 });
    const id = await provider.acquire("dead-t1");
    const sandbox = await provider.get(id);
    await sandbox?.writeFile("/mnt/user-data/outputs/result.txt", "made before the crash");
    const before = await containerOf(prefix, id);
    await docker.getContainer(before?.id as string).kill();

    expect(await provider.get(id)).toBeUndefined();
    // The dead container is removed with the eviction.
    await until(async () => (await containerOf(prefix, id)) === undefined);

    expect(await provider.acquire("dead-t1")).toBe(id);
    const after = await containerOf(prefix, id);
    expect(after?.running).toBe(true);
    expect(after?.id).not.toBe(before?.id);
    const revived = await provider.get(id);
    expect((await revived?.exec("cat /mnt/user-data/outputs/result.txt"))?.stdout).toBe(
      "made before the crash",
    );
  });

  it("get answers from memory while events are followed, and drops a dead sandbox once told", async () => {
    // A long interval: were get still inspecting, it would keep the stale answer for a minute.
    const provider = await makeProvider({ livenessIntervalMs: 60_000 });
    const id = await provider.acquire("dead-rate");
    await until(async () => provider.followingEvents);
    const inspect = vi.spyOn(containerPrototype(), "inspect");
    try {
      expect(await provider.get(id)).toBeDefined();
      expect(inspect).not.toHaveBeenCalled();
    } finally {
      inspect.mockRestore();
    }
    const info = await containerOf(prefix, id);
    await docker.getContainer(info?.id as string).kill();
    await until(async () => (await provider.get(id)) === undefined);
  });

  it("with autoRestart off, get does no check and the dead sandbox fails its calls", async () => {
    const provider = await makeProvider({ autoRestart: false });
    const id = await provider.acquire("dead-off");
    const info = await containerOf(prefix, id);
    await docker.getContainer(info?.id as string).kill();
    const sandbox = await provider.get(id);
    expect(sandbox).toBeDefined();
    const failure = await sandbox?.exec("true").catch((error: unknown) => error);
    expect(isSandboxError(failure, "SANDBOX_NOT_FOUND")).toBe(true);
  });
});

function containerPrototype(): { inspect: (...args: unknown[]) => unknown } {
  return Object.getPrototypeOf(docker.getContainer("x")) as {
    inspect: (...args: unknown[]) => unknown;
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
}
