import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { expectSandboxError } from "./assertions.js";
import type { ProviderSuite } from "./provider-suite.js";

const UNKNOWN_ID = "contract-unknown-sandbox-0000";

/** acquire / get / release / reset / shutdown, and ids that survive a new provider instance. */
export function lifecycleTests(suite: ProviderSuite): void {
  it("acquire returns the same id for the same thread, with or without the default user", async () => {
    const first = await suite.provider.acquire("life-same");
    const second = await suite.provider.acquire("life-same");
    const explicit = await suite.provider.acquire("life-same", { userId: "default" });
    expect(first).toBeTypeOf("string");
    expect(first.length).toBeGreaterThan(0);
    expect(second).toBe(first);
    expect(explicit).toBe(first);
  });

  it("acquire returns distinct ids for distinct threads", async () => {
    const a = await suite.provider.acquire("life-distinct-a");
    const b = await suite.provider.acquire("life-distinct-b");
    expect(a).not.toBe(b);
  });

  it("acquire returns a different id for the same thread under another user", async () => {
    const alice = await suite.provider.acquire("life-user", { userId: "alice" });
    const bob = await suite.provider.acquire("life-user", { userId: "bob" });
    expect(alice).not.toBe(bob);
    expect(await suite.provider.acquire("life-user", { userId: "alice" })).toBe(alice);
  });

  it("get returns a sandbox whose id is the acquired id", async () => {
    const id = await suite.provider.acquire("life-get");
    const sandbox = await suite.provider.get(id);
    expect(sandbox?.id).toBe(id);
  });

  it("acquire() with no thread returns a usable sandbox", async () => {
    const sandbox = await suite.sandbox();
    const result = await sandbox.exec("echo generic");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe("generic\n");
    await sandbox.writeFile("/mnt/user-data/workspace/generic.txt", "generic file");
    expect(await sandbox.readFile("/mnt/user-data/workspace/generic.txt")).toBe("generic file");
  });

  it("acquire with an already-aborted signal rejects with ABORTED", async () => {
    const controller = new AbortController();
    controller.abort();
    await expectSandboxError(suite, "acquire(aborted signal)", "ABORTED", () =>
      suite.provider.acquire("life-aborted", { signal: controller.signal }),
    );
  });

  it("get of an unknown id returns undefined", async () => {
    expect(await suite.provider.get(UNKNOWN_ID)).toBeUndefined();
  });

  it("release is idempotent and accepts an unknown id", async () => {
    const id = await suite.provider.acquire("life-release-twice");
    await suite.provider.release(id);
    await suite.provider.release(id);
    await suite.provider.release(UNKNOWN_ID);
  });

  it("a released sandbox can be re-acquired with the same id and keeps its files", async () => {
    const sandbox = await suite.sandbox("life-reacquire");
    await sandbox.writeFile("/mnt/user-data/workspace/kept.txt", "still here");
    await suite.provider.release(sandbox.id);
    const again = await suite.sandbox("life-reacquire");
    expect(again.id).toBe(sandbox.id);
    expect(await again.readFile("/mnt/user-data/workspace/kept.txt")).toBe("still here");
    const result = await again.exec("cat /mnt/user-data/workspace/kept.txt");
    expect(result.stdout).toBe("still here");
  });

  it("after reset, acquire works and the thread's files persist", async () => {
    const sandbox = await suite.sandbox("life-reset");
    await sandbox.writeFile("/mnt/user-data/outputs/report.md", "# kept across reset\n");
    await suite.provider.reset();
    const again = await suite.sandbox("life-reset");
    if (suite.capabilities.persistentIds) expect(again.id).toBe(sandbox.id);
    expect(await again.readFile("/mnt/user-data/outputs/report.md")).toBe("# kept across reset\n");
  });

  it("shutdown is idempotent; afterwards acquire rejects SHUT_DOWN, get is undefined, release does nothing", async () => {
    const provider = await suite.createProvider();
    const id = await provider.acquire("life-shutdown");
    expect(await provider.get(id)).toBeDefined();
    await provider.shutdown();
    await provider.shutdown();
    await expectSandboxError(suite, "acquire(thread) after shutdown", "SHUT_DOWN", () =>
      provider.acquire("life-shutdown"),
    );
    await expectSandboxError(suite, "acquire() after shutdown", "SHUT_DOWN", () =>
      provider.acquire(),
    );
    expect(await provider.get(id)).toBeUndefined();
    await provider.release(id);
    await provider.release(UNKNOWN_ID);
  });

  it("shutdown ends a command that is still running, with its whole process tree", async () => {
    const provider = await suite.createProvider();
    const sandbox = await suite.sandbox("life-running", undefined, provider);
    const ws = "/mnt/user-data/workspace";
    // The grandchild writes "late" only once the test has written "go", after shutdown: a
    // surviving process is seen however slowly the machine runs.
    const running = sandbox
      .exec(
        `touch ${ws}/started; (i=0; while [ ! -e ${ws}/go ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; [ -e ${ws}/go ] && echo late > ${ws}/late) & sleep 60`,
        { timeoutMs: 120_000 },
      )
      .then(
        () => "settled",
        () => "settled",
      );
    for (let tries = 0; tries < 200; tries += 1) {
      if ((await sandbox.listDir(ws)).includes(`${ws}/started`)) break;
      await sleep(50);
    }
    await provider.shutdown();
    // The call must settle (resolve or reject) rather than wait out its 60 s command; a hang is
    // this test's timeout.
    expect(await running).toBe("settled");
    const after = await suite.sandbox("life-running");
    await after.writeFile(`${ws}/go`, "");
    await sleep(2_000);
    await expectSandboxError(suite, "readFile(late) after shutdown", "NOT_FOUND", () =>
      after.readFile(`${ws}/late`),
    );
  });

  it("list(), when the provider has it, reports acquired sandboxes with their thread and user", async (test) => {
    const list = suite.provider.list?.bind(suite.provider);
    if (!list) return test.skip("the provider has no optional list()");
    const id = await suite.provider.acquire("life-list", { userId: "dave" });
    const info = (await list()).find((entry) => entry.id === id);
    expect(info).toMatchObject({ id, threadId: "life-list", userId: "dave" });
    expect(["active", "warm", "idle", "dead"]).toContain(info?.state);
  });

  it("destroy(), when the provider has it, tears a sandbox down; its files survive", async (test) => {
    const destroy = suite.provider.destroy?.bind(suite.provider);
    if (!destroy) return test.skip("the provider has no optional destroy()");
    const sandbox = await suite.sandbox("life-destroy");
    await sandbox.writeFile("/mnt/user-data/workspace/survivor.txt", "survives destroy");
    expect(await destroy(sandbox.id)).toBe(true);
    // Whether get() may revive it from disk afterwards is the provider's choice; a second
    // destroy finds nothing left to tear down.
    expect(await destroy(sandbox.id)).toBe(false);
    expect(await destroy(UNKNOWN_ID)).toBe(false);
    const again = await suite.sandbox("life-destroy");
    if (suite.capabilities.persistentIds) expect(again.id).toBe(sandbox.id);
    expect(await again.readFile("/mnt/user-data/workspace/survivor.txt")).toBe("survives destroy");
  });

  it("a second provider instance over the same baseDir gives the same id and sees the files (capabilities.persistentIds)", async (test) => {
    suite.requireCapability(test, "persistentIds");
    const sandbox = await suite.sandbox("life-persistent", { userId: "carol" });
    await sandbox.writeFile("/mnt/user-data/workspace/persisted.txt", "from the first instance");
    const other = await suite.createProvider();
    const id = await other.acquire("life-persistent", { userId: "carol" });
    expect(id).toBe(sandbox.id);
    const seen = await other.get(id);
    expect(await seen?.readFile("/mnt/user-data/workspace/persisted.txt")).toBe(
      "from the first instance",
    );
    await other.shutdown();
  });
}
