// The edges of descriptor-anchored resolution, attacked as the agent would (a symlink it made in
// the workspace): issue 18 asks for every mutant of path containment to be killed or reviewed.
import { mkdir, readdir, readFile, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSandboxError(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return { code: error.code, message: error.message, path: error.path };
}

describe("anchored resolution edges", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("refuses an absolute link into a sibling whose name starts like the root", async () => {
    const sibling = `${fx.workspace}-secrets`;
    await mkdir(sibling);
    await writeFile(join(sibling, "key"), "s3cret");
    await symlink(join(sibling, "key"), join(fx.workspace, "key"));
    await symlink(sibling, join(fx.workspace, "dir"));
    expect(await failure(fx.files.readFile("key"))).toEqual({
      code: "PERMISSION_DENIED",
      message: `Access denied: ${WS}/key leads outside ${WS}`,
      path: `${WS}/key`,
    });
    await expectSandboxError(fx.files.readFile("dir/key"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.writeFile("dir/new", "x"), "PERMISSION_DENIED", fx.dir);
    expect(await readdir(sibling)).toEqual(["key"]);
  });

  it("follows an absolute link to the root itself, and to a place below it", async () => {
    await writeFile(join(fx.workspace, "a.txt"), "a\n");
    await mkdir(join(fx.workspace, "d"));
    await symlink(fx.workspace, join(fx.workspace, "d", "top"));
    await symlink(join(fx.workspace, "d"), join(fx.workspace, "to-d"));
    expect(await fx.files.readFile("d/top/a.txt")).toBe("a\n");
    await fx.files.writeFile("to-d/top/b.txt", "b\n");
    expect(await readFile(join(fx.workspace, "b.txt"), "utf8")).toBe("b\n");
    expect(await fx.files.readFile("to-d/top/to-d/top/b.txt")).toBe("b\n");
  });

  it("refuses a relative link that climbs above the root, and allows one that stays", async () => {
    await mkdir(join(fx.workspace, "d", "e"), { recursive: true });
    await writeFile(join(fx.workspace, "a.txt"), "a\n");
    await symlink("../../a.txt", join(fx.workspace, "d", "e", "up-two"));
    await symlink("../../../x", join(fx.workspace, "d", "e", "up-three"));
    await symlink("./../e/../../a.txt", join(fx.workspace, "d", "e", "dotted"));
    expect(await fx.files.readFile("d/e/up-two")).toBe("a\n");
    expect(await fx.files.readFile("d/e/dotted")).toBe("a\n");
    expect(await failure(fx.files.readFile("d/e/up-three"))).toEqual({
      code: "PERMISSION_DENIED",
      message: `Access denied: ${WS}/d/e/up-three leads outside ${WS}`,
      path: `${WS}/d/e/up-three`,
    });
    await expectSandboxError(fx.files.writeFile("d/e/up-three", "x"), "PERMISSION_DENIED", fx.dir);
  });

  it("follows 40 links in a row inside, and refuses the 41st", async () => {
    await writeFile(join(fx.workspace, "end.txt"), "end\n");
    for (let i = 0; i < 41; i += 1) {
      await symlink(i === 40 ? "end.txt" : `l${i + 1}`, join(fx.workspace, `l${i}`));
    }
    expect(await fx.files.readFile("l1")).toBe("end\n");
    const tooMany = await failure(fx.files.readFile("l0"));
    expect(tooMany.code).toBe("PERMISSION_DENIED");
    expect(tooMany.message).toBe(`Cannot read ${WS}/l0: too many levels of symbolic links`);
    // The same count holds for links that are directories on the way.
    await mkdir(join(fx.workspace, "real"));
    for (let i = 0; i < 41; i += 1) {
      await symlink(i === 40 ? "real" : `d${i + 1}`, join(fx.workspace, `d${i}`));
    }
    await fx.files.writeFile("d1/x.txt", "x\n");
    expect(await readFile(join(fx.workspace, "real", "x.txt"), "utf8")).toBe("x\n");
    expect((await failure(fx.files.writeFile("d0/y.txt", "y"))).code).toBe("PERMISSION_DENIED");
  });

  it("refuses to write on a directory or a mapping root, naming the operation", async () => {
    await mkdir(join(fx.workspace, "d"));
    expect(await failure(fx.files.writeFile("d", "x"))).toEqual({
      code: "INVALID_ARGUMENT",
      message: `Cannot write ${WS}/d: is a directory`,
      path: `${WS}/d`,
    });
    expect((await failure(fx.files.writeFile(WS, "x"))).message).toBe(
      `Cannot write ${WS}: is a directory`,
    );
    await symlink("d", join(fx.workspace, "to-d"));
    expect((await failure(fx.files.writeFile("to-d", "x"))).code).toBe("INVALID_ARGUMENT");
  });

  it("tells a mapping root that is gone from one that became a symlink", async () => {
    await fx.files.writeFile("a.txt", "a\n");
    await rename(fx.workspace, join(fx.dir, "ws-aside"));
    expect((await failure(fx.files.readFile("a.txt"))).code).toBe("NOT_FOUND");
    await symlink(join(fx.dir, "ws-aside"), fx.workspace);
    expect(await failure(fx.files.readFile("a.txt"))).toEqual({
      code: "PERMISSION_DENIED",
      message: `Access denied: ${WS}/a.txt leads outside ${WS}`,
      path: `${WS}/a.txt`,
    });
  });

  it("creates missing parents only when asked, and through links inside", async () => {
    await fx.files.writeFile("p/q/r.txt", "r\n");
    expect(await readFile(join(fx.workspace, "p/q/r.txt"), "utf8")).toBe("r\n");
    await symlink("p/new-dir", join(fx.workspace, "later"));
    await fx.files.writeFile("later/s.txt", "s\n");
    expect(await readFile(join(fx.workspace, "p/new-dir/s.txt"), "utf8")).toBe("s\n");
    expect((await failure(fx.files.readFile("p/none/x"))).code).toBe("NOT_FOUND");
  });

  it("reads and writes a file reached through a file link chain ending inside", async () => {
    await writeFile(join(fx.workspace, "f.txt"), "f\n");
    await symlink("f.txt", join(fx.workspace, "g"));
    await symlink("g", join(fx.workspace, "h"));
    await fx.files.writeFile("h", "h\n");
    expect(await readFile(join(fx.workspace, "f.txt"), "utf8")).toBe("h\n");
    expect(await fx.files.readFile("h")).toBe("h\n");
  });
});

describe("descriptors", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  const openDescriptors = async () => (await readdir("/proc/self/fd")).length;

  it.skipIf(process.platform !== "linux")(
    "closes every directory it opens, whether the call succeeds or fails",
    async () => {
      await mkdir(join(fx.workspace, "a/b/c"), { recursive: true });
      await writeFile(join(fx.workspace, "a/b/c/f.txt"), "f\n");
      await symlink("/etc", join(fx.workspace, "out"));
      // Warm up (lazy handles of the runtime), then count.
      await fx.files.readFile("a/b/c/f.txt");
      const before = await openDescriptors();
      for (let i = 0; i < 20; i += 1) {
        await fx.files.readFile("a/b/c/f.txt");
        await fx.files.writeFile(`a/b/c/w${i}.txt`, "w\n");
        await fx.files.writeFile(`new${i}/deep/x.txt`, "x\n");
        await fx.files.readFile("out/passwd").catch(() => undefined);
        await fx.files.readFile("a/missing/x").catch(() => undefined);
        await fx.files.listDir("a");
        const [from, to] = i % 2 === 0 ? ["f", "g"] : ["g", "f"];
        await fx.files.replaceInFile("a/b/c/f.txt", from, to);
      }
      // Closing is not awaited by the callers: give it a moment to finish.
      for (let tries = 0; tries < 50 && (await openDescriptors()) > before; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await openDescriptors()).toBeLessThanOrEqual(before);
    },
  );
});
