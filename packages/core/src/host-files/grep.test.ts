import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GREP_MAX_FILE_BYTES } from "../contract/sandbox.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

describe("grep", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
    await mkdir(join(fx.workspace, "src"), { recursive: true });
    await writeFile(join(fx.workspace, "src/a.ts"), "const x = 1;\n// TODO: fix\nconst y = 2;\n");
    await writeFile(join(fx.workspace, "notes.md"), "todo later\r\nTODO now\n");
  });
  afterEach(() => fx.cleanup());

  it("finds matching lines in path order, 1-based, without line breaks", async () => {
    expect(await fx.files.grep(WS, "TODO")).toEqual({
      matches: [
        { path: `${WS}/notes.md`, line: 2, text: "TODO now" },
        { path: `${WS}/src/a.ts`, line: 2, text: "// TODO: fix" },
      ],
      truncated: false,
    });
  });

  it("supports case-insensitive, literal, regex and glob-filtered searches", async () => {
    const insensitive = await fx.files.grep(WS, "todo", { caseSensitive: false });
    expect(insensitive.matches.map((m) => m.text)).toEqual([
      "todo later",
      "TODO now",
      "// TODO: fix",
    ]);
    expect((await fx.files.grep(WS, "x = 1;", { literal: true })).matches).toHaveLength(1);
    expect((await fx.files.grep(WS, "(", { literal: true })).matches).toHaveLength(0);
    expect((await fx.files.grep(WS, "^const [xy]")).matches).toHaveLength(2);
    const filtered = await fx.files.grep(WS, "TODO", { glob: "src/**" });
    expect(filtered.matches.map((m) => m.path)).toEqual([`${WS}/src/a.ts`]);
    await expectSandboxError(fx.files.grep(WS, "("), "INVALID_ARGUMENT", fx.dir);
    await expectSandboxError(fx.files.grep(WS, ""), "INVALID_ARGUMENT", fx.dir);
  });

  it("searches a single file", async () => {
    const result = await fx.files.grep("src/a.ts", "const");
    expect(result.matches.map((m) => [m.path, m.line])).toEqual([
      [`${WS}/src/a.ts`, 1],
      [`${WS}/src/a.ts`, 3],
    ]);
  });

  it("skips binary files and files over the size limit", async () => {
    await writeFile(join(fx.workspace, "bin.dat"), Buffer.from("TODO\0\x01\x02TODO\n"));
    const big = "TODO big\n".repeat(Math.ceil((GREP_MAX_FILE_BYTES + 1) / 9));
    await writeFile(join(fx.workspace, "big.log"), big);
    const paths = (await fx.files.grep(WS, "TODO")).matches.map((m) => m.path);
    expect(paths).not.toContain(`${WS}/bin.dat`);
    expect(paths).not.toContain(`${WS}/big.log`);
    expect((await fx.files.grep("bin.dat", "TODO")).matches).toEqual([]);
  });

  it("truncates at maxResults across files", async () => {
    await mkdir(join(fx.workspace, "many"));
    for (let i = 0; i < 30; i += 1) {
      await writeFile(
        join(fx.workspace, "many", `f${String(i).padStart(2, "0")}.txt`),
        "hit\nhit\n",
      );
    }
    const result = await fx.files.grep("many", "hit", { maxResults: 25 });
    expect(result.truncated).toBe(true);
    expect(result.matches).toHaveLength(25);
    expect(result.matches[0]).toEqual({ path: `${WS}/many/f00.txt`, line: 1, text: "hit" });
    expect(result.matches[24]).toEqual({ path: `${WS}/many/f12.txt`, line: 1, text: "hit" });
    const exact = await fx.files.grep("many", "hit", { maxResults: 60 });
    expect(exact.truncated).toBe(false);
    expect(exact.matches).toHaveLength(60);
  });

  it("never reads files through symlinks that lead out", async () => {
    await writeFile(join(fx.outside, "secret.txt"), "TODO secret\n");
    await symlink(fx.outside, join(fx.workspace, "outdir"));
    await symlink(join(fx.outside, "secret.txt"), join(fx.workspace, "leak.txt"));
    await symlink("notes.md", join(fx.workspace, "alias.md"));
    const result = await fx.files.grep(WS, "TODO");
    expect(result.matches.map((m) => m.text)).not.toContain("TODO secret");
    expect(result.matches.map((m) => m.path)).toContain(`${WS}/alias.md`);
    await expectSandboxError(fx.files.grep("leak.txt", "TODO"), "PERMISSION_DENIED", fx.dir);
    await expectSandboxError(fx.files.grep("outdir", "TODO"), "PERMISSION_DENIED", fx.dir);
  });
});
