import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { patternDepth } from "../text/glob-pattern.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

describe("glob", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
    await mkdir(join(fx.workspace, "src/a"), { recursive: true });
    for (const file of ["src/a/x.ts", "src/b.ts", "src/c.js", "top.ts", ".env"]) {
      await writeFile(join(fx.workspace, file), "");
    }
  });
  afterEach(() => fx.cleanup());

  it("matches relative paths with ** and *, sorted", async () => {
    expect(await fx.files.glob(WS, "**/*.ts")).toEqual({
      paths: [`${WS}/src/a/x.ts`, `${WS}/src/b.ts`, `${WS}/top.ts`],
      truncated: false,
    });
    expect((await fx.files.glob(WS, "*.ts")).paths).toEqual([`${WS}/top.ts`]);
    expect((await fx.files.glob("src", "*.{ts,js}")).paths).toEqual([
      `${WS}/src/b.ts`,
      `${WS}/src/c.js`,
    ]);
    expect((await fx.files.glob(WS, "*.env")).paths).toEqual([`${WS}/.env`]);
  });

  it("includes directories with a trailing slash only when asked", async () => {
    expect((await fx.files.glob(WS, "src/*")).paths).toEqual([`${WS}/src/b.ts`, `${WS}/src/c.js`]);
    expect((await fx.files.glob(WS, "src/*", { includeDirs: true })).paths).toEqual([
      `${WS}/src/a/`,
      `${WS}/src/b.ts`,
      `${WS}/src/c.js`,
    ]);
  });

  it("truncates at maxResults, keeping the first paths in sorted order", async () => {
    await mkdir(join(fx.workspace, "many"));
    for (let i = 0; i < 1200; i += 1) await writeFile(join(fx.workspace, "many", `${i}.txt`), "");
    const all = await fx.files.glob("many", "*.txt", { maxResults: 5000 });
    expect(all.truncated).toBe(false);
    expect(all.paths).toHaveLength(1200);
    const capped = await fx.files.glob("many", "*.txt");
    expect(capped.truncated).toBe(true);
    expect(capped.paths).toEqual(all.paths.slice(0, 1000));
    const exact = await fx.files.glob("many", "*.txt", { maxResults: 1200 });
    expect(exact.truncated).toBe(false);
  });

  it("skips symlinks leading out, keeps ones that stay in, never descends them", async () => {
    await writeFile(join(fx.outside, "secret.ts"), "");
    await symlink(fx.outside, join(fx.workspace, "out"));
    await symlink(join(fx.outside, "secret.ts"), join(fx.workspace, "leak.ts"));
    await symlink("top.ts", join(fx.workspace, "alias.ts"));
    await symlink("src", join(fx.workspace, "srclink"));
    const { paths } = await fx.files.glob(WS, "**/*.ts");
    expect(paths).toEqual([`${WS}/alias.ts`, `${WS}/src/a/x.ts`, `${WS}/src/b.ts`, `${WS}/top.ts`]);
    await expectSandboxError(fx.files.glob("out", "*"), "PERMISSION_DENIED", fx.dir);
    expect((await fx.files.glob("srclink", "*.ts")).paths).toEqual([`${WS}/srclink/b.ts`]);
  });

  it("rejects bad patterns and options", async () => {
    await expectSandboxError(fx.files.glob(WS, "../*"), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.glob(WS, "/etc/*"), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.glob(WS, ""), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.glob(WS, "*", { maxResults: 0 }), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.glob("missing", "*"), "NOT_FOUND", fx.dir);
  });

  it("bounds the walk by the pattern's depth", () => {
    expect(patternDepth("*.ts")).toBe(1);
    expect(patternDepth("src/*/x.ts")).toBe(3);
    expect(patternDepth("src/**/x.ts")).toBe(Number.POSITIVE_INFINITY);
    expect(patternDepth("{a/b,c}")).toBe(Number.POSITIVE_INFINITY);
  });
});
