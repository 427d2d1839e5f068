import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { validateMounts } from "./mounts.js";
import {
  ensureThreadDirectories,
  sandboxDirectoriesAt,
  threadDirectories,
} from "./thread-directories.js";
import { threadMappings } from "./thread-mappings.js";

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "core-layout-"));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("thread directories", () => {
  it("lays out users/{user}/threads/{thread}", async () => {
    const dirs = threadDirectories(base, undefined, "t1");
    expect(dirs.workspace).toBe(join(base, "users/default/threads/t1/user-data/workspace"));
    expect(dirs.acpWorkspace).toBe(join(base, "users/default/threads/t1/acp-workspace"));
    await Promise.all([ensureThreadDirectories(dirs), ensureThreadDirectories(dirs)]);
    for (const dir of [dirs.workspace, dirs.uploads, dirs.outputs, dirs.acpWorkspace]) {
      expect((await stat(dir)).isDirectory()).toBe(true);
    }
  });

  it("lays out a sandbox that belongs to no thread under any root", () => {
    expect(sandboxDirectoriesAt("/srv/sb/generic")).toEqual({
      baseDir: "/srv/sb",
      root: "/srv/sb/generic",
      userData: "/srv/sb/generic/user-data",
      workspace: "/srv/sb/generic/user-data/workspace",
      uploads: "/srv/sb/generic/user-data/uploads",
      outputs: "/srv/sb/generic/user-data/outputs",
      acpWorkspace: "/srv/sb/generic/acp-workspace",
    });
  });

  it("validates ids before touching disk", async () => {
    const before = await readdir(base);
    for (const [user, thread] of [
      ["ok", "../escape"],
      ["../escape", "ok"],
      ["ok", ""],
    ] as const) {
      expect(() => threadDirectories(base, user, thread)).toThrowError(/Invalid/);
    }
    expect(await readdir(base)).toEqual(before);
  });
});

describe("thread mappings", () => {
  it("maps the standard paths, skills read-only, acp optionally read-only", () => {
    const dirs = threadDirectories(base, "u", "t");
    const mappings = threadMappings(dirs, { skillsDir: "/srv/skills", acpReadOnly: true });
    const byPath = Object.fromEntries(mappings.map((m) => [m.virtualPath, m]));
    expect(Object.keys(byPath).sort()).toEqual([
      "/mnt/acp-workspace",
      "/mnt/skills",
      "/mnt/user-data",
      "/mnt/user-data/outputs",
      "/mnt/user-data/uploads",
      "/mnt/user-data/workspace",
    ]);
    expect(byPath["/mnt/skills"]?.readOnly).toBe(true);
    expect(byPath["/mnt/acp-workspace"]?.readOnly).toBe(true);
    expect(byPath["/mnt/user-data"]?.hostPath).toBe(dirs.userData);
  });

  it("honours a custom skills path and custom mounts", () => {
    const dirs = threadDirectories(base, "u", "t");
    const mappings = threadMappings(dirs, {
      skillsDir: "/srv/skills",
      skillsPath: "/opt/skills",
      mounts: [{ hostPath: "/srv/data/", virtualPath: "/mnt/data/", readOnly: true }],
    });
    expect(mappings).toContainEqual({
      virtualPath: "/opt/skills",
      hostPath: "/srv/skills",
      readOnly: true,
    });
    expect(mappings).toContainEqual({
      virtualPath: "/mnt/data",
      hostPath: "/srv/data",
      readOnly: true,
    });
  });
});

describe("custom mounts", () => {
  it.each([
    [
      { hostPath: "/srv/x", virtualPath: "/mnt/user-data/x" },
      /overlaps the reserved path \/mnt\/user-data/,
    ],
    [{ hostPath: "/srv/x", virtualPath: "/mnt/user-data" }, /overlaps/],
    [{ hostPath: "/srv/x", virtualPath: "/mnt" }, /overlaps/],
    [{ hostPath: "/srv/x", virtualPath: "/mnt/acp-workspace/y" }, /overlaps/],
    [
      { hostPath: "/srv/x", virtualPath: "/mnt/skills/y" },
      /overlaps the reserved path \/mnt\/skills/,
    ],
    [{ hostPath: "relative", virtualPath: "/mnt/x" }, /hostPath: must be an absolute path/],
    [{ hostPath: "/srv/x", virtualPath: "mnt/x" }, /virtualPath: must be an absolute path/],
    [{ hostPath: "/srv/x", virtualPath: "/" }, /may not be '\/'/],
    [{ hostPath: "/srv/x\0", virtualPath: "/mnt/x" }, /absolute path/],
  ])("refuses %j", (mount, message) => {
    try {
      validateMounts([mount]);
      expect.fail("accepted a bad mount");
    } catch (error) {
      expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
      expect((error as Error).message).toMatch(message);
      // Named like every other option error (issue 20).
      expect((error as Error).message).toMatch(/^options\.mounts\[0\]/);
    }
  });

  it("names the missing field of a malformed mount", () => {
    const malformed = [{ virtualPath: "/mnt/x" }] as unknown as Parameters<
      typeof validateMounts
    >[0];
    expect(() => validateMounts(malformed)).toThrowError(
      /^options\.mounts\[0\]\.hostPath: Invalid input/,
    );
  });

  it("allows neighbours of reserved paths and refuses duplicates", () => {
    expect(validateMounts([{ hostPath: "/a", virtualPath: "/mnt/skills-extra" }])).toHaveLength(1);
    expect(() =>
      validateMounts([
        { hostPath: "/a", virtualPath: "/mnt/d" },
        { hostPath: "/b", virtualPath: "/mnt/d/" },
      ]),
    ).toThrowError(/mounted twice/);
  });
});
