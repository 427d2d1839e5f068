import { open, symlink, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_FILE_LIMITS, GREP_MAX_FILE_BYTES } from "../contract/sandbox.js";
import { selectLines } from "../text/line-range.js";
import { readLineRange } from "./bounded-read.js";
import { createHostFiles } from "./host-files.js";
import { createFixture, expectSandboxError, type HostFilesFixture, WS } from "./test-fixture.js";

const MIB = 1024 * 1024;

/** A sparse file: `head` at the start, then nothing until `size` bytes (no disk, no time). */
async function sparseFile(path: string, head: string, size: number): Promise<void> {
  await writeFile(path, head);
  await truncate(path, size);
}

describe("read limits", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
  });
  afterEach(() => fx.cleanup());

  it("refuses a file over the default limit with TOO_LARGE before reading it", async () => {
    // Issue 19: readBytes of a 1.9 GB sparse file returned all of it.
    await sparseFile(join(fx.workspace, "huge.bin"), "a\nb\n", 1900 * MIB);
    await expectSandboxError(fx.files.readBytes("huge.bin"), "TOO_LARGE", fx.dir);
    await expectSandboxError(fx.files.readFile("huge.bin"), "TOO_LARGE", fx.dir);
    await expectSandboxError(fx.files.replaceInFile("huge.bin", "a", "b"), "TOO_LARGE", fx.dir);
    // A range at the start streams: only the first chunk is read.
    expect(await fx.files.readFile("huge.bin", { startLine: 1, endLine: 2 })).toBe("a\nb\n");
    await expectSandboxError(fx.files.readFile("huge.bin", { startLine: 3 }), "TOO_LARGE", fx.dir);
  });

  it("takes the limit from the call, then from the provider's limits", async () => {
    await writeFile(join(fx.workspace, "k.txt"), "x".repeat(4096));
    await expectSandboxError(fx.files.readBytes("k.txt", { maxBytes: 1024 }), "TOO_LARGE", fx.dir);
    expect((await fx.files.readBytes("k.txt", { maxBytes: 4096 })).byteLength).toBe(4096);
    const strict = createHostFiles(fx.mapper, { limits: { maxReadBytes: 100 } });
    await expectSandboxError(strict.readFile("k.txt"), "TOO_LARGE", fx.dir);
    expect(await strict.readFile("k.txt", { maxBytes: 5000 })).toHaveLength(4096);
    await expectSandboxError(
      fx.files.readBytes("k.txt", { maxBytes: 0 }),
      "INVALID_ARGUMENT",
      fx.dir,
    );
    expect(() => createHostFiles(fx.mapper, { limits: { maxListResults: -1 } })).toThrow(
      /positive integer/,
    );
  });

  it("refuses a line range that ends past the byte limit", async () => {
    const lines = Array.from({ length: 100 }, (_, i) => `${String(i + 1).padStart(9, "0")}\n`);
    await writeFile(join(fx.workspace, "lines.txt"), lines.join(""));
    const read = (startLine: number, endLine: number) =>
      fx.files.readFile("lines.txt", { startLine, endLine, maxBytes: 200 });
    expect(await read(1, 20)).toBe(lines.slice(0, 20).join(""));
    await expectSandboxError(read(20, 21), "TOO_LARGE", fx.dir);
  });

  it("streams line ranges across chunk boundaries exactly like selectLines", async () => {
    let text = "";
    for (let i = 0; text.length < 300_000; i += 1) text += `${"é".repeat(i % 97)}${i}\r\n`;
    text += "no newline at the end";
    await writeFile(join(fx.workspace, "long.txt"), text);
    const total = text.split("\n").length;
    for (const [startLine, endLine] of [
      [1, 1],
      [1, total],
      [total, total + 5],
      [1234, 1240],
      [2000, 2000],
      [total + 1, total + 3],
    ] as const) {
      expect(await fx.files.readFile("long.txt", { startLine, endLine })).toBe(
        selectLines(text, { startLine, endLine }),
      );
    }
    expect(await fx.files.readFile("long.txt", { startLine: 3000 })).toBe(
      selectLines(text, { startLine: 3000 }),
    );
  });

  it("reads only up to the end of the range", async () => {
    const path = join(fx.workspace, "counted.txt");
    await sparseFile(path, "one\ntwo\nthree\n", 500 * MIB);
    const handle = await open(path, "r");
    let bytesRead = 0;
    const counting = new Proxy(handle, {
      get(target, property) {
        if (property !== "read") return Reflect.get(target, property, target);
        return async (...args: Parameters<typeof handle.read>) => {
          const result = await (target.read as (...a: unknown[]) => Promise<{ bytesRead: number }>)(
            ...args,
          );
          bytesRead += result.bytesRead;
          return result;
        };
      },
    });
    try {
      const bytes = await readLineRange(counting, 2, 2, DEFAULT_FILE_LIMITS.maxReadBytes, "/f");
      expect(bytes.toString()).toBe("two\n");
    } finally {
      await handle.close();
    }
    expect(bytesRead).toBeLessThanOrEqual(64 * 1024);
  });
});

describe("listDir limits", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        writeFile(join(fx.workspace, `f${String(i).padStart(2, "0")}`), ""),
      ),
    );
  });
  afterEach(() => fx.cleanup());

  it("returns the first maxResults entries in order and marks the listing truncated", async () => {
    const all = await fx.files.listDir(WS);
    expect(all).toHaveLength(30);
    expect(all.truncated).toBeUndefined();
    const cut = await fx.files.listDir(WS, { maxResults: 10 });
    expect([...cut]).toEqual(all.slice(0, 10));
    expect(cut.truncated).toBe(true);
    const exact = await fx.files.listDir(WS, { maxResults: 30 });
    expect(exact.truncated).toBeUndefined();
    const strict = createHostFiles(fx.mapper, { limits: { maxListResults: 7 } });
    const capped = await strict.listDir(WS);
    expect(capped).toHaveLength(7);
    expect(capped.truncated).toBe(true);
  });
});

describe("glob and grep budgets", () => {
  let fx: HostFilesFixture;
  beforeEach(async () => {
    fx = await createFixture();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writeFile(join(fx.workspace, `f${String(i).padStart(3, "0")}.txt`), "needle\n".repeat(10)),
      ),
    );
  });
  afterEach(() => fx.cleanup());

  it("stops a glob after maxEntries entries, keeping the first in order", async () => {
    const all = await fx.files.glob(WS, "*.txt", { maxResults: 1000 });
    expect(all).toMatchObject({ truncated: false });
    expect(all.paths).toHaveLength(200);
    const cut = await fx.files.glob(WS, "*.txt", { maxEntries: 5 });
    expect(cut).toEqual({ paths: all.paths.slice(0, 5), truncated: true });
    const strict = createHostFiles(fx.mapper, { limits: { maxSearchEntries: 3 } });
    expect((await strict.glob(WS, "**")).paths).toHaveLength(3);
  });

  it("stops a grep when its entries, bytes or time run out", async () => {
    const all = await fx.files.grep(WS, "needle", { maxResults: 5000 });
    expect(all.matches).toHaveLength(2000);
    expect(all.truncated).toBe(false);
    const byEntries = await fx.files.grep(WS, "needle", { maxEntries: 4, maxResults: 5000 });
    expect(byEntries).toEqual({ matches: all.matches.slice(0, 40), truncated: true });
    // Each file is 70 bytes: 350 bytes is five files.
    const byBytes = await fx.files.grep(WS, "needle", { maxBytes: 350, maxResults: 5000 });
    expect(byBytes).toEqual({ matches: all.matches.slice(0, 50), truncated: true });
    const byTime = await fx.files.grep(WS, "needle", { timeoutMs: 1, maxResults: 5000 });
    expect(byTime.truncated).toBe(true);
    expect(byTime.matches).toEqual(all.matches.slice(0, byTime.matches.length));
    const strict = createHostFiles(fx.mapper, { limits: { maxSearchBytes: 70 } });
    expect(await strict.grep(WS, "needle", { maxResults: 5000 })).toEqual({
      matches: all.matches.slice(0, 10),
      truncated: true,
    });
  });

  it("never reads a big file through a symlink", async () => {
    await sparseFile(join(fx.workspace, "big.log"), "big needle\n", GREP_MAX_FILE_BYTES + 1);
    await symlink("big.log", join(fx.workspace, "a-link.log"));
    const { matches } = await fx.files.grep(WS, "big needle");
    expect(matches).toEqual([]);
    await expectSandboxError(
      fx.files.readBytes("a-link.log", { maxBytes: 1024 }),
      "TOO_LARGE",
      fx.dir,
    );
  });

  it("reports a long line by its first GREP_MAX_LINE_LENGTH characters", async () => {
    await writeFile(join(fx.workspace, "min.js"), `${"x".repeat(200_000)}needle\n`);
    const { matches } = await fx.files.grep("min.js", "x+");
    expect(matches).toHaveLength(1);
    expect(matches[0]?.text.length).toBe(16_384);
  });
});
