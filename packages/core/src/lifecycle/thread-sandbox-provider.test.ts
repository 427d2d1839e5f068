import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";
import type { ThreadDirectories } from "../layout/thread-directories.js";
import {
  type BuiltSandbox,
  createThreadSandboxProvider,
  type ThreadSandboxProviderOptions,
} from "./thread-sandbox-provider.js";

const capabilities = {
  isolatedExec: false,
  streaming: true,
  persistentIds: true,
  readOnlyMounts: true,
};

interface Build {
  id: string;
  directories: ThreadDirectories;
  stopped: AbortSignal;
  freed: number;
}

/** A provider whose builds are recorded, and which can be told to hold or fail the next build. */
function recordingProvider(baseDir: string) {
  const builds: Build[] = [];
  let gate: Promise<void> | undefined;
  let failNext = false;
  const build: ThreadSandboxProviderOptions["build"] = async (id, directories, stopped) => {
    const record: Build = { id, directories, stopped, freed: 0 };
    builds.push(record);
    await gate;
    if (failNext) {
      failNext = false;
      throw new SandboxError("IO_ERROR", "build failed");
    }
    const sandbox = { id } as Sandbox;
    const built: BuiltSandbox = {
      sandbox,
      free: async () => {
        record.freed += 1;
      },
    };
    return built;
  };
  const provider = createThreadSandboxProvider({
    name: "recording",
    capabilities,
    baseDir,
    idPrefix: "rec",
    build,
  });
  return {
    provider,
    builds,
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      return () => {
        gate = undefined;
        open();
      };
    },
    failNextBuild() {
      failNext = true;
    },
  };
}

let baseDir: string;
beforeEach(async () => {
  baseDir = await mkdtemp(join(tmpdir(), "thread-sandbox-provider-"));
});
afterEach(async () => {
  await rm(baseDir, { recursive: true, force: true });
});

describe("createThreadSandboxProvider", () => {
  it("derives ids from (user, thread), so a new instance finds the same sandbox", async () => {
    const first = recordingProvider(baseDir).provider;
    const second = recordingProvider(baseDir).provider;
    expect(await first.acquire("t1", { userId: "alice" })).toBe("rec:alice:t1");
    expect(await second.acquire("t1", { userId: "alice" })).toBe("rec:alice:t1");
    expect(await first.acquire()).toBe("rec:default");
    expect(await first.acquire("t1")).toBe("rec:default:t1");
  });

  it("creates the thread's directories before build, and gives the generic sandbox its own root", async () => {
    const { provider, builds } = recordingProvider(baseDir);
    await provider.acquire("t1");
    await provider.acquire();
    const [thread, generic] = builds;
    expect((await stat(thread?.directories.workspace ?? "")).isDirectory()).toBe(true);
    expect(generic?.directories.root.startsWith(join(baseDir, "generic"))).toBe(true);
    expect(thread?.directories.root.startsWith(join(baseDir, "generic"))).toBe(false);
  });

  it("rejects a bad id before anything touches disk", async () => {
    const { provider, builds } = recordingProvider(baseDir);
    await expect(provider.acquire("../escape")).rejects.toMatchObject({ code: "INVALID_ID" });
    await expect(provider.acquire("t1", { userId: "" })).rejects.toMatchObject({
      code: "INVALID_ID",
    });
    expect(builds).toHaveLength(0);
  });

  it("shares one build between racing acquires of one id", async () => {
    const { provider, builds, hold } = recordingProvider(baseDir);
    const open = hold();
    const racing = Promise.all([provider.acquire("t1"), provider.acquire("t1")]);
    await new Promise((resolve) => setImmediate(resolve));
    open();
    expect(await racing).toEqual(["rec:default:t1", "rec:default:t1"]);
    expect(builds).toHaveLength(1);
    expect((await provider.get("rec:default:t1"))?.id).toBe("rec:default:t1");
  });

  it("forgets a failed build, so the next acquire tries again", async () => {
    const { provider, builds, failNextBuild } = recordingProvider(baseDir);
    failNextBuild();
    await expect(provider.acquire("t1")).rejects.toMatchObject({ code: "IO_ERROR" });
    expect(await provider.get("rec:default:t1")).toBeUndefined();
    await provider.acquire("t1");
    expect(builds).toHaveLength(2);
  });

  it("frees a sandbox once at release, and builds it again on the next acquire", async () => {
    const { provider, builds } = recordingProvider(baseDir);
    const id = await provider.acquire("t1");
    await provider.release(id);
    await provider.release(id);
    expect(builds[0]?.freed).toBe(1);
    expect(await provider.get(id)).toBeUndefined();
    await provider.acquire("t1");
    expect(builds).toHaveLength(2);
  });

  it("builds again when a release lands while an acquire is still building", async () => {
    const { provider, builds, hold } = recordingProvider(baseDir);
    const open = hold();
    const acquiring = provider.acquire("t1");
    await new Promise((resolve) => setImmediate(resolve));
    const releasing = provider.release("rec:default:t1");
    open();
    await releasing;
    expect(await acquiring).toBe("rec:default:t1");
    expect(builds).toHaveLength(2);
    expect(builds[0]?.freed).toBe(1);
    expect(await provider.get("rec:default:t1")).toBeDefined();
  });

  it("frees every sandbox at reset and shutdown, aborts `stopped`, and refuses acquires after", async () => {
    const { provider, builds } = recordingProvider(baseDir);
    await provider.acquire("t1");
    await provider.reset();
    expect(builds[0]?.freed).toBe(1);
    await provider.acquire("t2");
    await provider.shutdown();
    expect(builds[1]?.freed).toBe(1);
    expect(builds[1]?.stopped.aborted).toBe(true);
    expect(builds[1]?.stopped.reason).toMatchObject({ code: "SHUT_DOWN" });
    await expect(provider.acquire("t3")).rejects.toMatchObject({ code: "SHUT_DOWN" });
    expect(await provider.get("rec:default:t2")).toBeUndefined();
  });

  it("refuses an acquire whose signal has already fired", async () => {
    const { provider } = recordingProvider(baseDir);
    await expect(provider.acquire("t1", { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "ABORTED",
    });
  });
});
