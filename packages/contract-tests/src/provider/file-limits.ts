import { GREP_MAX_FILE_BYTES, GREP_MAX_LINE_LENGTH, type Sandbox } from "@sandbox/core";
import { beforeAll, expect, it } from "vitest";
import { expectSandboxError } from "./assertions.js";
import { worstEventLoopLag } from "./event-loop-lag.js";
import type { ProviderSuite } from "./provider-suite.js";

const WS = "/mnt/user-data/workspace";
const MIB = 1024 * 1024;

// Issue 19 item 7: these held a backtracking matcher on the harness's event loop for 2.3 s,
// 4.2 s and 19.8 s. A linear match takes milliseconds; the bound leaves a wide margin for a
// loaded machine and stays far under the old cost.
const LAG_BOUND_MS = 1000;

/** A shell command that makes `path` a sparse file of `size` bytes starting with `head`. */
function sparseFileCommand(path: string, head: string, size: number): string {
  // dd seeks (no data written) in GNU coreutils and busybox alike; one byte at the end.
  const dir = path.slice(0, path.lastIndexOf("/"));
  return `mkdir -p '${dir}' && printf '${head}' > '${path}' && printf x | dd of='${path}' bs=1 seek=${size - 1} conv=notrunc 2>/dev/null`;
}

/** Makes `count` files `dir/fNNN.txt`, each `needle\n` ten times (70 bytes), with one command. */
function manyFilesCommand(dir: string, count: number): string {
  return `mkdir -p '${dir}' && i=100; while [ $i -lt ${100 + count} ]; do printf 'needle\\n%.0s' 1 2 3 4 5 6 7 8 9 10 > '${dir}'/f$i.txt; i=$((i + 1)); done`;
}

async function run(sandbox: Sandbox, command: string): Promise<void> {
  const result = await sandbox.exec(command);
  expect(result.exitCode, `${command}\n${result.stderr}`).toBe(0);
}

/**
 * The limits that keep a hostile sandbox from exhausting or blocking the harness through the
 * file API: byte limits on reads (`TOO_LARGE`), streamed line ranges, `maxResults` on listings,
 * entry/byte/time budgets on glob and grep (`truncated: true`), no big file read through a
 * symlink, and pattern matching that keeps the event loop responsive.
 */
export function fileLimitsTests(suite: ProviderSuite): void {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await suite.sandbox("file-limits");
  }, suite.timeoutMs);

  it("readBytes and readFile refuse a file over maxBytes with TOO_LARGE", async () => {
    await sandbox.writeFile(`${WS}/limits/k.txt`, "0123456789\n".repeat(400));
    for (const read of [
      () => sandbox.readBytes(`${WS}/limits/k.txt`, { maxBytes: 1024 }),
      () => sandbox.readFile(`${WS}/limits/k.txt`, { maxBytes: 1024 }),
      () =>
        sandbox.readFile(`${WS}/limits/k.txt`, { startLine: 200, endLine: 201, maxBytes: 1024 }),
    ]) {
      await expectSandboxError(suite, "read over maxBytes", "TOO_LARGE", read);
    }
    expect(
      await sandbox.readFile(`${WS}/limits/k.txt`, { startLine: 2, endLine: 3, maxBytes: 1024 }),
    ).toBe("0123456789\n0123456789\n");
    expect((await sandbox.readBytes(`${WS}/limits/k.txt`, { maxBytes: 4400 })).byteLength).toBe(
      4400,
    );
  });

  it("a file over the default limit is refused before it is read; a range at its start streams", async () => {
    // Issue 19: readBytes of a 1.9 GB sparse file returned all of it.
    await run(sandbox, sparseFileCommand(`${WS}/limits/huge.log`, "one\\ntwo\\n", 70 * MIB));
    await expectSandboxError(suite, "readBytes(huge)", "TOO_LARGE", () =>
      sandbox.readBytes(`${WS}/limits/huge.log`),
    );
    await expectSandboxError(suite, "readFile(huge)", "TOO_LARGE", () =>
      sandbox.readFile(`${WS}/limits/huge.log`),
    );
    expect(await sandbox.readFile(`${WS}/limits/huge.log`, { startLine: 1, endLine: 2 })).toBe(
      "one\ntwo\n",
    );
  });

  it("listDir stops at maxResults, keeps the first entries in order and says it was truncated", async () => {
    await run(sandbox, manyFilesCommand(`${WS}/listing`, 30));
    const all = await sandbox.listDir(`${WS}/listing`);
    expect(all).toHaveLength(30);
    expect(all.truncated ?? false).toBe(false);
    const cut = await sandbox.listDir(`${WS}/listing`, { maxResults: 10 });
    expect([...cut]).toEqual(all.slice(0, 10));
    expect(cut.truncated).toBe(true);
  });

  it("glob and grep stop with truncated: true when their entries, bytes or time run out", async () => {
    await run(sandbox, manyFilesCommand(`${WS}/budget`, 60));
    const root = `${WS}/budget`;
    const globbed = await sandbox.glob(root, "*.txt", { maxEntries: 5 });
    expect(globbed.truncated).toBe(true);
    expect(globbed.paths.length).toBeLessThanOrEqual(5);
    const all = await sandbox.grep(root, "needle", { maxResults: 5000 });
    expect(all.matches).toHaveLength(600);
    expect(all.truncated).toBe(false);
    for (const budget of [{ maxEntries: 4 }, { maxBytes: 350 }, { timeoutMs: 1 }]) {
      const cut = await sandbox.grep(root, "needle", { ...budget, maxResults: 5000 });
      expect(cut.truncated, JSON.stringify(budget)).toBe(true);
      expect(cut.matches.length, JSON.stringify(budget)).toBeLessThan(600);
      expect(cut.matches).toEqual(all.matches.slice(0, cut.matches.length));
    }
  });

  it("grep never reads a big file, directly or through a symlink", async () => {
    const big = GREP_MAX_FILE_BYTES + MIB;
    await run(sandbox, sparseFileCommand(`${WS}/big/huge.log`, "big needle\\n", big));
    await run(sandbox, `ln -s huge.log '${WS}/big/link.log'`);
    await sandbox.writeFile(`${WS}/big/small.log`, "big needle\n");
    const { matches } = await sandbox.grep(`${WS}/big`, "big needle");
    expect(matches.map((match) => match.path)).toEqual([`${WS}/big/small.log`]);
  });

  it("grep reports a long line by its first GREP_MAX_LINE_LENGTH characters", async () => {
    await sandbox.writeFile(`${WS}/long/min.js`, `${"x".repeat(100_000)}needle\n`);
    const { matches } = await sandbox.grep(`${WS}/long/min.js`, "x+");
    expect(matches).toHaveLength(1);
    expect(matches[0]?.text).toHaveLength(GREP_MAX_LINE_LENGTH);
  });

  it("glob refuses a pattern with too many wildcards", async () => {
    await expectSandboxError(suite, "glob(64 wildcards)", "INVALID_ARGUMENT", () =>
      sandbox.glob(WS, "*a".repeat(64)),
    );
  });

  it("agent-chosen patterns keep the harness's event loop responsive", async () => {
    await sandbox.writeFile(`${WS}/redos/redos.txt`, `${"a".repeat(25)}!\n`);
    await sandbox.writeFile(`${WS}/redos/line.txt`, `${"a".repeat(100_000)}\n`);
    await sandbox.writeFile(`${WS}/redos/${"a".repeat(60)}`, "");
    const calls: Array<[string, () => Promise<unknown>]> = [
      ["grep (a+)+$", () => sandbox.grep(`${WS}/redos/redos.txt`, "(a+)+$")],
      ["grep a.*b", () => sandbox.grep(`${WS}/redos/line.txt`, "a.*b")],
      ["glob *a*a*a*a*a*a*a*b", () => sandbox.glob(`${WS}/redos`, "*a*a*a*a*a*a*a*b")],
    ];
    for (const [label, call] of calls) {
      let result: unknown;
      const lag = await worstEventLoopLag(async () => {
        result = await call();
      });
      expect(result, label).toMatchObject({ truncated: false });
      expect(lag, `${label}: event-loop lag in ms`).toBeLessThan(LAG_BOUND_MS);
    }
  });
}
