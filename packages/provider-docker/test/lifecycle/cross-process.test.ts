import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startChildProvider } from "../support/child-process.js";
import {
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  uniquePrefix,
} from "../support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("xproc");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

interface Acquired {
  thread: string;
  id: string;
  hostname: string;
}

describeDocker("across processes", () => {
  it("two processes acquiring one thread at once get one container; a live peer's is left alone", async () => {
    baseDir = await tempDir("xproc");
    const children = [0, 1].map(() =>
      startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, ["shared"]),
    );
    await Promise.all(children.map((child) => child.next("ready")));
    for (const child of children) child.send("go");
    const results = await Promise.all(
      children.map(async (child) => ((await child.next("acquired")).results as Acquired[])[0]),
    );
    expect(results[0]?.id).toBe(results[1]?.id);
    expect(results[0]?.hostname).toBe(results[1]?.hostname);
    const running = await containersOf(prefix);
    expect(running).toHaveLength(1);

    // A provider starting up meanwhile must not take the live peers' container for an orphan.
    const provider = await makeProvider();
    expect(provider.size).toEqual({ active: 0, warm: 0 });
    expect((await containersOf(prefix)).map((c) => c.Id)).toEqual(running.map((c) => c.Id));
    await provider.shutdown();
    expect(await containersOf(prefix)).toHaveLength(1);

    for (const child of children) child.send("exit");
    await Promise.all(children.map((child) => child.next("exited")));
    // The creator removed it at shutdown; the adopter, not owning it, left it to the creator.
    expect(await containersOf(prefix)).toHaveLength(0);
  });

  it("a SIGKILLed owner's containers are adopted warm (or removed) by the next provider", async () => {
    const child = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, [
      "orphan-a",
      "orphan-b",
      "anonymous",
    ]);
    await child.next("ready");
    child.send("go");
    const results = (await child.next("acquired")).results as Acquired[];
    const exited = new Promise((resolve) => child.process.once("exit", resolve));
    child.process.kill("SIGKILL");
    await exited;
    const byThread = new Map(results.map((r) => [r.thread, r]));
    const anonymous = byThread.get("anonymous") as Acquired;
    const anonymousDir = join(baseDir, "anonymous", anonymous.id);
    expect(existsSync(anonymousDir)).toBe(true);
    expect(await containersOf(prefix)).toHaveLength(3);

    const provider = await makeProvider();
    // The thread containers were adopted into the warm pool; the anonymous one was removed.
    expect(provider.size).toEqual({ active: 0, warm: 2 });
    expect(await containerOf(prefix, anonymous.id)).toBeUndefined();
    expect(existsSync(anonymousDir)).toBe(false);
    const listed = await provider.list();
    expect(listed.map((info) => [info.threadId, info.state]).sort()).toEqual([
      ["orphan-a", "warm"],
      ["orphan-b", "warm"],
    ]);
    expect(listed.every((info) => info.details?.owner === provider.owner)).toBe(true);
    // Reclaiming an adopted container starts nothing new.
    const a = byThread.get("orphan-a") as Acquired;
    const before = await containerOf(prefix, a.id);
    expect(await provider.acquire("orphan-a")).toBe(a.id);
    expect(await containerOf(prefix, a.id)).toEqual(before);
    expect((await (await provider.get(a.id))?.exec("hostname"))?.stdout.trim()).toBe(a.hostname);
    await provider.shutdown();
    expect(await containersOf(prefix)).toHaveLength(0);
  });

  it("with orphans: remove, a dead owner's containers are removed instead", async () => {
    const child = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, ["orphan-c"]);
    await child.next("ready");
    child.send("go");
    await child.next("acquired");
    const exited = new Promise((resolve) => child.process.once("exit", resolve));
    child.process.kill("SIGKILL");
    await exited;
    expect(await containersOf(prefix)).toHaveLength(1);
    const provider = await makeProvider({ orphans: "remove" });
    expect(provider.size).toEqual({ active: 0, warm: 0 });
    expect(await containersOf(prefix)).toHaveLength(0);
    expect(await provider.list()).toEqual([]);
  });
});
