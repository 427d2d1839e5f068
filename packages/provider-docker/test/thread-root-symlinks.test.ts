import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isSandboxError, type Sandbox, threadDirectories } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import type { DockerSandboxProvider } from "../src/index.js";
import { describeDocker, uniquePrefix } from "./support/docker-env.js";
import { containerOf, providerFactory, tempDir } from "./support/providers.js";

// Issue 19, item 1: root in the container replaces its thread directories with symlinks (to a
// host directory, to another user's thread), then gets the container recreated with
// `kill -TERM 1`. The rebuilt sandbox must not act on where those links point: not through the
// file API, not through the new container's bind mounts, not through the ownership fix-up.

const prefix = uniquePrefix("roots");
let baseDir = "";
let hostDir = "";
const makeProvider = providerFactory(prefix, () => baseDir);
const SECRET = "host-secret-7f3a9c";

async function hostListing(): Promise<string[]> {
  return (await readdir(hostDir)).sort();
}

/**
 * Gets the container recreated: `kill -TERM 1` from inside (which an init that ignores TERM
 * survives), then what idle reaping or eviction does, `destroy`: the next acquire builds anew.
 */
async function getRecreated(provider: DockerSandboxProvider, sandbox: Sandbox, id: string) {
  await sandbox.exec("kill -TERM 1", { timeoutMs: 5_000 }).catch(() => undefined);
  await provider.destroy(id);
  expect(await containerOf(prefix, id)).toBeUndefined();
}

async function recreated(
  provider: DockerSandboxProvider,
  threadId: string,
  userId: string,
): Promise<Sandbox> {
  const id = await provider.acquire(threadId, { userId });
  const sandbox = await provider.get(id);
  if (sandbox) return sandbox;
  // `get` noticed the dead container and evicted it; the next acquire builds a new one.
  const again = await provider.get(await provider.acquire(threadId, { userId }));
  if (!again) throw new Error("no sandbox after recreate");
  return again;
}

async function refusedOrMissing(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isSandboxError(error, "NOT_FOUND", "PERMISSION_DENIED"), String(error)).toBe(true);
  expect(String((error as Error).message)).not.toContain(hostDir);
}

describeDocker("thread directories replaced by symlinks from inside the container", () => {
  beforeAll(async () => {
    baseDir = await tempDir("roots-base");
    hostDir = await tempDir("roots-host");
    await writeFile(join(hostDir, "secret.txt"), `${SECRET}\n`);
  });

  it("a recreated sandbox neither reads, writes nor mounts the host directory or another user's thread", async () => {
    const provider = await makeProvider();
    const bob = threadDirectories(baseDir, "bob", "t");
    await mkdir(bob.workspace, { recursive: true });
    await writeFile(join(bob.workspace, "bob.txt"), "bob's notes\n");

    const id = await provider.acquire("t", { userId: "alice" });
    const sandbox = (await provider.get(id)) as Sandbox;
    await sandbox.writeFile("/mnt/user-data/workspace/mine.txt", "mine\n");
    const attack = await sandbox.exec(
      [
        "cd /mnt/user-data",
        "mv workspace w",
        `ln -s ${hostDir} workspace`,
        "mv outputs o",
        "ln -s ../../../../bob/threads/t/user-data/workspace outputs",
      ].join(" && "),
    );
    expect(attack.exitCode, attack.stderr).toBe(0);
    await getRecreated(provider, sandbox, id);

    const rebuilt = await recreated(provider, "t", "alice");
    await refusedOrMissing(rebuilt.readFile("/mnt/user-data/workspace/secret.txt"));
    await refusedOrMissing(rebuilt.readFile("/mnt/user-data/outputs/bob.txt"));
    await rebuilt.writeFile("/mnt/user-data/workspace/new.txt", "new\n");
    await rebuilt.writeFile("/mnt/user-data/outputs/new.txt", "new\n");
    const found = await rebuilt.glob("/mnt/user-data", "**", { includeDirs: true });
    expect(found.paths.join("\n")).not.toMatch(/secret|bob\.txt/);
    // The new container's bind mounts are the rebuilt directories, not the links' targets.
    const inside = await rebuilt.exec(
      "ls /mnt/user-data/workspace /mnt/user-data/outputs; cat /mnt/user-data/w/mine.txt",
    );
    expect(inside.stdout).not.toMatch(/secret|bob\.txt/);
    expect(inside.stdout, inside.stderr).toContain("mine");

    expect(await hostListing()).toEqual(["secret.txt"]);
    expect(await readdir(bob.workspace)).toEqual(["bob.txt"]);
    expect(await readFile(join(bob.workspace, "bob.txt"), "utf8")).toBe("bob's notes\n");
  });

  it("with user 1000:1000, the ownership fix-up never follows a link to a host directory", async () => {
    const provider = await makeProvider({ user: "1000:1000" });
    const before = await stat(hostDir);
    const id = await provider.acquire("as-user", { userId: "carol" });
    const sandbox = (await provider.get(id)) as Sandbox;
    const attack = await sandbox.exec(
      `cd /mnt/user-data && mv uploads u && ln -s ${hostDir} uploads && mv workspace w && ln -s ${hostDir} workspace`,
    );
    expect(attack.exitCode, attack.stderr).toBe(0);
    await getRecreated(provider, sandbox, id);

    const rebuilt = await recreated(provider, "as-user", "carol");
    await rebuilt.writeFile("/mnt/user-data/uploads/deep/x.txt", "x\n");
    expect((await rebuilt.exec("id -u; touch /mnt/user-data/uploads/ok"))?.stdout).toBe("1000\n");
    const after = await stat(hostDir);
    expect({ uid: after.uid, gid: after.gid, mode: after.mode }).toEqual({
      uid: before.uid,
      gid: before.gid,
      mode: before.mode,
    });
    expect(await hostListing()).toEqual(["secret.txt"]);
  });
});
