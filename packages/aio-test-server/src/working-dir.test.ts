import { mkdtemp, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkWorkingDir, WorkingDirError } from "./working-dir.js";

let dir: string;
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), "working-dir-")));
  await writeFile(join(dir, "file"), "");
  await symlink(dir, join(dir, "link"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkWorkingDir", () => {
  it("resolves symlinks unless asked to keep them", async () => {
    expect(await checkWorkingDir(join(dir, "link"), false)).toEqual({ cwd: dir, pwd: dir });
    expect(await checkWorkingDir(join(dir, "link"), true)).toEqual({
      cwd: join(dir, "link"),
      pwd: join(dir, "link"),
    });
  });

  it.each([
    ["relative", "relative/dir", /must be absolute/],
    ["missing", "/no/such/dir", /does not exist/],
    ["a file", "FILE", /is not a directory/],
  ])("refuses a %s path", async (_, path, message) => {
    const result = await checkWorkingDir(path === "FILE" ? join(dir, "file") : path, false);
    expect(result).toBeInstanceOf(WorkingDirError);
    expect((result as WorkingDirError).message).toMatch(message);
  });
});
