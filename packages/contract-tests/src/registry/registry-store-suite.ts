import { isSandboxError, type RegistryStore } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TestEntry, TestEntrySchema, testEntry } from "./test-entry.js";

/** The groups of the registry store suite; each can be skipped with `skip`. */
export type RegistryStoreSuiteGroup =
  | "basics"
  | "merge"
  | "update"
  | "remove"
  | "concurrency"
  | "names";

/** What the suite is given to build the store under test. */
export interface RegistryStoreSuiteContext {
  /** The schema the store must validate entries with. */
  schema: typeof TestEntrySchema;
}

/** Options of {@link describeRegistryStore}. */
export interface RegistryStoreSuiteOptions {
  /** A fresh, empty store for {@link TestEntrySchema}; called before every test. */
  create(
    context: RegistryStoreSuiteContext,
  ): RegistryStore<TestEntry> | Promise<RegistryStore<TestEntry>>;
  /** Frees what `create` made (temp directories, connections); called after every test. */
  cleanup?(store: RegistryStore<TestEntry>): void | Promise<void>;
  /** Groups to leave out, e.g. `["concurrency"]` while a store is young. Default: none. */
  skip?: readonly RegistryStoreSuiteGroup[];
  /** How many concurrent callers the concurrency group uses. Default 50. */
  concurrentCallers?: number;
}

/** Names that break stores which turn names into paths, keys or case-folded identifiers. */
const ODD_NAMES: ReadonlyArray<readonly [string, string]> = [
  ["a slash", "/"],
  ["a dot-dot", ".."],
  ["a single dot", "."],
  ["an escaping path", "../../x"],
  ["a nested path", "a/b/c"],
  ["a Windows path", "C:\\Windows\\system32"],
  ["a Windows device name", "CON"],
  ["URL escapes", "%2e%2e%2f"],
  ["unicode", "ünïcödé-日本語-עברית"],
  ["emoji", "🧪🚀👩‍💻"],
  ["1,000 characters", "n".repeat(1_000)],
  ["a single space", " "],
  ["tabs and newlines", "\t\n\r"],
  ["surrounding spaces", "  padded  "],
  ["upper case", "Mixed-Case"],
  ["lower case", "mixed-case"],
  ["a NUL byte", "nul\u0000byte"],
  ["JSON-looking text", '{"name":"x"}'],
];

async function expectInvalidArgument(operation: Promise<unknown>): Promise<void> {
  const error = await operation.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "expected a rejection").toBeDefined();
  expect(
    isSandboxError(error, "INVALID_ARGUMENT"),
    `expected SandboxError INVALID_ARGUMENT, got ${String(error)}`,
  ).toBe(true);
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const byName = (a: TestEntry, b: TestEntry) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The shared test suite for `RegistryStore` implementations. Call it at the top level of a
 * vitest test file with a factory for a fresh store; it registers one `describe` block with
 * groups for round trips, merge rules, update semantics, removal, concurrent callers and odd
 * names.
 *
 * @example
 * ```ts
 * import { describeRegistryStore } from "@sandbox/contract-tests";
 * import { createFileRegistry } from "@sandbox/registry";
 *
 * const dirs: string[] = [];
 * describeRegistryStore("file registry", {
 *   create: async ({ schema }) => {
 *     const dir = await mkdtemp(join(tmpdir(), "registry-"));
 *     dirs.push(dir);
 *     return createFileRegistry({ dir, namespace: "suite", schema });
 *   },
 *   cleanup: async () => {
 *     for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
 *   },
 * });
 * ```
 */
export function describeRegistryStore(name: string, options: RegistryStoreSuiteOptions): void {
  const skipped = new Set(options.skip ?? []);
  const callers = options.concurrentCallers ?? 50;
  const group = (title: RegistryStoreSuiteGroup, body: () => void) =>
    (skipped.has(title) ? describe.skip : describe)(title, body);

  describe(`RegistryStore contract: ${name}`, () => {
    let store: RegistryStore<TestEntry>;

    beforeEach(async () => {
      store = await options.create({ schema: TestEntrySchema });
    });

    afterEach(async () => {
      await options.cleanup?.(store);
    });

    group("basics", () => {
      it("get of a missing entry is undefined", async () => {
        expect(await store.get("missing")).toBeUndefined();
      });

      it("upsert returns the entry and get reads it back", async () => {
        const entry = testEntry("t1", {
          value: 7,
          labels: { image: "ubuntu:24.04", note: "ünïcödé 🧪", empty: "" },
        });
        expect(await store.upsert(entry)).toEqual(entry);
        expect(await store.get("t1")).toEqual(entry);
      });

      it("upsert without merge replaces the whole entry", async () => {
        await store.upsert(testEntry("t1", { value: 1, labels: { old: "yes" } }));
        const next = testEntry("t1", { value: 2 });
        expect(await store.upsert(next)).toEqual(next);
        expect(await store.get("t1")).toEqual(next);
      });

      it("list is empty for a new store", async () => {
        expect(await store.list()).toEqual([]);
      });

      it("list returns every entry once", async () => {
        const entries = ["b", "a", "c", "a/b", "A"].map((n, i) => testEntry(n, { value: i }));
        for (const entry of entries) await store.upsert(entry);
        await store.upsert(testEntry("a", { value: 99 }));
        const expected = entries.map((e) => (e.name === "a" ? { ...e, value: 99 } : e));
        expect((await store.list()).sort(byName)).toEqual(expected.sort(byName));
      });

      it("returned entries are copies", async () => {
        const written = await store.upsert(testEntry("t1", { labels: { k: "v" } }));
        written.value = 100;
        const read = await store.get("t1");
        expect(read?.value).toBe(0);
        if (read?.labels) read.labels.k = "changed";
        const [listed] = await store.list();
        expect(listed?.labels).toEqual({ k: "v" });
        if (listed) listed.value = 5;
        expect((await store.get("t1"))?.value).toBe(0);
      });

      it("refuses an empty name in every method", async () => {
        await expectInvalidArgument(store.get(""));
        await expectInvalidArgument(store.upsert(testEntry("")));
        await expectInvalidArgument(store.update("", () => testEntry("")));
        await expectInvalidArgument(store.remove(""));
        expect(await store.list()).toEqual([]);
      });
    });

    group("merge", () => {
      it("is not called for a new entry", async () => {
        let calls = 0;
        const entry = testEntry("t1", { createdAtMs: 5 });
        const stored = await store.upsert(entry, (_old, next) => {
          calls++;
          return next;
        });
        expect(calls).toBe(0);
        expect(stored).toEqual(entry);
      });

      it("receives the existing and incoming entries, and its result is stored", async () => {
        await store.upsert(testEntry("t1", { value: 1, createdAtMs: 1_000, updatedAtMs: 1_000 }));
        const seen: Array<[TestEntry, TestEntry]> = [];
        const stored = await store.upsert(
          testEntry("t1", { value: 2, createdAtMs: 9_000, updatedAtMs: 9_000 }),
          (old, next) => {
            seen.push([old, next]);
            return { ...next, createdAtMs: old.createdAtMs };
          },
        );
        expect(seen).toEqual([
          [
            testEntry("t1", { value: 1, createdAtMs: 1_000, updatedAtMs: 1_000 }),
            testEntry("t1", { value: 2, createdAtMs: 9_000, updatedAtMs: 9_000 }),
          ],
        ]);
        const expected = testEntry("t1", { value: 2, createdAtMs: 1_000, updatedAtMs: 9_000 });
        expect(stored).toEqual(expected);
        expect(await store.get("t1")).toEqual(expected);
      });

      it("cannot rename the entry", async () => {
        await store.upsert(testEntry("t1", { value: 1 }));
        await expectInvalidArgument(
          store.upsert(testEntry("t1", { value: 2 }), (_old, next) => ({ ...next, name: "t2" })),
        );
        expect(await store.get("t1")).toEqual(testEntry("t1", { value: 1 }));
        expect(await store.get("t2")).toBeUndefined();
      });
    });

    group("update", () => {
      it("creates a missing entry when the updater returns one", async () => {
        const seen: Array<TestEntry | undefined> = [];
        const result = await store.update("t1", (current) => {
          seen.push(current);
          return testEntry("t1", { value: 1 });
        });
        expect(seen).toEqual([undefined]);
        expect(result).toEqual(testEntry("t1", { value: 1 }));
        expect(await store.get("t1")).toEqual(testEntry("t1", { value: 1 }));
      });

      it("leaves a missing entry absent when the updater returns undefined", async () => {
        expect(await store.update("t1", () => undefined)).toBeUndefined();
        expect(await store.get("t1")).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      it("leaves an existing entry unchanged when the updater returns undefined", async () => {
        const entry = testEntry("t1", { value: 3 });
        await store.upsert(entry);
        const seen: Array<TestEntry | undefined> = [];
        const result = await store.update("t1", (current) => {
          seen.push(current);
          return undefined;
        });
        expect(seen).toEqual([entry]);
        expect(result).toEqual(entry);
        expect(await store.get("t1")).toEqual(entry);
      });

      it("removes the entry when the updater returns null", async () => {
        await store.upsert(testEntry("t1"));
        expect(await store.update("t1", () => null)).toBeUndefined();
        expect(await store.get("t1")).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      it("treats null for a missing entry as a no-op", async () => {
        expect(await store.update("t1", () => null)).toBeUndefined();
        expect(await store.get("t1")).toBeUndefined();
      });

      it("awaits async updaters", async () => {
        await store.upsert(testEntry("t1", { value: 1 }));
        const result = await store.update("t1", async (current) => {
          await tick();
          return current ? { ...current, value: current.value + 1 } : undefined;
        });
        expect(result?.value).toBe(2);
        expect((await store.get("t1"))?.value).toBe(2);
      });

      it("writes nothing when the updater throws, rejects with its error, and stays usable", async () => {
        await store.upsert(testEntry("t1", { value: 1 }));
        const failure = new Error("updater failed");
        await expect(
          store.update("t1", () => {
            throw failure;
          }),
        ).rejects.toBe(failure);
        await expect(
          store.update("t1", async () => {
            await tick();
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect((await store.get("t1"))?.value).toBe(1);
        const after = await store.update("t1", (c) => (c ? { ...c, value: 2 } : undefined));
        expect(after?.value).toBe(2);
      });

      it("cannot rename the entry", async () => {
        await store.upsert(testEntry("t1", { value: 1 }));
        await expectInvalidArgument(
          store.update("t1", (current) => (current ? { ...current, name: "t2" } : undefined)),
        );
        await expectInvalidArgument(store.update("t3", () => testEntry("t4")));
        expect(await store.get("t1")).toEqual(testEntry("t1", { value: 1 }));
        expect(await store.get("t2")).toBeUndefined();
        expect(await store.get("t3")).toBeUndefined();
        expect(await store.get("t4")).toBeUndefined();
      });
    });

    group("remove", () => {
      it("returns true for an existing entry, then false", async () => {
        await store.upsert(testEntry("t1"));
        expect(await store.remove("t1")).toBe(true);
        expect(await store.remove("t1")).toBe(false);
        expect(await store.get("t1")).toBeUndefined();
      });

      it("returns false for a name never written", async () => {
        expect(await store.remove("never")).toBe(false);
      });

      it("removes only the named entry", async () => {
        await store.upsert(testEntry("keep"));
        await store.upsert(testEntry("drop"));
        await store.remove("drop");
        expect(await store.list()).toEqual([testEntry("keep")]);
      });

      it("lets a removed name be written again", async () => {
        await store.upsert(testEntry("t1", { value: 1 }));
        await store.remove("t1");
        await store.upsert(testEntry("t1", { value: 2 }));
        expect((await store.get("t1"))?.value).toBe(2);
      });
    });

    group("concurrency", () => {
      it(`loses no increment when ${callers} callers update one entry at once`, async () => {
        await Promise.all(
          Array.from({ length: callers }, () =>
            store.update("counter", async (current) => {
              // Yield inside the read-modify-write, so a store without a lock loses updates.
              await tick();
              return testEntry("counter", { value: (current?.value ?? 0) + 1 });
            }),
          ),
        );
        expect((await store.get("counter"))?.value).toBe(callers);
      });

      it(`keeps all ${callers} entries upserted at once`, async () => {
        const names = Array.from({ length: callers }, (_, i) => `entry-${i}`);
        await Promise.all(names.map((n, i) => store.upsert(testEntry(n, { value: i }))));
        const listed = await store.list();
        expect(listed.map((e) => e.name).sort()).toEqual([...names].sort());
        for (const [i, n] of names.entries()) expect((await store.get(n))?.value).toBe(i);
      });

      it("keeps the first createdAtMs when many upserts with merge race", async () => {
        await store.upsert(testEntry("t1", { createdAtMs: 1 }));
        await Promise.all(
          Array.from({ length: callers }, (_, i) =>
            store.upsert(testEntry("t1", { value: i, createdAtMs: 100 + i }), (old, next) => ({
              ...next,
              createdAtMs: old.createdAtMs,
            })),
          ),
        );
        const stored = await store.get("t1");
        expect(stored?.createdAtMs).toBe(1);
        expect(stored?.value).toBeGreaterThanOrEqual(0);
        expect(stored?.value).toBeLessThan(callers);
      });

      it("reports exactly one successful remove among concurrent removes", async () => {
        await store.upsert(testEntry("t1"));
        const results = await Promise.all(
          Array.from({ length: callers }, () => store.remove("t1")),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get("t1")).toBeUndefined();
      });
    });

    group("names", () => {
      it.each(ODD_NAMES)("round-trips a name with %s", async (_label, odd) => {
        await store.upsert(testEntry(odd, { value: 1 }));
        expect(await store.get(odd)).toEqual(testEntry(odd, { value: 1 }));
        expect(await store.list()).toEqual([testEntry(odd, { value: 1 })]);
        const updated = await store.update(odd, (c) => (c ? { ...c, value: 2 } : undefined));
        expect(updated).toEqual(testEntry(odd, { value: 2 }));
        expect(await store.remove(odd)).toBe(true);
        expect(await store.get(odd)).toBeUndefined();
        expect(await store.list()).toEqual([]);
      });

      it("keeps every odd name distinct from the others", async () => {
        for (const [i, [, odd]] of ODD_NAMES.entries()) {
          await store.upsert(testEntry(odd, { value: i }));
        }
        const listed = await store.list();
        expect(listed).toHaveLength(ODD_NAMES.length);
        for (const [i, [, odd]] of ODD_NAMES.entries()) {
          expect((await store.get(odd))?.value, JSON.stringify(odd)).toBe(i);
        }
        expect(await store.get("x")).toBeUndefined();
        expect(await store.get("C:")).toBeUndefined();
      });
    });
  });
}
