// The path rules' edges, one by one (issue 18: every mutant Stryker makes in path containment
// and masking is killed by a test or reviewed in docs/testing.md).
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSandboxError, type SandboxError } from "../errors/sandbox-error.js";
import { MAX_PATH_LENGTH, normalizeVirtualPath } from "./normalize.js";
import { PathMapper } from "./path-mapper.js";
import { resolveRealPath } from "./real-path.js";

let base: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "core-path-rules-"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function thrown(run: () => unknown): SandboxError {
  try {
    run();
  } catch (error) {
    if (isSandboxError(error)) return error;
    throw error;
  }
  throw new Error("expected a SandboxError");
}

async function rejected(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSandboxError(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

describe("normalizeVirtualPath", () => {
  it("refuses what is not a non-empty string, with a message that says so", () => {
    for (const bad of [undefined, 42, null, {}, ""]) {
      const error = thrown(() => normalizeVirtualPath(bad));
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.message).toBe("A path must be a non-empty string");
    }
    const nul = thrown(() => normalizeVirtualPath("/mnt/a\0b"));
    expect(nul.message).toBe("A path must not contain NUL bytes");
  });

  it("accepts exactly MAX_PATH_LENGTH characters and refuses one more", () => {
    const longest = `/${"a".repeat(MAX_PATH_LENGTH - 1)}`;
    expect(normalizeVirtualPath(longest)).toBe(longest);
    const error = thrown(() => normalizeVirtualPath(`${longest}b`));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toBe(
      `A path must be at most ${MAX_PATH_LENGTH} characters (got ${MAX_PATH_LENGTH + 1})`,
    );
  });

  it("drops a trailing slash but keeps the root", () => {
    expect(normalizeVirtualPath("/")).toBe("/");
    expect(normalizeVirtualPath("//")).toBe("/");
    expect(normalizeVirtualPath("/mnt/a/")).toBe("/mnt/a");
    expect(normalizeVirtualPath("a/", "/mnt")).toBe("/mnt/a");
  });
});

describe("resolveRealPath", () => {
  it("follows a dangling symlink to its target, relative or absolute", async () => {
    const dir = join(base, "dangling");
    await mkdir(dir);
    await symlink("missing.txt", join(dir, "relative"));
    await symlink("/nonexistent-core-test/x", join(dir, "absolute"));
    await symlink("sub/../missing-too", join(dir, "dotted"));
    expect(await resolveRealPath(join(dir, "relative"))).toBe(join(dir, "missing.txt"));
    expect(await resolveRealPath(join(dir, "absolute"))).toBe("/nonexistent-core-test/x");
    expect(await resolveRealPath(join(dir, "relative", "new.txt"))).toBe(
      join(dir, "missing.txt", "new.txt"),
    );
  });

  it("keeps a path below a file as written (it cannot exist, so nothing to follow)", async () => {
    const dir = join(base, "below-file");
    await mkdir(dir);
    await writeFile(join(dir, "file"), "x");
    expect(await resolveRealPath(join(dir, "file", "x", "y"))).toBe(join(dir, "file", "x", "y"));
    await symlink("file/z", join(dir, "through-file"));
    expect(await resolveRealPath(join(dir, "through-file"))).toBe(join(dir, "file", "z"));
  });

  it("follows 40 links to a missing target, as Linux does", async () => {
    const dir = join(base, "chain");
    await mkdir(dir);
    for (let i = 0; i < 40; i += 1) {
      await symlink(i === 39 ? "end-missing" : `link-${i + 1}`, join(dir, `link-${i}`));
    }
    expect(await resolveRealPath(join(dir, "link-0"))).toBe(join(dir, "end-missing"));
  });
});

describe("PathMapper edges", () => {
  const mapping = (virtualPath: string, hostPath: string, readOnly = false) => ({
    virtualPath,
    hostPath,
    readOnly,
  });

  it("refuses a mapping table with CONFIG_INVALID and says why", () => {
    const cases: [Parameters<typeof mapping>, RegExp][] = [
      [["/mnt/a/../b", "/x"], /must be absolute and normalised/],
      [["/mnt//a", "/x"], /must be absolute and normalised/],
      [["/", "/x"], /^A mapping may not cover the whole virtual root '\/'$/],
      [["/mnt/a", "x"], /^The host path of mapping \/mnt\/a must be absolute$/],
    ];
    for (const [args, message] of cases) {
      const error = thrown(() => new PathMapper([mapping(...args)]));
      expect(error.code).toBe("CONFIG_INVALID");
      expect(error.message).toMatch(message);
    }
    const twice = thrown(() => new PathMapper([mapping("/mnt/a", "/x"), mapping("/mnt/a", "/y")]));
    expect(twice.code).toBe("CONFIG_INVALID");
    expect(twice.message).toBe("Two mappings share the virtual path /mnt/a");
  });

  it("resolves relative paths against its cwd, the workspace by default", () => {
    const mapper = new PathMapper([mapping("/mnt/a", "/h/a")]);
    expect(mapper.cwd).toBe("/mnt/user-data/workspace");
    const inA = new PathMapper([mapping("/mnt/a", "/h/a")], { cwd: "/mnt/a" });
    expect(inA.match("x/y")).toEqual({
      mapping: mapping("/mnt/a", "/h/a"),
      virtualPath: "/mnt/a/x/y",
      hostPath: "/h/a/x/y",
    });
    expect(inA.match("/mnt/ab")).toBeUndefined();
  });

  it("names the virtual path, and only it, in every refusal", async () => {
    const root = join(base, "refusals");
    await mkdir(join(root, "ro"), { recursive: true });
    await mkdir(join(root, "rw"), { recursive: true });
    await symlink("loop-b", join(root, "rw", "loop-a"));
    await symlink("loop-a", join(root, "rw", "loop-b"));
    await symlink("/etc", join(root, "rw", "etc"));
    const mapper = new PathMapper([
      mapping("/mnt/ro", join(root, "ro"), true),
      mapping("/mnt/rw", join(root, "rw")),
    ]);

    const outside = thrown(() => mapper.check("/etc/x"));
    expect([outside.code, outside.message, outside.path]).toEqual([
      "PERMISSION_DENIED",
      "Access denied: /etc/x is outside the sandbox",
      "/etc/x",
    ]);
    const readOnly = thrown(() => mapper.check("/mnt/ro/f", { write: true }));
    expect([readOnly.code, readOnly.message, readOnly.path]).toEqual([
      "READ_ONLY",
      "Cannot write /mnt/ro/f: it is on a read-only mount",
      "/mnt/ro/f",
    ]);
    const leaving = await rejected(mapper.resolve("/mnt/rw/etc/passwd"));
    expect([leaving.code, leaving.message, leaving.path]).toEqual([
      "PERMISSION_DENIED",
      "Access denied: /mnt/rw/etc/passwd leads outside /mnt/rw",
      "/mnt/rw/etc/passwd",
    ]);
    const loop = await rejected(mapper.resolve("/mnt/rw/loop-a"));
    expect([loop.code, loop.message, loop.path]).toEqual([
      "PERMISSION_DENIED",
      "Access denied: /mnt/rw/loop-a (too many symbolic links)",
      "/mnt/rw/loop-a",
    ]);
    expect((loop.cause as NodeJS.ErrnoException).code).toBe("ELOOP");
  });

  it("says which error stopped a resolution that is not a loop", async () => {
    const root = join(base, "long-name");
    await mkdir(root);
    const mapper = new PathMapper([mapping("/mnt/l", root)]);
    // A name over NAME_MAX (255 bytes): the kernel refuses it with ENAMETOOLONG.
    const path = `/mnt/l/${"n".repeat(300)}`;
    const error = await rejected(mapper.resolve(path));
    expect([error.code, error.message, error.path]).toEqual([
      "PERMISSION_DENIED",
      `Access denied: ${path} (ENAMETOOLONG)`,
      path,
    ]);
    expect((error.cause as NodeJS.ErrnoException).code).toBe("ENAMETOOLONG");
  });

  it("masks the host roots from the start, longest virtual path first for a shared root", () => {
    const mapper = new PathMapper([
      mapping("/mnt/s", "/h/shared"),
      mapping("/mnt/long-name", "/h/shared"),
      mapping("/mnt/dots", "/h/a.b"),
      mapping("/mnt/root", "/"),
    ]);
    expect(mapper.maskOutput("/h/shared/x")).toBe("/mnt/long-name/x");
    // A host path is matched literally (`.` is no wildcard), and `/` alone is never masked.
    expect(mapper.maskOutput("/h/a.b/1 /h/aXb/2 /etc/passwd")).toBe(
      "/mnt/dots/1 /h/aXb/2 /etc/passwd",
    );
    expect(mapper.maskOutput("")).toBe("");
    expect(mapper.hostPaths.sort()).toEqual(["/", "/h/a.b", "/h/shared"]);
  });

  it("maps a host path to the mapping with the longest host root, whatever the order", () => {
    const innerFirst = new PathMapper([
      mapping("/mnt/longer-inner", "/h/in"),
      mapping("/mnt/o", "/h"),
    ]);
    const outerFirst = new PathMapper([
      mapping("/mnt/longer-outer", "/h"),
      mapping("/mnt/i", "/h/in"),
    ]);
    expect(innerFirst.toVirtual("/h/in/x")).toBe("/mnt/longer-inner/x");
    expect(innerFirst.toVirtual("/h/inx")).toBe("/mnt/o/inx");
    expect(outerFirst.toVirtual("/h/in/x")).toBe("/mnt/i/x");
    expect(outerFirst.toVirtual("/h/in//x/")).toBe("/mnt/i/x/");
    expect(outerFirst.toVirtual("/elsewhere")).toBeUndefined();
  });

  it("masks a root's real path too, once prepared (a root reached through a symlink)", async () => {
    const root = join(base, "real-root");
    await mkdir(join(root, "real", "ws"), { recursive: true });
    await symlink(join(root, "real"), join(root, "link"));
    const mapper = new PathMapper([mapping("/mnt/ws", join(root, "link", "ws"))]);
    expect(mapper.maskOutput(`${root}/real/ws/a`)).toBe(`${root}/real/ws/a`);
    await mapper.prepare();
    expect(mapper.maskOutput(`${root}/real/ws/a ${root}/link/ws/b`)).toBe("/mnt/ws/a /mnt/ws/b");
    expect(mapper.hostPaths.sort()).toEqual([`${root}/link/ws`, `${root}/real/ws`]);
    expect(mapper.toVirtual(`${root}/real/ws/c`)).toBe("/mnt/ws/c");
  });

  it("prepares every root even when one cannot be resolved", async () => {
    const root = join(base, "prepare");
    await mkdir(join(root, "ok"), { recursive: true });
    await symlink("loop", join(root, "loop"));
    const mapper = new PathMapper([
      mapping("/mnt/bad", join(root, "loop", "x")),
      mapping("/mnt/ok", join(root, "ok")),
    ]);
    await expect(mapper.prepare()).resolves.toBeUndefined();
    expect((await mapper.resolve("/mnt/ok/f")).hostPath).toBe(join(root, "ok", "f"));
  });
});
