import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { useTempDir } from "../test/support/temp-dir.js";
import { createFileRegistry } from "./file-registry.js";

const Entry = z.object({
  name: z.string(),
  image: z.string(),
  createdAtMs: z.number(),
});
type Entry = z.infer<typeof Entry>;

const temp = useTempDir("registry-legacy-");
let legacyFile: string;

beforeEach(async () => {
  legacyFile = join(await temp.make(), "containers.json");
});

const open = () =>
  createFileRegistry({
    dir: temp.path,
    namespace: "containers",
    schema: Entry,
    logger: { warn: () => undefined },
  });

const entry = (name: string, image = "ubuntu"): Entry => ({ name, image, createdAtMs: 1 });
const writeLegacy = (content: unknown) =>
  writeFileSync(legacyFile, typeof content === "string" ? content : JSON.stringify(content));
const movedFiles = (kind: string) =>
  readdirSync(temp.path).filter((f) => f.startsWith(`containers.json.${kind}-`));

describe("doctor with a legacy file", () => {
  it("reports what it would migrate without fix, and touches nothing", async () => {
    const registry = open();
    await registry.upsert(entry("existing", "kept"));
    writeLegacy({ entries: [entry("a"), entry("b"), entry("existing", "legacy")] });

    const report = await registry.doctor({ legacyFile });
    expect(report.healthy).toBe(false);
    expect(report.legacy).toMatchObject({
      file: legacyFile,
      found: true,
      total: 3,
      newEntries: ["a", "b"],
      existingEntries: ["existing"],
      invalidEntries: [],
    });
    expect(report.legacy?.movedTo).toBeUndefined();
    expect(await registry.list()).toEqual([entry("existing", "kept")]);
    expect(existsSync(legacyFile)).toBe(true);
  });

  it("migrates insert-if-missing with fix, then moves the legacy file aside", async () => {
    const registry = open();
    await registry.upsert(entry("existing", "kept"));
    writeLegacy({ entries: [entry("a"), entry("../../b"), entry("existing", "legacy")] });

    const report = await registry.doctor({ fix: true, legacyFile });
    expect(report.legacy).toMatchObject({
      newEntries: ["a", "../../b"],
      existingEntries: ["existing"],
    });
    expect(await registry.list()).toEqual([
      entry("../../b"),
      entry("a"),
      entry("existing", "kept"),
    ]);
    expect(existsSync(legacyFile)).toBe(false);
    expect(movedFiles("migrated")).toHaveLength(1);
    expect(report.legacy?.movedTo).toBe(join(temp.path, movedFiles("migrated")[0] ?? ""));

    // A later run finds nothing to migrate, so removed entries never come back.
    await registry.remove("a");
    const again = await registry.doctor({ fix: true, legacyFile });
    expect(again.legacy).toMatchObject({ found: false });
    expect(again.healthy).toBe(true);
    expect(await registry.get("a")).toBeUndefined();
  });

  it("reports invalid items by index and still migrates the valid ones", async () => {
    writeLegacy({
      entries: [
        entry("ok"),
        { name: "no-image", createdAtMs: 1 },
        { name: "", image: "x", createdAtMs: 1 },
        "not an object",
        entry("ok", "duplicate"),
      ],
    });
    const registry = open();
    const report = await registry.doctor({ fix: true, legacyFile });
    expect(report.legacy?.newEntries).toEqual(["ok"]);
    expect(report.legacy?.invalidEntries).toEqual([
      { index: 1, name: "no-image", reason: expect.stringMatching(/image/) },
      { index: 2, name: "", reason: expect.stringMatching(/non-empty/) },
      { index: 3, reason: expect.any(String) },
      { index: 4, name: "ok", reason: "repeats the name of item 0" },
    ]);
    expect(await registry.list()).toEqual([entry("ok")]);
    // The invalid items are not lost: they stay in the moved legacy file.
    const moved = readFileSync(join(temp.path, movedFiles("migrated")[0] ?? ""), "utf8");
    expect(JSON.parse(moved).entries).toHaveLength(5);
  });

  it.each([
    ["not JSON", "{ entries: [", /not valid JSON/],
    ["JSON without an entries array", { items: [] }, /no "entries" array/],
  ])(
    "reports a legacy file that is %s, and quarantines it with fix",
    async (_l, content, reason) => {
      writeLegacy(content);
      const registry = open();
      const report = await registry.doctor({ legacyFile });
      expect(report.legacy?.unreadable).toMatch(reason);
      expect(report.healthy).toBe(false);
      expect(existsSync(legacyFile)).toBe(true);

      const fixed = await registry.doctor({ fix: true, legacyFile });
      expect(fixed.legacy?.movedTo).toMatch(/containers\.json\.invalid-\d+$/);
      expect(existsSync(legacyFile)).toBe(false);
      expect(movedFiles("invalid")).toHaveLength(1);
      expect(await registry.list()).toEqual([]);
    },
  );

  it("treats a missing legacy file as nothing to do", async () => {
    const report = await open().doctor({ fix: true, legacyFile });
    expect(report.legacy).toMatchObject({ found: false, total: 0, newEntries: [] });
    expect(report.healthy).toBe(true);
  });

  it("maps legacy items to the current shape with mapLegacyEntry", async () => {
    writeLegacy({ entries: [{ containerName: "sbx-1", image: "node", createdAtMs: 5 }] });
    const registry = open();
    const report = await registry.doctor({
      fix: true,
      legacyFile,
      mapLegacyEntry: (legacy) => {
        const { containerName, ...rest } = legacy as { containerName: string };
        return { name: containerName, ...rest };
      },
    });
    expect(report.legacy?.newEntries).toEqual(["sbx-1"]);
    expect(await registry.get("sbx-1")).toEqual({ name: "sbx-1", image: "node", createdAtMs: 5 });
  });
});
