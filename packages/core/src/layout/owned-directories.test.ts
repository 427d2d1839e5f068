import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  realpath,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { createHostFiles } from "../host-files/host-files.js";
import { PathMapper } from "../paths/path-mapper.js";
import { ensureThreadDirectories, threadDirectories } from "./thread-directories.js";
import { threadMappings } from "./thread-mappings.js";

let dir: string;
let baseDir: string;
let outside: string;
beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "core-owned-")));
  baseDir = join(dir, "base");
  outside = join(dir, "outside");
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), "host secret\n");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function listing(path: string): Promise<string[]> {
  return (await readdir(path)).sort();
}

describe("the directories a provider creates", () => {
  it("are owner-only, from the base directory down (issue 10)", async () => {
    const dirs = threadDirectories(baseDir, "alice", "t1");
    await ensureThreadDirectories(dirs);
    for (const path of [
      baseDir,
      join(baseDir, "users"),
      join(baseDir, "users/alice/threads/t1"),
      dirs.userData,
      dirs.workspace,
      dirs.outputs,
      dirs.acpWorkspace,
    ]) {
      expect((await stat(path)).mode & 0o777, path).toBe(0o700);
    }
  });

  it("rebuild a thread root a command replaced by a symlink, never following it (issue 19)", async () => {
    const dirs = threadDirectories(baseDir, "alice", "t1");
    await ensureThreadDirectories(dirs);
    await writeFile(join(dirs.workspace, "mine.txt"), "mine\n");
    // What the agent does in the sandbox: `mv workspace w; ln -s /outside workspace`.
    await rename(dirs.workspace, join(dirs.userData, "w"));
    await symlink(outside, dirs.workspace);
    await writeFile(join(dirs.userData, "uploads-file"), "x");
    await rm(dirs.uploads, { recursive: true });
    await rename(join(dirs.userData, "uploads-file"), dirs.uploads);

    await ensureThreadDirectories(dirs);
    for (const path of [dirs.workspace, dirs.uploads]) {
      const stats = await lstat(path);
      expect(stats.isDirectory() && !stats.isSymbolicLink(), path).toBe(true);
      expect(await realpath(path)).toBe(path);
    }
    expect(await listing(dirs.workspace)).toEqual([]);
    expect(await listing(outside)).toEqual(["secret.txt"]);
    // The impostors moved aside next to it, the agent's own directory untouched.
    const names = await listing(dirs.userData);
    expect(names.filter((name) => name.startsWith("workspace.moved-aside-"))).toHaveLength(1);
    expect(names.filter((name) => name.startsWith("uploads.moved-aside-"))).toHaveLength(1);
    expect(await listing(join(dirs.userData, "w"))).toEqual(["mine.txt"]);
  });

  it("rebuild a thread whose directory above the roots leads to another user's thread", async () => {
    const bob = threadDirectories(baseDir, "bob", "t");
    await ensureThreadDirectories(bob);
    await writeFile(join(bob.workspace, "bob.txt"), "bob's\n");
    const alice = threadDirectories(baseDir, "alice", "t");
    await mkdir(join(baseDir, "users/alice/threads"), { recursive: true });
    await symlink(bob.root, alice.root);

    await ensureThreadDirectories(alice);
    expect(await realpath(alice.workspace)).toBe(alice.workspace);
    expect(await listing(alice.workspace)).toEqual([]);
    expect(await listing(bob.workspace)).toEqual(["bob.txt"]);
  });

  it("keep file calls off a root replaced after the sandbox was built", async () => {
    const dirs = threadDirectories(baseDir, "alice", "t1");
    await ensureThreadDirectories(dirs);
    const mapper = new PathMapper(threadMappings(dirs), { baseDir });
    const files = createHostFiles(mapper);
    await files.writeFile("/mnt/user-data/outputs/a.txt", "a\n");
    await rename(dirs.outputs, join(dirs.userData, "o"));
    await symlink(outside, dirs.outputs);
    const refused = async (call: Promise<unknown>) => {
      const error = await call.then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isSandboxError(error), String(error)).toBe(true);
      expect(String((error as Error).message)).not.toContain(outside);
    };
    await refused(files.readFile("/mnt/user-data/outputs/secret.txt"));
    await refused(files.writeFile("/mnt/user-data/outputs/new.txt", "x"));
    await refused(files.listDir("/mnt/user-data/outputs"));
    await refused(files.glob("/mnt/user-data/outputs", "*"));
    // The parent mapping lists the link by name only, and never walks into it.
    expect(await files.glob("/mnt/user-data", "**", { includeDirs: true })).not.toMatchObject({
      paths: expect.arrayContaining([expect.stringContaining("secret")]),
    });
    expect(await listing(outside)).toEqual(["secret.txt"]);
  });

  it("pin each root under baseDir where it belongs, even when the mapper is built after a swap", async () => {
    const dirs = threadDirectories(baseDir, "alice", "t1");
    await ensureThreadDirectories(dirs);
    await rename(dirs.workspace, join(dirs.userData, "w"));
    await symlink(outside, dirs.workspace);
    const files = createHostFiles(new PathMapper(threadMappings(dirs), { baseDir }));
    const read = await files.readFile("/mnt/user-data/workspace/secret.txt").catch((e) => e);
    expect(isSandboxError(read, "PERMISSION_DENIED"), String(read)).toBe(true);
    const write = await files.writeFile("/mnt/user-data/workspace/x.txt", "x").catch((e) => e);
    expect(isSandboxError(write, "PERMISSION_DENIED"), String(write)).toBe(true);
    expect(await listing(outside)).toEqual(["secret.txt"]);
  });
});
