import {
  lstat,
  mkdir,
  readdir,
  readFile,
  rename,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHostFiles } from "./host-files.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

const isRoot = process.getuid?.() === 0;

describe("resolution from the root's descriptor", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("follows absolute and chained symlinks that stay inside, refuses loops", async () => {
    await mkdir(join(fx.workspace, "real/sub"), { recursive: true });
    await writeFile(join(fx.workspace, "real/sub/a.txt"), "inside\n");
    await symlink(join(fx.workspace, "real"), join(fx.workspace, "abs"));
    await symlink("abs/sub", join(fx.workspace, "chain"));
    await symlink("loop-b", join(fx.workspace, "loop-a"));
    await symlink("loop-a", join(fx.workspace, "loop-b"));
    expect(await fx.files.readFile("abs/sub/a.txt")).toBe("inside\n");
    expect(await fx.files.readFile("chain/a.txt")).toBe("inside\n");
    expect(await fx.files.listDir("chain")).toEqual([`${WS}/chain/a.txt`]);
    await fx.files.writeFile("chain/b.txt", "b\n");
    expect(await readFile(join(fx.workspace, "real/sub/b.txt"), "utf8")).toBe("b\n");
    await expectSandboxError(fx.files.readFile("loop-a"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.writeFile("loop-a/x", "x"), "PERMISSION_DENIED", fx.dir);
  });

  it("refuses a link whose `..` climbs out of the mapping, even into a sibling mapping", async () => {
    await writeFile(join(fx.dir, "user-data", "outside-ws.txt"), "not the workspace's\n");
    await symlink("../outside-ws.txt", join(fx.workspace, "up"));
    await expectSandboxError(fx.files.readFile("up"), "PERMISSION_DENIED", fx.dir);
    // The same file is fine through the mapping it belongs to.
    expect(await fx.files.readFile("/mnt/user-data/outside-ws.txt")).toBe("not the workspace's\n");
  });

  it("writes through a dangling link inside by creating its target, parents included", async () => {
    await symlink("made/later.txt", join(fx.workspace, "dangling"));
    await fx.files.writeFile("dangling", "now\n");
    expect(await readFile(join(fx.workspace, "made/later.txt"), "utf8")).toBe("now\n");
    expect((await lstat(join(fx.workspace, "dangling"))).isSymbolicLink()).toBe(true);
  });

  it("refuses a mapping root that became a symlink, without touching its target", async () => {
    await fx.files.writeFile("a.txt", "a\n");
    await rename(fx.workspace, join(fx.dir, "ws-aside"));
    await symlink(fx.outside, fx.workspace);
    await writeFile(join(fx.outside, "secret"), "s3cret");
    await expectSandboxError(fx.files.readFile("secret"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.writeFile("x.txt", "x"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.grep(WS, "s3cret"), "PERMISSION_DENIED", fx.dir);
    expect(await readdir(fx.outside)).toEqual(["secret"]);
  });

  it.skipIf(!isRoot)("gives what it creates to the owner, through descriptors", async () => {
    const owner = { uid: 4321, gid: 4322 };
    const files = createHostFiles(fx.mapper, { owner });
    await files.writeFile("deep/er/owned.txt", "x\n");
    await files.writeFile("log.txt", "a\n", { append: true });
    for (const path of ["deep", "deep/er", "deep/er/owned.txt", "log.txt"]) {
      const stats = await stat(join(fx.workspace, path));
      expect({ uid: stats.uid, gid: stats.gid }, path).toEqual(owner);
    }
    // The root itself and anything outside are left alone.
    expect((await stat(fx.workspace)).uid).toBe(0);
    expect((await stat(fx.outside)).uid).toBe(0);
  });
});
