import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { createSandboxProvider, isSandboxError } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import localProvider, { GENERIC_SANDBOX_ID } from "../src/index.js";
import {
  type ProviderFixture,
  processesMatching,
  providerFixture,
  sandboxFor,
  uniqueSleep,
} from "./helpers.js";

const WS = "/mnt/user-data/workspace";

describe("local provider lifecycle", () => {
  let fx: ProviderFixture;
  beforeEach(async () => {
    fx = await providerFixture();
  });
  afterEach(() => fx.dispose());

  it("evicts the least recently used thread past maxSandboxes and rebuilds it with its files", async () => {
    const provider = await fx.create({ maxSandboxes: 2 });
    const t1 = await sandboxFor(provider, "t1");
    await t1.writeFile(`${WS}/kept.txt`, "from t1");
    await sandboxFor(provider, "t2");
    expect(await provider.get(t1.id)).toBe(t1); // promotes t1, so t2 is the oldest now
    const t3 = await sandboxFor(provider, "t3");
    expect(provider.cachedCount).toBe(2);
    const states = Object.fromEntries((await provider.list()).map((info) => [info.id, info.state]));
    expect(states).toEqual({
      "local:default:t1": "active",
      "local:default:t2": "idle",
      "local:default:t3": "active",
    });
    expect(await provider.get(t3.id)).toBe(t3);
    await sandboxFor(provider, "t4"); // evicts t1
    expect(await provider.acquire("t1")).toBe(t1.id);
    const rebuilt = await provider.get(t1.id);
    expect(rebuilt).not.toBe(t1);
    expect(await rebuilt?.readFile(`${WS}/kept.txt`)).toBe("from t1");
    expect((await rebuilt?.exec("cat kept.txt"))?.stdout).toBe("from t1");
  });

  it("get revives an evicted thread from disk but not an id that never existed", async () => {
    const provider = await fx.create({ maxSandboxes: 1 });
    const t1 = await sandboxFor(provider, "t1", "alice");
    await t1.writeFile("a.txt", "a");
    await sandboxFor(provider, "t2");
    const revived = await provider.get("local:alice:t1");
    expect(await revived?.readFile("a.txt")).toBe("a");
    expect(await provider.get("local:alice:never")).toBeUndefined();
    expect(await provider.get("local:../x:t1")).toBeUndefined();
    expect(await provider.get("not-a-local-id")).toBeUndefined();
    expect(existsSync(join(fx.baseDir, "users/alice/threads/never"))).toBe(false);
  });

  it("keeps a thread's files at {baseDir}/users/{user}/threads/{thread} and the generic one under generic/", async () => {
    const provider = await fx.create();
    const thread = await sandboxFor(provider, "t1", "bob");
    await thread.writeFile("/mnt/user-data/outputs/r.md", "r");
    expect(
      await readFile(join(fx.baseDir, "users/bob/threads/t1/user-data/outputs/r.md"), "utf8"),
    ).toBe("r");
    const generic = await sandboxFor(provider);
    expect(generic.id).toBe(GENERIC_SANDBOX_ID);
    await generic.writeFile("g.txt", "g");
    expect(await readFile(join(fx.baseDir, "generic/user-data/workspace/g.txt"), "utf8")).toBe("g");
    for (const dir of ["uploads", "outputs", "workspace"]) {
      expect((await stat(join(fx.baseDir, "generic/user-data", dir))).isDirectory()).toBe(true);
    }
    expect((await stat(join(fx.baseDir, "generic/acp-workspace"))).isDirectory()).toBe(true);
  });

  it("concurrent acquires of a new thread build one sandbox", async () => {
    const provider = await fx.create();
    const ids = await Promise.all(Array.from({ length: 20 }, () => provider.acquire("busy")));
    expect(new Set(ids).size).toBe(1);
    const handles = await Promise.all(ids.map((id) => provider.get(id)));
    expect(new Set(handles).size).toBe(1);
    expect(provider.cachedCount).toBe(1);
  });

  it("release keeps the sandbox cached; reset drops the cache but not the files", async () => {
    const provider = await fx.create();
    const sandbox = await sandboxFor(provider, "t1");
    await sandbox.writeFile("x.txt", "x");
    await provider.release(sandbox.id);
    expect((await provider.list()).find((info) => info.id === sandbox.id)?.state).toBe("warm");
    expect(await provider.get(sandbox.id)).toBe(sandbox);
    await provider.reset();
    expect(provider.cachedCount).toBe(0);
    const again = await sandboxFor(provider, "t1");
    expect(again).not.toBe(sandbox);
    expect(await again.readFile("x.txt")).toBe("x");
  });

  it("shutdown kills running commands, rejects them with SHUT_DOWN and disables held handles", async () => {
    const provider = await fx.create();
    const sandbox = await sandboxFor(provider, "t1");
    const marker = uniqueSleep();
    const running = sandbox.exec(`sleep ${marker} & sleep ${marker}`);
    const outcome = running.then(
      () => "resolved",
      (error: unknown) => error,
    );
    for (let i = 0; i < 50 && processesMatching(marker).length < 2; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(processesMatching(marker).length).toBeGreaterThanOrEqual(2);
    await provider.shutdown();
    expect(processesMatching(marker)).toEqual([]);
    const error = await outcome;
    expect(isSandboxError(error, "SHUT_DOWN")).toBe(true);
    await expect(sandbox.exec("true")).rejects.toMatchObject({ code: "SHUT_DOWN" });
    await expect(sandbox.readFile("x")).rejects.toMatchObject({ code: "SHUT_DOWN" });
    await expect(provider.acquire("t1")).rejects.toMatchObject({ code: "SHUT_DOWN" });
    expect(await provider.get(sandbox.id)).toBeUndefined();
    await provider.shutdown();
  });

  it("destroy drops one sandbox and kills its commands, leaving its files and other threads", async () => {
    const provider = await fx.create();
    const doomed = await sandboxFor(provider, "doomed");
    const other = await sandboxFor(provider, "other");
    await doomed.writeFile("keep.txt", "kept");
    const marker = uniqueSleep();
    const running = doomed.exec(`sleep ${marker}`).catch((error: unknown) => error);
    const survivor = other.exec("sleep 0.3; echo done");
    for (let i = 0; i < 50 && processesMatching(marker).length < 1; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await provider.destroy(doomed.id)).toBe(true);
    expect(isSandboxError(await running, "SANDBOX_NOT_FOUND")).toBe(true);
    expect(processesMatching(marker)).toEqual([]);
    await expect(doomed.exec("true")).rejects.toMatchObject({ code: "SANDBOX_NOT_FOUND" });
    expect((await survivor).stdout).toBe("done\n");
    const again = await sandboxFor(provider, "doomed");
    expect(await again.readFile("keep.txt")).toBe("kept");
    expect(await provider.destroy("local:default:nothing-here")).toBe(false);
  });

  it("validates ids before touching the disk", async () => {
    const provider = await fx.create();
    await expect(provider.acquire("../escape")).rejects.toMatchObject({ code: "INVALID_ID" });
    await expect(provider.acquire("t", { userId: "a/b" })).rejects.toMatchObject({
      code: "INVALID_ID",
    });
    expect(existsSync(fx.baseDir)).toBe(false);
  });

  it("loads by package name through createSandboxProvider and rejects bad options naming the field", async () => {
    const provider = await createSandboxProvider({
      provider: "@sandbox/provider-local",
      baseDir: fx.baseDir,
      options: { skillsDir: fx.skillsDir, maxSandboxes: 3 },
    });
    try {
      expect(provider.name).toBe("local");
      const sandbox = await provider.get(await provider.acquire("cfg"));
      expect(await sandbox?.readFile("/mnt/skills/demo/SKILL.md")).toBe("# demo\n");
    } finally {
      await provider.shutdown();
    }
    await expect(
      createSandboxProvider({
        provider: "local",
        baseDir: fx.baseDir,
        options: { maxSandboxes: -1 },
      }),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("options.maxSandboxes"),
    });
  });

  it("the definition's create validates options given directly", async () => {
    const context = { baseDir: fx.baseDir, root: fx.dir };
    await expect(
      Promise.resolve().then(() =>
        localProvider.create({ maxSandboxes: "many" } as never, context),
      ),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("options.maxSandboxes"),
    });
  });

  it("refuses a missing skills directory or mount source, and overlapping mounts, with CONFIG_INVALID", async () => {
    await expect(fx.create({ skillsDir: join(fx.dir, "nope") })).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("options.skillsDir"),
    });
    await expect(
      fx.create({ mounts: [{ hostPath: join(fx.dir, "nope"), virtualPath: "/mnt/data" }] }),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("mounts[0]"),
    });
    await expect(
      fx.create({ mounts: [{ hostPath: fx.dir, virtualPath: "/mnt/user-data/x" }] }),
    ).rejects.toMatchObject({ code: "CONFIG_INVALID" });
  });

  it("resolves a relative skillsDir from root and maps custom mounts", async () => {
    const provider = await fx.create(
      {
        skillsDir: "skills",
        mounts: [{ hostPath: fx.skillsDir, virtualPath: "/mnt/shared", readOnly: true }],
      },
      { root: fx.dir },
    );
    const sandbox = await sandboxFor(provider, "m");
    expect(await sandbox.readFile("/mnt/skills/demo/SKILL.md")).toBe("# demo\n");
    expect(await sandbox.listDir("/mnt/shared")).toEqual(["/mnt/shared/demo/"]);
    await expect(sandbox.writeFile("/mnt/shared/x", "x")).rejects.toMatchObject({
      code: "READ_ONLY",
    });
    expect((await sandbox.exec("cat /mnt/shared/demo/SKILL.md")).stdout).toBe("# demo\n");
  });
});
