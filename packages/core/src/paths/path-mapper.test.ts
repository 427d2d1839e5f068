import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { ensureThreadDirectories, threadDirectories } from "../layout/thread-directories.js";
import { threadMappings } from "../layout/thread-mappings.js";
import { PathMapper } from "./path-mapper.js";

let base: string;
let mapper: PathMapper;
let other: PathMapper;
let skills: string;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isSandboxError(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  expect(error.message).not.toContain(base);
  return error.code;
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), "core-mapper-"));
  skills = join(base, "skills");
  await mkdir(join(skills, "demo"), { recursive: true });
  await writeFile(join(skills, "demo", "SKILL.md"), "demo skill");
  const mine = threadDirectories(base, "alice", "t1");
  const theirs = threadDirectories(base, "bob", "t2");
  await ensureThreadDirectories(mine);
  await ensureThreadDirectories(theirs);
  await writeFile(join(theirs.workspace, "secret.txt"), "bob's secret");
  mapper = new PathMapper(threadMappings(mine, { skillsDir: skills }));
  other = new PathMapper(threadMappings(theirs, { skillsDir: skills }));
  const ws = mine.workspace;
  await symlink("/etc", join(ws, "etc-link"));
  await symlink("/etc/passwd", join(ws, "passwd-link"));
  await symlink(theirs.workspace, join(ws, "bob-abs"));
  await symlink("../../../../../bob/threads/t2/user-data/workspace", join(ws, "bob-rel"));
  await symlink("/tmp/definitely-not-here-core-test", join(ws, "dangling"));
  await symlink("chain-2", join(ws, "chain-1"));
  await symlink("chain-3", join(ws, "chain-2"));
  await symlink("/etc", join(ws, "chain-3"));
  await symlink("inner.txt", join(ws, "inner-link"));
  await writeFile(join(ws, "inner.txt"), "inside");
  await symlink("loop-b", join(ws, "loop-a"));
  await symlink("loop-a", join(ws, "loop-b"));
  await mkdir(join(ws, "sub"));
  await symlink("..", join(ws, "sub", "up"));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("PathMapper.resolve", () => {
  it("maps each standard virtual path to the thread's directories", async () => {
    const mine = threadDirectories(base, "alice", "t1");
    expect((await mapper.resolve("/mnt/user-data")).hostPath).toBe(mine.userData);
    expect((await mapper.resolve("/mnt/user-data/workspace/a.txt")).hostPath).toBe(
      join(mine.workspace, "a.txt"),
    );
    expect((await mapper.resolve("/mnt/user-data/uploads")).hostPath).toBe(mine.uploads);
    expect((await mapper.resolve("/mnt/user-data/outputs/x")).hostPath).toBe(
      join(mine.outputs, "x"),
    );
    expect((await mapper.resolve("/mnt/acp-workspace")).hostPath).toBe(mine.acpWorkspace);
    expect((await mapper.resolve("/mnt/skills/demo/SKILL.md")).mapping.readOnly).toBe(true);
  });

  it("picks the longest whole-segment prefix", async () => {
    expect((await mapper.resolve("/mnt/user-data/workspace/x")).mapping.virtualPath).toBe(
      "/mnt/user-data/workspace",
    );
    expect((await mapper.resolve("/mnt/user-data/workspace-2")).mapping.virtualPath).toBe(
      "/mnt/user-data",
    );
    expect(await refusal(mapper.resolve("/mnt/skills-extra/x"))).toBe("PERMISSION_DENIED");
    expect(await refusal(mapper.resolve("/mnt/skillsx"))).toBe("PERMISSION_DENIED");
  });

  it("normalises trailing, doubled and dot segments", async () => {
    const a = await mapper.resolve("/mnt/user-data//workspace///a.txt");
    const b = await mapper.resolve("/mnt/user-data/./workspace/sub/../a.txt/");
    expect(a.virtualPath).toBe("/mnt/user-data/workspace/a.txt");
    expect(b.hostPath).toBe(a.hostPath);
  });

  it("resolves relative paths against the workspace", async () => {
    expect((await mapper.resolve("notes/a.md")).virtualPath).toBe(
      "/mnt/user-data/workspace/notes/a.md",
    );
  });

  it("refuses `..` escapes and unmapped paths", async () => {
    for (const path of [
      "/mnt/user-data/workspace/../../../etc/passwd",
      "/mnt/user-data/../../etc",
      "/etc/passwd",
      "/",
      "/mnt",
      "/tmp",
      "../../etc/passwd",
    ]) {
      expect(await refusal(mapper.resolve(path)), path).toBe("PERMISSION_DENIED");
    }
  });

  it("refuses symlinks that leave the mapping: file, directory, dangling, chains, other threads", async () => {
    for (const path of [
      "/mnt/user-data/workspace/etc-link",
      "/mnt/user-data/workspace/etc-link/passwd",
      "/mnt/user-data/workspace/passwd-link",
      "/mnt/user-data/workspace/bob-abs/secret.txt",
      "/mnt/user-data/workspace/bob-rel/secret.txt",
      "/mnt/user-data/workspace/dangling",
      "/mnt/user-data/workspace/chain-1/passwd",
    ]) {
      expect(await refusal(mapper.resolve(path)), path).toBe("PERMISSION_DENIED");
    }
    expect(
      await refusal(mapper.resolve("/mnt/user-data/workspace/dangling", { write: true })),
    ).toBe("PERMISSION_DENIED");
  });

  it("follows symlinks that stay inside the mapping", async () => {
    const resolved = await mapper.resolve("/mnt/user-data/workspace/inner-link");
    expect(resolved.hostPath.endsWith("/workspace/inner.txt")).toBe(true);
    const up = await mapper.resolve("/mnt/user-data/workspace/sub/up/inner.txt");
    expect(up.hostPath.endsWith("/workspace/inner.txt")).toBe(true);
    // `..` is resolved on the virtual path before any symlink is followed.
    const lexical = await mapper.resolve("/mnt/user-data/workspace/sub/up/../x");
    expect(lexical.virtualPath).toBe("/mnt/user-data/workspace/sub/x");
  });

  it("refuses symlink loops", async () => {
    expect(await refusal(mapper.resolve("/mnt/user-data/workspace/loop-a"))).toBe(
      "PERMISSION_DENIED",
    );
  });

  it("checks new files against their nearest existing ancestor", async () => {
    const fresh = await mapper.resolve("/mnt/user-data/workspace/new/dir/file.txt", {
      write: true,
    });
    expect(fresh.hostPath).toContain("/workspace/new/dir/file.txt");
    expect(
      await refusal(mapper.resolve("/mnt/user-data/workspace/etc-link/new.txt", { write: true })),
    ).toBe("PERMISSION_DENIED");
  });

  it("refuses writes under read-only mappings whoever asks", async () => {
    expect(await refusal(mapper.resolve("/mnt/skills/demo/SKILL.md", { write: true }))).toBe(
      "READ_ONLY",
    );
    expect(await refusal(mapper.resolve("/mnt/skills/new.txt", { write: true }))).toBe("READ_ONLY");
    await expect(mapper.resolve("/mnt/skills/demo/SKILL.md")).resolves.toBeDefined();
  });

  it("rejects NUL bytes, empty and over-long paths", async () => {
    expect(await refusal(mapper.resolve("/mnt/user-data/workspace/a\0b"))).toBe("INVALID_ARGUMENT");
    expect(await refusal(mapper.resolve(""))).toBe("INVALID_ARGUMENT");
    expect(await refusal(mapper.resolve(`/mnt/user-data/workspace/${"a".repeat(5000)}`))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("handles unicode and long-but-legal names", async () => {
    const unicode = await mapper.resolve("/mnt/user-data/workspace/données/日本語/😀.txt");
    expect(unicode.hostPath.endsWith("/workspace/données/日本語/😀.txt")).toBe(true);
    const long = `/mnt/user-data/workspace/${"x".repeat(255)}/${"y".repeat(255)}`;
    expect((await mapper.resolve(long)).virtualPath).toBe(long);
  });

  it("keeps threads apart", async () => {
    const mine = await mapper.resolve("/mnt/user-data/workspace/secret.txt");
    const theirs = await other.resolve("/mnt/user-data/workspace/secret.txt");
    expect(mine.hostPath).not.toBe(theirs.hostPath);
    expect(mine.hostPath).toContain("/alice/");
  });
});

describe("PathMapper commands and output", () => {
  it("rewrites whole virtual paths only", () => {
    const mine = threadDirectories(base, "alice", "t1");
    expect(mapper.rewriteCommand("cat /mnt/user-data/workspace/a.txt")).toBe(
      `cat ${mine.workspace}/a.txt`,
    );
    expect(mapper.rewriteCommand("ls /mnt/skills-extra /mnt/skills")).toBe(
      `ls /mnt/skills-extra ${skills}`,
    );
    expect(mapper.rewriteCommand("echo x>/mnt/user-data/outputs/o;cd '/mnt/user-data'")).toBe(
      `echo x>${mine.outputs}/o;cd '${mine.userData}'`,
    );
    expect(mapper.rewriteCommand("ls /x/mnt/user-data foo/mnt/skills")).toBe(
      "ls /x/mnt/user-data foo/mnt/skills",
    );
  });

  it("masks host paths back to virtual ones", () => {
    const mine = threadDirectories(base, "alice", "t1");
    const output = `${mine.workspace}/a.txt\n${mine.userData}\n${skills}/demo: ok\n${mine.workspace}-other`;
    expect(mapper.maskOutput(output)).toBe(
      `/mnt/user-data/workspace/a.txt\n/mnt/user-data\n/mnt/skills/demo: ok\n/mnt/user-data/workspace-other`,
    );
  });

  it("maps host paths to virtual ones", () => {
    const mine = threadDirectories(base, "alice", "t1");
    expect(mapper.toVirtual(join(mine.uploads, "f.pdf"))).toBe("/mnt/user-data/uploads/f.pdf");
    expect(mapper.toVirtual("/etc/passwd")).toBeUndefined();
  });

  it("masks output-only paths without mapping them", async () => {
    const mine = threadDirectories(base, "alice", "t1");
    const masked = new PathMapper(threadMappings(mine));
    // Nested under a mapping's host path on purpose: the longer, output-only path must win.
    const hidden = join(mine.userData, "outside-view");
    masked.addOutputMask(hidden, "/tmp");
    expect(masked.maskOutput(`${hidden}/x ${mine.userData}/y ${hidden}-z`)).toBe(
      `/tmp/x /mnt/user-data/y /mnt/user-data/outside-view-z`,
    );
    expect(masked.hostPaths).toContain(hidden);
    expect(masked.toVirtual(join(hidden, "x"))).toBe("/mnt/user-data/outside-view/x");
    expect(masked.rewriteCommand("cat /tmp/x")).toBe("cat /tmp/x");
    expect(await refusal(masked.resolve("/tmp/x"))).toBe("PERMISSION_DENIED");
    expect(() => masked.addOutputMask("relative", "/tmp")).toThrowError(/absolute/);
  });

  it("rejects invalid mapping tables", () => {
    const bad = [
      [{ virtualPath: "relative", hostPath: "/x", readOnly: false }],
      [{ virtualPath: "/", hostPath: "/x", readOnly: false }],
      [{ virtualPath: "/mnt/a", hostPath: "x", readOnly: false }],
      [
        { virtualPath: "/mnt/a", hostPath: "/x", readOnly: false },
        { virtualPath: "/mnt/a", hostPath: "/y", readOnly: false },
      ],
    ];
    for (const mappings of bad) {
      expect(() => new PathMapper(mappings)).toThrowError(/mapping|Mapping/);
    }
  });
});
