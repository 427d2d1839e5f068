import { isSandboxError } from "@sandbox/core";
import { expect, it } from "vitest";
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
    // The dead container was removed with the eviction.
    expect(await containerOf(prefix, id)).toBeUndefined();

    expect(await provider.acquire("dead-t1")).toBe(id);
    const after = await containerOf(prefix, id);
    expect(after?.running).toBe(true);
    expect(after?.id).not.toBe(before?.id);
    const revived = await provider.get(id);
    expect((await revived?.exec("cat /mnt/user-data/outputs/result.txt"))?.stdout).toBe(
      "made before the crash",
    );
  });

  it("checks liveness at most once per interval per sandbox", async () => {
    const provider = await makeProvider({ livenessIntervalMs: 60_000 });
    const id = await provider.acquire("dead-rate");
    expect(await provider.get(id)).toBeDefined();
    const info = await containerOf(prefix, id);
    await docker.getContainer(info?.id as string).kill();
    // Inside the interval the last answer stands; the sandbox then reports the container gone.
    const stale = await provider.get(id);
    expect(stale).toBeDefined();
    const failure = await stale?.exec("true").catch((error: unknown) => error);
    expect(isSandboxError(failure, "SANDBOX_NOT_FOUND")).toBe(true);
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
