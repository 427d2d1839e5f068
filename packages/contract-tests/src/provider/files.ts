import type { Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { expectSandboxError } from "./assertions.js";
import type { ProviderSuite } from "./provider-suite.js";

const WS = "/mnt/user-data/workspace";

function byPathAndLine(a: { path: string; line: number }, b: { path: string; line: number }) {
  return a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1;
}

/** The file API at virtual paths: text, bytes, listing, glob, grep and replace. */
export function filesTests(suite: ProviderSuite): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await suite.sandbox("files");
  }, suite.timeoutMs);

  it("writeFile / readFile round-trip text, unicode included", async () => {
    const text = "plain ascii\nΚαλημέρα κόσμε — 日本語 — emoji 🚀\r\nlast line without newline";
    await sandbox.writeFile(`${WS}/rt/text.txt`, text);
    expect(await sandbox.readFile(`${WS}/rt/text.txt`)).toBe(text);
    await sandbox.writeFile(`${WS}/rt/text.txt`, "replaced");
    expect(await sandbox.readFile(`${WS}/rt/text.txt`)).toBe("replaced");
    await sandbox.writeFile(`${WS}/rt/empty.txt`, "");
    expect(await sandbox.readFile(`${WS}/rt/empty.txt`)).toBe("");
  });

  it("writeFile with append adds to the end, and creates a missing file", async () => {
    await sandbox.writeFile(`${WS}/append/log.txt`, "one\n", { append: true });
    await sandbox.writeFile(`${WS}/append/log.txt`, "two\n", { append: true });
    await sandbox.writeFile(`${WS}/append/log.txt`, "three ✓\n", { append: true });
    expect(await sandbox.readFile(`${WS}/append/log.txt`)).toBe("one\ntwo\nthree ✓\n");
  });

  it("readFile returns line ranges (1-based, inclusive; past the end returns what exists)", async () => {
    await sandbox.writeFile(`${WS}/lines.txt`, "l1\nl2\nl3\nl4\n");
    const read = (startLine?: number, endLine?: number) =>
      sandbox.readFile(`${WS}/lines.txt`, { startLine, endLine });
    expect(await read(2, 3)).toBe("l2\nl3\n");
    expect(await read(3)).toBe("l3\nl4\n");
    expect(await read(undefined, 2)).toBe("l1\nl2\n");
    expect(await read(2, 2)).toBe("l2\n");
    expect(await read(3, 100)).toBe("l3\nl4\n");
    expect(await read(10, 20)).toBe("");
  });

  it("readFile with an invalid line range fails with INVALID_ARGUMENT", async () => {
    await sandbox.writeFile(`${WS}/lines-bad.txt`, "a\nb\nc\n");
    const ranges = [
      { startLine: 3, endLine: 2 },
      { startLine: 0 },
      { startLine: -1 },
      { endLine: 0 },
      { startLine: 1.5 },
    ];
    for (const range of ranges) {
      await expectSandboxError(suite, `readFile ${JSON.stringify(range)}`, "INVALID_ARGUMENT", () =>
        sandbox.readFile(`${WS}/lines-bad.txt`, range),
      );
    }
  });

  it("writeBytes / readBytes round-trip all 256 byte values", async () => {
    const bytes = Uint8Array.from({ length: 512 }, (_, index) => index % 256);
    await sandbox.writeBytes(`${WS}/bin/all.bin`, bytes);
    const back = await sandbox.readBytes(`${WS}/bin/all.bin`);
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Array.from(back)).toEqual(Array.from(bytes));
  });

  it("writeFile creates missing parent directories", async () => {
    await sandbox.writeFile(`${WS}/deep/er/and/deeper/file.txt`, "nested");
    expect(await sandbox.readFile(`${WS}/deep/er/and/deeper/file.txt`)).toBe("nested");
    expect(await sandbox.listDir(`${WS}/deep/er`)).toEqual([`${WS}/deep/er/and/`]);
  });

  it("reading, listing or replacing a missing path fails with NOT_FOUND", async () => {
    const missing = `${WS}/no-such-dir/missing.txt`;
    await expectSandboxError(suite, "readFile(missing)", "NOT_FOUND", () =>
      sandbox.readFile(missing),
    );
    await expectSandboxError(suite, "readBytes(missing)", "NOT_FOUND", () =>
      sandbox.readBytes(missing),
    );
    await expectSandboxError(suite, "listDir(missing)", "NOT_FOUND", () =>
      sandbox.listDir(`${WS}/no-such-dir`),
    );
    await expectSandboxError(suite, "replaceInFile(missing)", "NOT_FOUND", () =>
      sandbox.replaceInFile(missing, "a", "b"),
    );
    const error = await expectSandboxError(suite, "readFile(missing) message", "NOT_FOUND", () =>
      sandbox.readFile(missing),
    );
    expect(error.message).toContain(missing);
  });

  it("relative paths resolve against /mnt/user-data/workspace", async () => {
    await sandbox.writeFile("rel/note.md", "relative");
    expect(await sandbox.readFile(`${WS}/rel/note.md`)).toBe("relative");
    await sandbox.writeFile(`${WS}/rel/abs.md`, "absolute");
    expect(await sandbox.readFile("rel/abs.md")).toBe("absolute");
    expect(await sandbox.readFile("./rel/../rel/abs.md")).toBe("absolute");
    expect(await sandbox.listDir("rel")).toEqual([`${WS}/rel/abs.md`, `${WS}/rel/note.md`]);
    expect((await sandbox.glob("rel", "*.md")).paths).toEqual([
      `${WS}/rel/abs.md`,
      `${WS}/rel/note.md`,
    ]);
    expect(await sandbox.replaceInFile("rel/note.md", "relative", "edited")).toBe(1);
    expect(await sandbox.readFile(`${WS}/rel/note.md`)).toBe("edited");
  });

  it("listDir returns sorted absolute virtual paths, directories ending in '/', depth 1 by default", async () => {
    await sandbox.writeFile(`${WS}/list/b.txt`, "b");
    await sandbox.writeFile(`${WS}/list/a.txt`, "a");
    await sandbox.writeFile(`${WS}/list/sub/c.txt`, "c");
    await sandbox.writeFile(`${WS}/list/sub/deeper/d.txt`, "d");
    const depth1 = await sandbox.listDir(`${WS}/list`);
    expect(depth1).toEqual([`${WS}/list/a.txt`, `${WS}/list/b.txt`, `${WS}/list/sub/`]);
    expect(await sandbox.listDir(`${WS}/list`, { maxDepth: 1 })).toEqual(depth1);
    expect(await sandbox.listDir(`${WS}/list/`)).toEqual(depth1);
    const depth2 = await sandbox.listDir(`${WS}/list`, { maxDepth: 2 });
    expect(depth2).toEqual([
      `${WS}/list/a.txt`,
      `${WS}/list/b.txt`,
      `${WS}/list/sub/`,
      `${WS}/list/sub/c.txt`,
      `${WS}/list/sub/deeper/`,
    ]);
    expect(depth2).toEqual([...depth2].sort());
  });

  it("glob matches '**/*.ts' under a path, files only by default", async () => {
    for (const file of ["src/a.ts", "src/lib/b.ts", "src/c.js", "README.md", "top.ts"]) {
      await sandbox.writeFile(`${WS}/g/${file}`, `// ${file}\n`);
    }
    const result = await sandbox.glob(`${WS}/g`, "**/*.ts");
    expect(result).toEqual({
      paths: [`${WS}/g/src/a.ts`, `${WS}/g/src/lib/b.ts`, `${WS}/g/top.ts`],
      truncated: false,
    });
    const everything = await sandbox.glob(`${WS}/g`, "**");
    expect(everything.paths.filter((path) => path.endsWith("/"))).toEqual([]);
    expect(everything.paths).toHaveLength(5);
    expect((await sandbox.glob(`${WS}/g`, "src/*.{ts,js}")).paths).toEqual([
      `${WS}/g/src/a.ts`,
      `${WS}/g/src/c.js`,
    ]);
  });

  it("glob with includeDirs also returns directories, ending in '/'", async () => {
    await sandbox.writeFile(`${WS}/gd/src/lib/x.ts`, "x");
    const result = await sandbox.glob(`${WS}/gd`, "**", { includeDirs: true });
    expect(result.paths).toEqual([`${WS}/gd/src/`, `${WS}/gd/src/lib/`, `${WS}/gd/src/lib/x.ts`]);
    expect(result.truncated).toBe(false);
  });

  it("glob stops at maxResults and reports truncated", async () => {
    for (const n of [1, 2, 3, 4, 5]) await sandbox.writeFile(`${WS}/gm/f${n}.txt`, "x");
    const capped = await sandbox.glob(`${WS}/gm`, "*.txt", { maxResults: 2 });
    expect(capped.paths).toHaveLength(2);
    expect(capped.truncated).toBe(true);
    const exact = await sandbox.glob(`${WS}/gm`, "*.txt", { maxResults: 5 });
    expect(exact.paths).toHaveLength(5);
    expect(exact.truncated).toBe(false);
  });

  it("grep finds regex matches with absolute paths and 1-based lines, skipping binary files", async () => {
    await sandbox.writeFile(`${WS}/gr/a.txt`, "hello world\nfoo(bar) and foobar\nHELLO again\n");
    await sandbox.writeFile(`${WS}/gr/docs/b.md`, "intro\nhelllo from md\n");
    await sandbox.writeBytes(
      `${WS}/gr/blob.bin`,
      Uint8Array.from([...Buffer.from("hello binary\n"), 0, 1, 2, ...Buffer.from("hello\n")]),
    );
    const result = await sandbox.grep(`${WS}/gr`, "hel+o");
    expect(result.truncated).toBe(false);
    expect([...result.matches].sort(byPathAndLine)).toEqual([
      { path: `${WS}/gr/a.txt`, line: 1, text: "hello world" },
      { path: `${WS}/gr/docs/b.md`, line: 2, text: "helllo from md" },
    ]);
  });

  it("grep of a single file searches that file", async () => {
    await sandbox.writeFile(`${WS}/gf/one.txt`, "alpha\nbeta\ngamma beta\n");
    const result = await sandbox.grep(`${WS}/gf/one.txt`, "beta");
    expect(result.matches).toEqual([
      { path: `${WS}/gf/one.txt`, line: 2, text: "beta" },
      { path: `${WS}/gf/one.txt`, line: 3, text: "gamma beta" },
    ]);
  });

  it("grep literal treats regex metacharacters as text", async () => {
    await sandbox.writeFile(`${WS}/gl/code.ts`, "call(a.b)\ncallXa-b)\nx = [1+2]*3\n");
    const literal = await sandbox.grep(`${WS}/gl`, "call(a.b)", { literal: true });
    expect(literal.matches).toEqual([{ path: `${WS}/gl/code.ts`, line: 1, text: "call(a.b)" }]);
    const brackets = await sandbox.grep(`${WS}/gl`, "[1+2]*", { literal: true });
    expect(brackets.matches.map((m) => m.line)).toEqual([3]);
  });

  it("grep caseSensitive: false ignores case", async () => {
    await sandbox.writeFile(`${WS}/gc/mixed.txt`, "Hello\nhello\nHELLO\nbye\n");
    const sensitive = await sandbox.grep(`${WS}/gc`, "hello");
    expect(sensitive.matches.map((m) => m.line)).toEqual([2]);
    const insensitive = await sandbox.grep(`${WS}/gc`, "hello", { caseSensitive: false });
    expect(insensitive.matches.map((m) => m.line)).toEqual([1, 2, 3]);
  });

  it("grep glob filters files by their path relative to the search root", async () => {
    await sandbox.writeFile(`${WS}/gg/a.md`, "needle\n");
    await sandbox.writeFile(`${WS}/gg/b.txt`, "needle\n");
    await sandbox.writeFile(`${WS}/gg/sub/c.md`, "needle\n");
    const top = await sandbox.grep(`${WS}/gg`, "needle", { glob: "*.md" });
    expect(top.matches.map((m) => m.path)).toEqual([`${WS}/gg/a.md`]);
    const deep = await sandbox.grep(`${WS}/gg`, "needle", { glob: "**/*.md" });
    expect(deep.matches.map((m) => m.path).sort()).toEqual([`${WS}/gg/a.md`, `${WS}/gg/sub/c.md`]);
  });

  it("grep stops at maxResults and reports truncated", async () => {
    await sandbox.writeFile(`${WS}/gx/many.txt`, "hit\n".repeat(10));
    const capped = await sandbox.grep(`${WS}/gx`, "hit", { maxResults: 3 });
    expect(capped.matches).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    const all = await sandbox.grep(`${WS}/gx`, "hit", { maxResults: 10 });
    expect(all.matches).toHaveLength(10);
    expect(all.truncated).toBe(false);
  });

  it("grep with an invalid regular expression fails with INVALID_ARGUMENT", async () => {
    await sandbox.writeFile(`${WS}/gi/x.txt`, "x\n");
    for (const pattern of ["(", "a["]) {
      await expectSandboxError(suite, `grep ${JSON.stringify(pattern)}`, "INVALID_ARGUMENT", () =>
        sandbox.grep(`${WS}/gi`, pattern),
      );
    }
  });

  it("replaceInFile replaces a unique occurrence and returns 1", async () => {
    await sandbox.writeFile(`${WS}/rp/one.ts`, "const a = 1;\nconst b = 2;\n");
    expect(await sandbox.replaceInFile(`${WS}/rp/one.ts`, "b = 2", "b = 3")).toBe(1);
    expect(await sandbox.readFile(`${WS}/rp/one.ts`)).toBe("const a = 1;\nconst b = 3;\n");
  });

  it("replaceInFile with zero occurrences fails with INVALID_ARGUMENT and leaves the file alone", async () => {
    await sandbox.writeFile(`${WS}/rp/zero.ts`, "unchanged\n");
    for (const replaceAll of [false, true]) {
      await expectSandboxError(
        suite,
        `replaceInFile(absent, replaceAll ${replaceAll})`,
        "INVALID_ARGUMENT",
        () => sandbox.replaceInFile(`${WS}/rp/zero.ts`, "missing", "x", { replaceAll }),
      );
    }
    expect(await sandbox.readFile(`${WS}/rp/zero.ts`)).toBe("unchanged\n");
  });

  it("replaceInFile with several occurrences and no replaceAll fails with INVALID_ARGUMENT and leaves the file alone", async () => {
    await sandbox.writeFile(`${WS}/rp/many.ts`, "x x x\n");
    await expectSandboxError(suite, "replaceInFile(ambiguous)", "INVALID_ARGUMENT", () =>
      sandbox.replaceInFile(`${WS}/rp/many.ts`, "x", "y"),
    );
    expect(await sandbox.readFile(`${WS}/rp/many.ts`)).toBe("x x x\n");
  });

  it("replaceInFile with replaceAll replaces every occurrence and returns the count", async () => {
    await sandbox.writeFile(`${WS}/rp/all.ts`, "foo bar foo\nfoo\n");
    expect(await sandbox.replaceInFile(`${WS}/rp/all.ts`, "foo", "baz", { replaceAll: true })).toBe(
      3,
    );
    expect(await sandbox.readFile(`${WS}/rp/all.ts`)).toBe("baz bar baz\nbaz\n");
  });
}
