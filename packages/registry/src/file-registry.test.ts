import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isSandboxError } from "@sandbox/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { CounterEntrySchema, NAMESPACE } from "../test/support/counter-entry.js";
import { useTempDir } from "../test/support/temp-dir.js";
import { startWorker, type WorkerProcess } from "../test/support/worker-process.js";
import { entryFileName } from "./entry-file.js";
import { pendingQueueCount } from "./entry-lock.js";
import { createFileRegistry } from "./file-registry.js";

const Entry = z.object({ name: z.string(), state: z.string(), createdAtMs: z.number() });
type Entry = z.infer<typeof Entry>;

const temp = useTempDir("registry-store-");
let warnings: string[];

beforeEach(async () => {
  await temp.make();
  warnings = [];
});

const open = (overrides: { lockStaleMs?: number; lockTimeoutMs?: number } = {}) =>
  createFileRegistry({
    dir: temp.path,
    namespace: "containers",
    schema: Entry,
    logger: { warn: (message) => warnings.push(message) },
    ...overrides,
  });

const entry = (name: string, state = "running"): Entry => ({ name, state, createdAtMs: 1 });
const fileOf = (name: string) => join(temp.path, "containers", entryFileName(name));

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("options", () => {
  it.each([
    ["an empty namespace", { namespace: "" }, "options.namespace"],
    ["a namespace that climbs out", { namespace: ".." }, "options.namespace"],
    ["a namespace with a slash", { namespace: "a/b" }, "options.namespace"],
    ["a hidden namespace", { namespace: ".hidden" }, "options.namespace"],
    ["an empty dir", { dir: "" }, "options.dir"],
    ["a dir with a NUL byte", { dir: "/tmp/a\0b" }, "options.dir"],
    ["a schema that is not zod", { schema: { parse: () => 1 } }, "options.schema"],
    ["a negative lockStaleMs", { lockStaleMs: -1 }, "options.lockStaleMs"],
    ["a logger without warn", { logger: {} }, "options.logger"],
  ])("refuses %s with CONFIG_INVALID naming the field", (_label, override, field) => {
    const attempt = () =>
      createFileRegistry({
        dir: "/tmp/x",
        namespace: "ok",
        schema: Entry,
        ...(override as object),
      });
    expect(attempt).toThrow(field);
    try {
      attempt();
    } catch (error) {
      expect(isSandboxError(error, "CONFIG_INVALID")).toBe(true);
    }
  });

  it("keeps its entries under {dir}/{namespace}, resolved to an absolute path", () => {
    const registry = open();
    expect(registry.directory).toBe(resolve(temp.path, "containers"));
    expect(registry.namespace).toBe("containers");
  });

  it("does not create anything until the first write", async () => {
    const registry = open();
    expect(await registry.get("a")).toBeUndefined();
    expect(await registry.list()).toEqual([]);
    expect(existsSync(registry.directory)).toBe(false);
    await registry.upsert(entry("a"));
    expect(readdirSync(registry.directory)).toEqual([entryFileName("a")]);
  });
});

describe("names that try to escape the directory", () => {
  it("stay inside the namespace directory as hashed file names", async () => {
    const registry = open();
    const names = ["../../escape", "/etc/passwd", "..", "a/../../b", "C:\\Windows", "\0"];
    for (const name of names) await registry.upsert(entry(name));
    expect(readdirSync(temp.path)).toEqual(["containers"]);
    expect(readdirSync(registry.directory).sort()).toEqual(names.map(entryFileName).sort());
    for (const name of names) expect((await registry.get(name))?.name).toBe(name);
  });

  it("refuses a name with a lone surrogate, which would share a file with others", async () => {
    const error = await errorOf(open().upsert(entry("a\uD800")));
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
  });
});

describe("validation of what is written", () => {
  it("refuses an entry that fails the schema and writes nothing", async () => {
    const registry = open();
    const error = await errorOf(registry.upsert({ name: "a", state: 3 } as never));
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
    expect((error as Error).message).toContain("state");
    expect(existsSync(fileOf("a"))).toBe(false);
  });

  it("refuses an updater result that fails the schema and keeps the entry", async () => {
    const registry = open();
    await registry.upsert(entry("a"));
    const error = await errorOf(registry.update("a", () => ({ name: "a" }) as never));
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
    expect(await registry.get("a")).toEqual(entry("a"));
  });

  it("refuses an entry too large to store", async () => {
    const error = await errorOf(open().upsert(entry("a", "x".repeat(2 * 1024 * 1024))));
    expect(isSandboxError(error, "INVALID_ARGUMENT")).toBe(true);
  });
});

describe("invalid entry files", () => {
  const badFiles = {
    corrupt: '{"name":"corrupt","sta',
    empty: "",
    wrongSchema: JSON.stringify({ name: "wrongSchema", state: 42, createdAtMs: 1 }),
    misplaced: JSON.stringify(entry("someone-else")),
  };

  beforeEach(async () => {
    const registry = open();
    await registry.upsert(entry("good-1"));
    await registry.upsert(entry("good-2"));
    for (const [name, text] of Object.entries(badFiles)) writeFileSync(fileOf(name), text);
  });

  it("are skipped by list, which still returns every valid entry, with one warning per file", async () => {
    const registry = open();
    expect(await registry.list()).toEqual([entry("good-1"), entry("good-2")]);
    expect(warnings).toHaveLength(4);
    for (const name of Object.keys(badFiles)) {
      expect(warnings.some((w) => w.includes(entryFileName(name)))).toBe(true);
    }
    await registry.list();
    expect(warnings).toHaveLength(4);
  });

  it("read as undefined through get, with a warning that says why", async () => {
    const registry = open();
    expect(await registry.get("corrupt")).toBeUndefined();
    expect(await registry.get("wrongSchema")).toBeUndefined();
    expect(await registry.get("misplaced")).toBeUndefined();
    expect(warnings.join("\n")).toMatch(/not valid JSON/);
    expect(warnings.join("\n")).toMatch(/state/);
    expect(warnings.join("\n")).toMatch(/does not belong/);
  });

  it("are moved aside, bytes intact, before a write replaces them", async () => {
    const registry = open();
    const stored = await registry.update("corrupt", (current) => {
      expect(current).toBeUndefined();
      return entry("corrupt", "recreated");
    });
    expect(stored).toEqual(entry("corrupt", "recreated"));
    expect(await registry.get("corrupt")).toEqual(entry("corrupt", "recreated"));
    const aside = readdirSync(registry.directory).filter((f) => f.includes(".invalid-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(registry.directory, aside[0] ?? ""), "utf8")).toBe(badFiles.corrupt);
  });

  it("are moved aside by remove, which reports that no valid entry existed", async () => {
    const registry = open();
    expect(await registry.remove("wrongSchema")).toBe(false);
    expect(existsSync(fileOf("wrongSchema"))).toBe(false);
    expect(readdirSync(registry.directory).some((f) => f.includes(".invalid-"))).toBe(true);
  });

  it("stay in place when an updater leaves the entry alone", async () => {
    const registry = open();
    expect(await registry.update("empty", () => undefined)).toBeUndefined();
    expect(readFileSync(fileOf("empty"), "utf8")).toBe("");
  });

  it("warn through console.warn by default", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const registry = createFileRegistry({
        dir: temp.path,
        namespace: "containers",
        schema: Entry,
      });
      await registry.list();
      await registry.list();
      expect(warn).toHaveBeenCalledTimes(4);
    } finally {
      warn.mockRestore();
    }
  });
});

describe("list", () => {
  it("ignores temp files, locks, quarantined files, strangers and sub-directories", async () => {
    const registry = open();
    await registry.upsert(entry("a"));
    const dir = registry.directory;
    writeFileSync(join(dir, `.${entryFileName("b")}.tmp-1-abcd`), JSON.stringify(entry("b")));
    writeFileSync(join(dir, entryFileName("c").replace(".json", ".lock")), "{}");
    writeFileSync(join(dir, `${entryFileName("d")}.invalid-1`), JSON.stringify(entry("d")));
    writeFileSync(join(dir, "README.txt"), "hello");
    mkdirSync(join(dir, "nested"));
    expect(await registry.list()).toEqual([entry("a")]);
    expect(warnings).toEqual([]);
  });

  it("returns entries sorted by name", async () => {
    const registry = open();
    for (const name of ["b", "c", "a", "B"]) await registry.upsert(entry(name));
    expect((await registry.list()).map((e) => e.name)).toEqual(["B", "a", "b", "c"]);
  });
});

describe("two stores on one directory", () => {
  it("see each other's writes and share the per-entry lock", async () => {
    const first = open();
    const second = open();
    await first.upsert(entry("a"));
    expect(await second.get("a")).toEqual(entry("a"));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? first : second).update("n", (c) => ({
          name: "n",
          state: String(Number(c?.state ?? 0) + 1),
          createdAtMs: 1,
        })),
      ),
    );
    expect((await first.get("n"))?.state).toBe("20");
    expect(pendingQueueCount()).toBe(0);
  });
});

describe("per-entry locking across processes", () => {
  let holder: WorkerProcess | undefined;

  afterEach(async () => {
    holder?.kill();
    await holder?.exited;
    holder = undefined;
  });

  it("never makes a writer of one entry wait for another entry's lock", async () => {
    holder = startWorker(["hold", temp.path, "busy"]);
    await holder.waitForLine((line) => line === "holding");
    const registry = createFileRegistry({
      dir: temp.path,
      namespace: NAMESPACE,
      schema: CounterEntrySchema,
      lockTimeoutMs: 300,
    });
    const other = { name: "other", value: 1, writer: "test", payload: "", createdAtMs: 0 };
    expect(await registry.upsert(other)).toEqual(other);
    const error = await errorOf(registry.update("busy", () => ({ ...other, name: "busy" })));
    expect(isSandboxError(error, "TIMEOUT")).toBe(true);
    expect((error as Error).message).toContain('"busy"');
    expect(await registry.get("busy")).toBeUndefined();
  });
});
