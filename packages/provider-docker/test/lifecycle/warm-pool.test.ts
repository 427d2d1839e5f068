import Docker from "dockerode";
import { expect, it, vi } from "vitest";
import { describeDocker, removeContainersOf, uniquePrefix } from "../support/docker-env.js";
import { captureLogger, containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("warm");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

describeDocker("warm pool and replicas", () => {
  it("a released sandbox is reclaimed by its thread without creating or starting anything", async () => {
    baseDir = await tempDir("warm");
    const provider = await makeProvider();
    const id = await provider.acquire("warm-t1");
    const sandbox = await provider.get(id);
    await sandbox?.writeFile("state.txt", "kept");
    const before = await containerOf(prefix, id);
    await provider.release(id);
    expect(provider.size).toEqual({ active: 0, warm: 1 });

    const create = vi.spyOn(Docker.prototype, "createContainer");
    const start = vi.spyOn(
      Object.getPrototypeOf(new Docker().getContainer("x")) as { start: () => Promise<unknown> },
      "start",
    );
    try {
      expect(await provider.acquire("warm-t1")).toBe(id);
      expect(create).not.toHaveBeenCalled();
      expect(start).not.toHaveBeenCalled();
    } finally {
      create.mockRestore();
      start.mockRestore();
    }
    expect(await containerOf(prefix, id)).toEqual(before);
    expect(provider.size).toEqual({ active: 1, warm: 0 });
    expect((await (await provider.get(id))?.exec("cat state.txt"))?.stdout).toBe("kept");
    await provider.shutdown();
  });

  it("at the replica cap the oldest warm container is evicted, never an active one", async () => {
    await removeContainersOf(prefix);
    const logger = captureLogger();
    const provider = await makeProvider({ replicas: 2, logger });
    const a = await provider.acquire("cap-a");
    await provider.release(a);
    const b = await provider.acquire("cap-b");
    await provider.release(b);
    // a is the least recently used warm one: making room for c removes it, and only it.
    const c = await provider.acquire("cap-c");
    expect(await containerOf(prefix, a)).toBeUndefined();
    expect((await containerOf(prefix, b))?.running).toBe(true);
    expect(provider.size).toEqual({ active: 1, warm: 1 });
    // d evicts the last warm one (b); e finds only active ones and exceeds the soft cap.
    const d = await provider.acquire("cap-d");
    expect(await containerOf(prefix, b)).toBeUndefined();
    expect(logger.warnings).toEqual([]);
    const e = await provider.acquire("cap-e");
    for (const id of [c, d, e]) expect((await containerOf(prefix, id))?.running).toBe(true);
    expect(provider.size).toEqual({ active: 3, warm: 0 });
    expect(logger.warnings.join("\n")).toMatch(/soft cap/);
    // Releasing while over the cap trims the pool back down.
    await provider.release(c);
    expect(await containerOf(prefix, c)).toBeUndefined();
    expect(provider.size).toEqual({ active: 2, warm: 0 });
    await provider.shutdown();
  });
});
