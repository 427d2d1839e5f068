import { chmod, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixture, expectSandboxError, type HostFilesFixture } from "./test-fixture.js";

describe("replaceInFile", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
    await writeFile(join(fx.workspace, "a.txt"), "foo bar foo\nbaz\n");
  });
  afterEach(() => fx.cleanup());

  it("replaces a unique occurrence and returns 1", async () => {
    expect(await fx.files.replaceInFile("a.txt", "baz", "qux")).toBe(1);
    expect(await fx.files.readFile("a.txt")).toBe("foo bar foo\nqux\n");
  });

  it("refuses zero and ambiguous matches without changing the file", async () => {
    await expectSandboxError(
      fx.files.replaceInFile("a.txt", "nope", "x"),
      "INVALID_ARGUMENT",
      fx.dir,
    );
    await expectSandboxError(
      fx.files.replaceInFile("a.txt", "foo", "x"),
      "INVALID_ARGUMENT",
      fx.dir,
    );
    await expectSandboxError(
      fx.files.replaceInFile("a.txt", "nope", "x", { replaceAll: true }),
      "INVALID_ARGUMENT",
      fx.dir,
    );
    expect(await fx.files.readFile("a.txt")).toBe("foo bar foo\nbaz\n");
  });

  it("replaces every occurrence with replaceAll", async () => {
    expect(await fx.files.replaceInFile("a.txt", "foo", "x", { replaceAll: true })).toBe(2);
    expect(await fx.files.readFile("a.txt")).toBe("x bar x\nbaz\n");
  });

  it("applies concurrent edits of one file one after the other", async () => {
    await writeFile(
      join(fx.workspace, "n.txt"),
      Array.from({ length: 20 }, (_, i) => `k${i};`).join(""),
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => fx.files.replaceInFile("n.txt", `k${i};`, `v${i};`)),
    );
    expect(await fx.files.readFile("n.txt")).toBe(
      Array.from({ length: 20 }, (_, i) => `v${i};`).join(""),
    );
  });

  it("keeps the mode and leaves no temp file", async () => {
    await chmod(join(fx.workspace, "a.txt"), 0o700);
    await fx.files.replaceInFile("a.txt", "baz", "qux");
    expect((await stat(join(fx.workspace, "a.txt"))).mode & 0o777).toBe(0o700);
    expect(await readdir(fx.workspace)).toEqual(["a.txt"]);
  });

  it("refuses read-only, missing and outside files", async () => {
    await writeFile(join(fx.skills, "s.md"), "x");
    await expectSandboxError(
      fx.files.replaceInFile("/mnt/skills/s.md", "x", "y"),
      "READ_ONLY",
      fx.dir,
    );
    await expectSandboxError(fx.files.replaceInFile("missing", "x", "y"), "NOT_FOUND", fx.dir);
    await expectSandboxError(
      fx.files.replaceInFile("../../outside/f", "x", "y"),
      "PERMISSION_DENIED",
      fx.dir,
    );
  });
});
