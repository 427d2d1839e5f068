// `orphans: "keep"`, for tools that only look (the `sandbox` CLI's ls, prune, rm and doctor):
// a crashed owner's containers are listed as orphaned and left running, never adopted or
// removed behind the user's back.
import { expect, it } from "vitest";
import { startChildProvider } from "../support/child-process.js";
import {
  BUSYBOX_TEST_IMAGE,
  containersOf,
  describeDocker,
  uniquePrefix,
} from "../support/docker-env.js";
import { providerFactory, tempDir } from "../support/providers.js";

const prefix = uniquePrefix("keep");
let baseDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);

describeDocker("orphans: keep", () => {
  it("lists a dead owner's container as orphaned, leaves it running, and destroys it on request", async () => {
    baseDir = await tempDir("keep");
    const dead = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, ["crashed"]);
    const live = startChildProvider(baseDir, prefix, BUSYBOX_TEST_IMAGE, ["alive"]);
    await Promise.all([dead.next("ready"), live.next("ready")]);
    dead.send("go");
    live.send("go");
    const [crashed] = (await dead.next("acquired")).results as Array<{ id: string }>;
    await live.next("acquired");
    const exited = new Promise((resolve) => dead.process.once("exit", resolve));
    dead.process.kill("SIGKILL");
    await exited;
    const before = (await containersOf(prefix)).map((c) => c.Id).sort();
    expect(before).toHaveLength(2);

    const looker = await makeProvider({ orphans: "keep" });
    expect(looker.size).toEqual({ active: 0, warm: 0 });
    const listed = await looker.list();
    expect(
      listed.map((info) => [info.threadId, info.state, info.details?.orphaned]).sort(),
    ).toEqual([
      ["alive", "active", false],
      ["crashed", "active", true],
    ]);
    await looker.shutdown();
    // Shutting the looker down touched neither container.
    expect((await containersOf(prefix)).map((c) => c.Id).sort()).toEqual(before);

    const cleaner = await makeProvider({ orphans: "keep" });
    expect(await cleaner.destroy(crashed?.id as string)).toBe(true);
    expect(await cleaner.list()).toMatchObject([
      { threadId: "alive", details: { orphaned: false } },
    ]);
    await cleaner.shutdown();

    live.send("exit");
    await live.next("exited");
    expect(await containersOf(prefix)).toHaveLength(0);
  });
});
