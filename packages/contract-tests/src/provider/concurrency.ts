import type { Sandbox } from "@sandbox/core";
import { expect, it } from "vitest";
import type { ProviderSuite } from "./provider-suite.js";

/** Concurrent callers: one thread stays one sandbox; many threads stay apart. */
export function concurrencyTests(suite: ProviderSuite): void {
  it("8 concurrent acquires of one thread yield one id and one sandbox", async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, () => suite.provider.acquire("conc-one")),
    );
    expect(new Set(ids).size).toBe(1);
    const handles = await Promise.all(ids.map((id) => suite.provider.get(id)));
    for (const handle of handles) expect(handle).toBeDefined();
    const [first, ...others] = handles as Sandbox[];
    await first?.writeFile("/mnt/user-data/workspace/shared.txt", "written through one handle");
    for (const other of others) {
      expect(await other.readFile("/mnt/user-data/workspace/shared.txt")).toBe(
        "written through one handle",
      );
    }
    const last = others.at(-1) as Sandbox;
    expect((await last.exec("cat /mnt/user-data/workspace/shared.txt")).stdout).toBe(
      "written through one handle",
    );
    // Shared files cannot tell one sandbox from two built over the same directories (two
    // containers, say); the inventory can, where the provider has one.
    if (suite.provider.list) {
      const listed = (await suite.provider.list()).filter((info) => info.threadId === "conc-one");
      expect(
        listed.map((info) => info.id),
        "sandboxes listed for the thread",
      ).toEqual([ids[0]]);
    }
  });

  it("6 distinct threads acquired at once get 6 distinct, separate sandboxes", async () => {
    const threads = Array.from({ length: 6 }, (_, index) => `conc-many-${index}`);
    const ids = await Promise.all(threads.map((thread) => suite.provider.acquire(thread)));
    expect(new Set(ids).size).toBe(6);
    const sandboxes = await Promise.all(ids.map((id) => suite.provider.get(id)));
    await Promise.all(
      sandboxes.map((sandbox, index) =>
        sandbox?.writeFile("/mnt/user-data/workspace/who.txt", threads[index] as string),
      ),
    );
    const seen = await Promise.all(
      sandboxes.map((sandbox) => sandbox?.readFile("/mnt/user-data/workspace/who.txt")),
    );
    expect(seen).toEqual(threads);
  });

  it("acquires and releases of one thread racing each other leave one working sandbox", async () => {
    const id = await suite.provider.acquire("conc-race");
    await Promise.all([
      suite.provider.acquire("conc-race"),
      suite.provider.release(id),
      suite.provider.acquire("conc-race"),
      suite.provider.release(id),
      suite.provider.acquire("conc-race"),
    ]);
    const sandbox = await suite.sandbox("conc-race");
    expect(sandbox.id).toBe(id);
    expect((await sandbox.exec("echo alive")).stdout).toBe("alive\n");
  });

  it("parallel writes and commands in one sandbox all complete and stay apart", async () => {
    const sandbox = await suite.sandbox("conc-ops");
    const names = Array.from(
      { length: 20 },
      (_, index) => `f${String(index).padStart(2, "0")}.txt`,
    );
    await Promise.all(
      names.map((name) => sandbox.writeFile(`/mnt/user-data/workspace/par/${name}`, name)),
    );
    expect(await sandbox.listDir("/mnt/user-data/workspace/par")).toEqual(
      names.map((name) => `/mnt/user-data/workspace/par/${name}`),
    );
    const results = await Promise.all(
      [0, 1, 2, 3].map((n) => sandbox.exec(`echo start-${n}; sleep 0.2; echo end-${n}`)),
    );
    results.forEach((result, n) => {
      expect(result.stdout).toBe(`start-${n}\nend-${n}\n`);
    });
  });
}
