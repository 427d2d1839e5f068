import { execFileSync } from "node:child_process";
import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

describe("readFile / readBytes", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("reads text, line ranges and bytes; relative paths resolve against the workspace", async () => {
    await writeFile(join(fx.workspace, "a.txt"), "one\ntwo\nthree\n");
    expect(await fx.files.readFile(`${WS}/a.txt`)).toBe("one\ntwo\nthree\n");
    expect(await fx.files.readFile("a.txt", { startLine: 2, endLine: 2 })).toBe("two\n");
    expect(await fx.files.readFile("a.txt", { startLine: 3, endLine: 9 })).toBe("three\n");
    expect(Buffer.from(await fx.files.readBytes("a.txt")).toString()).toBe("one\ntwo\nthree\n");
  });

  it("reads from a read-only mapping", async () => {
    await writeFile(join(fx.skills, "SKILL.md"), "# skill\n");
    expect(await fx.files.readFile("/mnt/skills/SKILL.md")).toBe("# skill\n");
  });

  it("reports a missing file as NOT_FOUND with the virtual path only", async () => {
    const error = await fx.files.readFile("missing.txt").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NOT_FOUND", path: `${WS}/missing.txt` });
    expect(String((error as Error).message)).toContain(`${WS}/missing.txt`);
    await expectSandboxError(fx.files.readBytes("nope/missing.bin"), "NOT_FOUND", fx.dir);
  });

  it("refuses symlinks and .. that leave the mapping", async () => {
    await writeFile(join(fx.outside, "secret"), "s3cret");
    await symlink(join(fx.outside, "secret"), join(fx.workspace, "link"));
    await symlink(fx.outside, join(fx.workspace, "dirlink"));
    await expectSandboxError(fx.files.readFile("link"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.readBytes("dirlink/secret"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(
      fx.files.readFile(`${WS}/../../outside/secret`),
      "PERMISSION_DENIED",
      fx.dir,
    );
    await expectSandboxError(fx.files.readFile("/etc/passwd"), "PERMISSION_DENIED", fx.dir);
  });

  it("follows a symlink that stays inside the mapping", async () => {
    await writeFile(join(fx.workspace, "real.txt"), "real");
    await symlink("real.txt", join(fx.workspace, "alias.txt"));
    expect(await fx.files.readFile("alias.txt")).toBe("real");
  });

  it("rejects bad input before touching the disk", async () => {
    await expectSandboxError(fx.files.readFile("a\0b"), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.readFile(""), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(
      fx.files.readFile("missing", { startLine: 3, endLine: 1 }),
      "INVALID_ARGUMENT",
      fx.dir,
    );
  });

  it("refuses directories and does not hang on a FIFO", async () => {
    await expectSandboxError(fx.files.readFile(WS), "INVALID_ARGUMENT", fx.dir);
    execFileSync("mkfifo", [join(fx.workspace, "pipe")]);
    await expectSandboxError(fx.files.readFile("pipe"), "INVALID_ARGUMENT", fx.dir);
  });

  it("reads unicode file names", async () => {
    await fx.files.writeFile("résumé 文件.md", "héllo ✓\n");
    expect(await fx.files.readFile(`${WS}/résumé 文件.md`)).toBe("héllo ✓\n");
  });
});
