import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { expectSandboxError } from "./assertions.js";
import type { ProviderSuite } from "./provider-suite.js";

const BAD_IDS: ReadonlyArray<readonly [string, unknown]> = [
  ["'../x'", "../x"],
  ["'..'", ".."],
  ["'a/b'", "a/b"],
  ["empty", ""],
  ["129 characters", "a".repeat(129)],
  ["unicode 'thréad'", "thréad"],
  ["unicode '日本'", "日本"],
  ["'a b'", "a b"],
  ["NUL 'a\\0b'", "a\0b"],
  ["newline 'a\\nb'", "a\nb"],
  ["'a:b'", "a:b"],
  ["a number", 42],
  ["absolute '/tmp/sandbox-contract-bad-id'", "/tmp/sandbox-contract-bad-id"],
];

// Where a bad id that escaped the base directory could land outside the suite's own folder.
const OUTSIDE = ["/tmp/sandbox-contract-bad-id", "/sandbox-contract-bad-id"];

/** Every file and directory under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((entry) => join(entry.parentPath, entry.name).slice(dir.length)).sort();
}

/** Nothing was created outside the suite's folder either (an absolute id, `..` past the root). */
function expectNothingOutside(): void {
  for (const path of OUTSIDE) expect(existsSync(path), `a bad id created ${path}`).toBe(false);
}

/** Thread and user ids: the valid shape is accepted, anything else is INVALID_ID before disk. */
export function idsTests(suite: ProviderSuite): void {
  it("rejects bad thread ids with INVALID_ID and touches nothing on disk", async () => {
    const before = await tree(suite.root);
    for (const [label, id] of BAD_IDS) {
      await expectSandboxError(suite, `acquire(thread ${label})`, "INVALID_ID", () =>
        suite.provider.acquire(id as string),
      );
    }
    expect(await tree(suite.root)).toEqual(before);
    expectNothingOutside();
  });

  it("rejects bad user ids with INVALID_ID, with or without a thread, and touches nothing on disk", async () => {
    const before = await tree(suite.root);
    for (const [label, id] of BAD_IDS) {
      await expectSandboxError(suite, `acquire("ids-ok", user ${label})`, "INVALID_ID", () =>
        suite.provider.acquire("ids-ok", { userId: id as string }),
      );
      await expectSandboxError(suite, `acquire(no thread, user ${label})`, "INVALID_ID", () =>
        suite.provider.acquire(undefined, { userId: id as string }),
      );
    }
    expect(await tree(suite.root)).toEqual(before);
    expectNothingOutside();
  });

  it("accepts every valid shape: letters, digits, '_', '-', up to 128 characters", async () => {
    const valid = ["0", "_", "-", "Thread_42-b", "a".repeat(128)];
    const ids = [];
    for (const thread of valid) ids.push(await suite.provider.acquire(thread));
    ids.push(await suite.provider.acquire("a".repeat(128), { userId: "b".repeat(128) }));
    expect(new Set(ids).size).toBe(ids.length);
    const sandbox = await suite.provider.get(ids.at(-1) as string);
    expect((await sandbox?.exec("echo ok"))?.stdout).toBe("ok\n");
  });

  it("keeps ids that differ only by '_' and '-' or by case apart", async () => {
    const ids = await Promise.all(
      ["ids_x", "ids-x", "IDS-X"].map((thread) => suite.provider.acquire(thread)),
    );
    expect(new Set(ids).size).toBe(3);
  });
}
