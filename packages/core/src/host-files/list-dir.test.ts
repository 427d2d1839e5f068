import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PathMapper } from "../paths/path-mapper.js";
import { createHostFiles } from "./host-files.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

describe("listDir", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("lists sorted absolute virtual paths, directories with '/', one level by default", async () => {
    await mkdir(join(fx.workspace, "src/lib"), { recursive: true });
    await writeFile(join(fx.workspace, "src/lib/a.ts"), "");
    await writeFile(join(fx.workspace, "src/index.ts"), "");
    await writeFile(join(fx.workspace, "README.md"), "");
    await writeFile(join(fx.workspace, "src-notes.txt"), "");
    expect(await fx.files.listDir(WS)).toEqual([
      `${WS}/README.md`,
      `${WS}/src-notes.txt`,
      `${WS}/src/`,
    ]);
    const deep = await fx.files.listDir(".", { maxDepth: 3 });
    expect(deep).toEqual([
      `${WS}/README.md`,
      `${WS}/src-notes.txt`,
      `${WS}/src/`,
      `${WS}/src/index.ts`,
      `${WS}/src/lib/`,
      `${WS}/src/lib/a.ts`,
    ]);
    expect(deep).toEqual([...deep].sort());
    expect(await fx.files.listDir("src", { maxDepth: 1 })).toEqual([
      `${WS}/src/index.ts`,
      `${WS}/src/lib/`,
    ]);
  });

  it("lists an empty directory as []", async () => {
    expect(await fx.files.listDir(WS)).toEqual([]);
  });

  it("lists nested mappings through their parent", async () => {
    await writeFile(join(fx.workspace, "w.txt"), "");
    expect(await fx.files.listDir("/mnt/user-data", { maxDepth: 2 })).toEqual([
      "/mnt/user-data/workspace/",
      "/mnt/user-data/workspace/w.txt",
    ]);
  });

  it("shows a nested mapping at its own host directory, even without an entry in the parent", async () => {
    const data = join(fx.dir, "data");
    const other = join(fx.dir, "other");
    await mkdir(data);
    await mkdir(join(data, "sub"));
    await writeFile(join(data, "sub", "shadowed.txt"), "");
    await mkdir(other);
    await writeFile(join(other, "mounted.txt"), "");
    await mkdir(join(fx.dir, "extra"));
    const files = createHostFiles(
      new PathMapper([
        { virtualPath: "/mnt/data", hostPath: data, readOnly: false },
        { virtualPath: "/mnt/data/sub", hostPath: other, readOnly: false },
        { virtualPath: "/mnt/data/extra", hostPath: join(fx.dir, "extra"), readOnly: true },
      ]),
    );
    expect(await files.listDir("/mnt/data", { maxDepth: 2 })).toEqual([
      "/mnt/data/extra/",
      "/mnt/data/sub/",
      "/mnt/data/sub/mounted.txt",
    ]);
  });

  it("lists symlinks by name but never descends them or follows them out", async () => {
    await writeFile(join(fx.outside, "secret.txt"), "s");
    await mkdir(join(fx.workspace, "real"));
    await writeFile(join(fx.workspace, "real", "inner.txt"), "");
    await symlink(fx.outside, join(fx.workspace, "out"));
    await symlink("real", join(fx.workspace, "in"));
    await symlink("nowhere", join(fx.workspace, "dangling"));
    await symlink("loop", join(fx.workspace, "loop"));
    const listed = await fx.files.listDir(WS, { maxDepth: 5 });
    expect(listed).toEqual([
      `${WS}/dangling`,
      `${WS}/in/`,
      `${WS}/loop`,
      `${WS}/out`,
      `${WS}/real/`,
      `${WS}/real/inner.txt`,
    ]);
    expect(listed.join()).not.toContain("secret");
  });

  it("lists a symlinked directory inside the mapping when asked for it directly", async () => {
    await mkdir(join(fx.workspace, "real"));
    await writeFile(join(fx.workspace, "real", "inner.txt"), "");
    await symlink("real", join(fx.workspace, "in"));
    expect(await fx.files.listDir("in")).toEqual([`${WS}/in/inner.txt`]);
  });

  it("refuses a root that is a symlink out, an unmapped path, and a file", async () => {
    await symlink(fx.outside, join(fx.workspace, "out"));
    await writeFile(join(fx.workspace, "f.txt"), "");
    await expectSandboxError(fx.files.listDir("out"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.listDir("/mnt"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.listDir("/"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.listDir("missing"), "NOT_FOUND", fx.dir);
    await expectSandboxError(fx.files.listDir("f.txt"), "NOT_FOUND", fx.dir);
    await expectSandboxError(fx.files.listDir(WS, { maxDepth: 0 }), "INVALID_ARGUMENT", fx.dir);
  });

  it("lists unicode names and large directories in code-unit order", async () => {
    const names = ["zeta", "Äpfel", "äpfel", "日本", "a b", "emoji-😀", "A"];
    for (const name of names) await writeFile(join(fx.workspace, name), "");
    for (let i = 0; i < 1500; i += 1) await writeFile(join(fx.workspace, `f${i}`), "");
    const listed = await fx.files.listDir(WS);
    expect(listed).toHaveLength(1507);
    expect(listed).toEqual([...listed].sort());
    expect(listed).toContain(`${WS}/日本`);
    expect(listed).toContain(`${WS}/emoji-😀`);
  });
});
