import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

describe("writeFile / writeBytes", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("creates parent directories and replaces atomically, leaving no temp files", async () => {
    await fx.files.writeFile(`${WS}/deep/er/a.txt`, "first");
    await fx.files.writeFile("deep/er/a.txt", "second");
    expect(await readFile(join(fx.workspace, "deep/er/a.txt"), "utf8")).toBe("second");
    expect(await readdir(join(fx.workspace, "deep/er"))).toEqual(["a.txt"]);
  });

  it("appends", async () => {
    await fx.files.writeFile("log.txt", "a\n", { append: true });
    await fx.files.writeFile("log.txt", "b\n", { append: true });
    expect(await fx.files.readFile("log.txt")).toBe("a\nb\n");
  });

  it("keeps an existing file's permission bits", async () => {
    await writeFile(join(fx.workspace, "run.sh"), "#!/bin/sh\n");
    await chmod(join(fx.workspace, "run.sh"), 0o751);
    await fx.files.writeFile("run.sh", "#!/bin/sh\necho hi\n");
    expect((await stat(join(fx.workspace, "run.sh"))).mode & 0o777).toBe(0o751);
  });

  it("writes bytes exactly", async () => {
    const data = new Uint8Array([0, 1, 2, 255, 0, 10]);
    await fx.files.writeBytes("blob.bin", data);
    expect(new Uint8Array(await fx.files.readBytes("blob.bin"))).toEqual(data);
    await expectSandboxError(
      fx.files.writeBytes("x.bin", "nope" as unknown as Uint8Array),
      "INVALID_ARGUMENT",
      fx.dir,
    );
  });

  it("refuses writes under a read-only mapping", async () => {
    await expectSandboxError(fx.files.writeFile("/mnt/skills/x.md", "x"), "READ_ONLY", fx.dir);
    await expectSandboxError(
      fx.files.writeBytes("/mnt/skills/sub/x.bin", new Uint8Array([1])),
      "READ_ONLY",
      fx.dir,
    );
    expect(await readdir(fx.skills)).toEqual([]);
  });

  it("refuses writes through symlinks that leave the mapping, creating nothing outside", async () => {
    await symlink(fx.outside, join(fx.workspace, "out"));
    await symlink(join(fx.outside, "new.txt"), join(fx.workspace, "dangling"));
    await expectSandboxError(fx.files.writeFile("out/x.txt", "x"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.writeFile("out/a/b/x", "x"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.writeFile("dangling", "x"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(
      fx.files.writeFile("dangling", "x", { append: true }),
      "PERMISSION_DENIED",
      fx.dir,
    );
    expect(await readdir(fx.outside)).toEqual([]);
  });

  it("writes through a symlink that stays inside, keeping the link", async () => {
    await writeFile(join(fx.workspace, "target.txt"), "old");
    await symlink("target.txt", join(fx.workspace, "link.txt"));
    await fx.files.writeFile("link.txt", "new");
    expect(await readFile(join(fx.workspace, "target.txt"), "utf8")).toBe("new");
    expect((await lstat(join(fx.workspace, "link.txt"))).isSymbolicLink()).toBe(true);
  });

  it("refuses to overwrite a directory or a mapping root", async () => {
    await mkdir(join(fx.workspace, "dir"));
    await expectSandboxError(fx.files.writeFile("dir", "x"), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(
      fx.files.writeFile("dir", "x", { append: true }),
      "INVALID_ARGUMENT",
      fx.dir,
    );
    await expectSandboxError(fx.files.writeFile(WS, "x"), "INVALID_ARGUMENT", fx.dir);
    expect((await stat(join(fx.workspace, "dir"))).isDirectory()).toBe(true);
  });

  it("refuses a path under an existing file as NOT_FOUND", async () => {
    await writeFile(join(fx.workspace, "file"), "x");
    await expectSandboxError(fx.files.writeFile("file/child", "x"), "NOT_FOUND", fx.dir);
  });

  it("serialises concurrent appends and writes to one file", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => fx.files.writeFile("n.txt", `${i}\n`, { append: true })),
    );
    const lines = (await fx.files.readFile("n.txt")).trim().split("\n");
    expect(lines.map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    await Promise.all(Array.from({ length: 20 }, (_, i) => fx.files.writeFile("w.txt", `v${i}`)));
    expect(await fx.files.readFile("w.txt")).toMatch(/^v\d+$/);
    expect((await readdir(fx.workspace)).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("rejects non-string content", async () => {
    await expectSandboxError(
      fx.files.writeFile("x", 42 as unknown as string),
      "INVALID_ARGUMENT",
      fx.dir,
    );
  });
});
