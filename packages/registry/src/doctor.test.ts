import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { deadPid, useTempDir } from "../test/support/temp-dir.js";
import { entryFileName } from "./entry-file.js";
import type { LockRecord } from "./entry-lock.js";
import { createFileRegistry } from "./file-registry.js";
import { currentProcessIdentity } from "./process-identity.js";

const Entry = z.object({ name: z.string(), state: z.string() });
const temp = useTempDir("registry-doctor-");

beforeEach(async () => {
  await temp.make();
});

const open = () =>
  createFileRegistry({
    dir: temp.path,
    namespace: "containers",
    schema: Entry,
    logger: { warn: () => undefined },
  });

const lockOf = (name: string) => entryFileName(name).replace(".json", ".lock");

function lockRecord(overrides: Partial<LockRecord>): string {
  const self = currentProcessIdentity();
  return JSON.stringify({
    version: 1,
    token: "x".repeat(32),
    pid: self.pid,
    startTime: self.startTime,
    hostname: self.hostname,
    acquiredAtMs: Date.now(),
    ...overrides,
  });
}

function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms);
  utimesSync(path, then, then);
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
  );
}

/** A namespace directory with one of every problem doctor knows, and one of every harmless file. */
async function messyRegistry() {
  const registry = open();
  const dir = registry.directory;
  await registry.upsert({ name: "good", state: "running" });
  await registry.upsert({ name: "busy", state: "running" });
  const file = (name: string) => join(dir, name);
  writeFileSync(file(entryFileName("corrupt")), "{ not json");
  writeFileSync(file(entryFileName("empty")), "");
  writeFileSync(file(entryFileName("wrong")), JSON.stringify({ name: "wrong", state: 1 }));
  writeFileSync(file(entryFileName("misplaced")), JSON.stringify({ name: "x", state: "s" }));
  writeFileSync(file(lockOf("dead")), lockRecord({ pid: await deadPid() }));
  writeFileSync(file(lockOf("busy")), lockRecord({}));
  const oldTemp = `.${entryFileName("good")}.tmp-1-01d0`;
  writeFileSync(file(oldTemp), "half");
  age(file(oldTemp), 120_000);
  const youngTemp = `.${entryFileName("good")}.tmp-2-f00d`;
  writeFileSync(file(youngTemp), "in flight");
  const breaking = `${lockOf("gone")}.breaking-3-abcd`;
  writeFileSync(file(breaking), "{}");
  age(file(breaking), 120_000);
  const quarantined = `${entryFileName("old")}.invalid-1700000000000`;
  writeFileSync(file(quarantined), "old junk");
  writeFileSync(file("notes.txt"), "someone's notes");
  return { registry, dir, oldTemp, youngTemp, breaking, quarantined };
}

describe("doctor", () => {
  it("reports a missing or clean directory as healthy", async () => {
    const registry = open();
    expect(await registry.doctor()).toMatchObject({ healthy: true, validEntries: 0 });
    await registry.upsert({ name: "a", state: "s" });
    expect(await registry.doctor({ fix: true })).toMatchObject({
      healthy: true,
      fixed: true,
      validEntries: 1,
      invalidEntries: [],
      staleLocks: [],
      strayFiles: [],
    });
  });

  it("without fix, reports every problem and changes nothing", async () => {
    const { registry, dir, oldTemp, breaking, quarantined } = await messyRegistry();
    const before = snapshot(dir);
    const report = await registry.doctor();
    expect(snapshot(dir)).toEqual(before);

    expect(report.healthy).toBe(false);
    expect(report.fixed).toBe(false);
    expect(report.validEntries).toBe(2);
    const invalid = Object.fromEntries(report.invalidEntries.map((f) => [f.file, f]));
    expect(invalid[entryFileName("corrupt")]?.reason).toMatch(/not valid JSON/);
    expect(invalid[entryFileName("empty")]?.reason).toMatch(/empty/);
    expect(invalid[entryFileName("wrong")]).toMatchObject({ name: "wrong", reason: /schema/ });
    expect(invalid[entryFileName("misplaced")]).toMatchObject({ name: "x", reason: /belong/ });
    expect(report.invalidEntries.every((f) => f.quarantinedAs === undefined)).toBe(true);
    expect(report.staleLocks).toEqual([
      expect.objectContaining({ file: lockOf("dead"), reason: "owner-dead", removed: false }),
    ]);
    expect(report.activeLocks).toBe(1);
    expect(report.strayFiles.map((f) => [f.file, f.kind, f.removed]).sort()).toEqual(
      [
        [oldTemp, "temp", false],
        [breaking, "breaking", false],
      ].sort(),
    );
    expect(report.quarantinedFiles).toEqual([quarantined]);
    expect(report.unknownFiles).toEqual(["notes.txt"]);
  });

  it("with fix, quarantines invalid entries, removes stale locks and old strays, keeps the rest", async () => {
    const { registry, dir, oldTemp, youngTemp, breaking, quarantined } = await messyRegistry();
    const corruptBytes = readFileSync(join(dir, entryFileName("corrupt")), "utf8");
    const report = await registry.doctor({ fix: true });

    expect(report.fixed).toBe(true);
    expect(report.invalidEntries).toHaveLength(4);
    for (const finding of report.invalidEntries) {
      expect(finding.quarantinedAs).toMatch(new RegExp(`^${finding.file}\\.invalid-\\d+$`));
    }
    const corruptAside = report.invalidEntries.find((f) => f.file === entryFileName("corrupt"));
    expect(readFileSync(join(dir, corruptAside?.quarantinedAs ?? ""), "utf8")).toBe(corruptBytes);
    expect(report.staleLocks).toEqual([expect.objectContaining({ removed: true })]);
    expect(report.strayFiles.every((f) => f.removed)).toBe(true);

    const left = readdirSync(dir);
    expect(left).not.toContain(oldTemp);
    expect(left).not.toContain(breaking);
    expect(left).not.toContain(lockOf("dead"));
    expect(left).toContain(youngTemp);
    expect(left).toContain(lockOf("busy"));
    expect(left).toContain(quarantined);
    expect(left).toContain("notes.txt");
    expect((await registry.list()).map((e) => e.name)).toEqual(["busy", "good"]);

    const again = await registry.doctor();
    expect(again.healthy).toBe(true);
    expect(again.quarantinedFiles).toHaveLength(5);
  });

  it("treats temp files as strays only past strayFileMaxAgeMs", async () => {
    const { registry, youngTemp } = await messyRegistry();
    const report = await registry.doctor({ strayFileMaxAgeMs: 0 });
    expect(report.strayFiles.map((f) => f.file)).toContain(youngTemp);
  });

  it("never quarantines over an earlier quarantined copy", async () => {
    const registry = open();
    const dir = registry.directory;
    await registry.upsert({ name: "a", state: "s" });
    for (const round of [1, 2, 3]) {
      writeFileSync(join(dir, entryFileName("a")), `junk ${round}`);
      await registry.doctor({ fix: true });
    }
    const aside = readdirSync(dir).filter((f) => f.includes(".invalid-"));
    expect(aside).toHaveLength(3);
    expect(aside.map((f) => readFileSync(join(dir, f), "utf8")).sort()).toEqual([
      "junk 1",
      "junk 2",
      "junk 3",
    ]);
    expect(aside.every((f) => statSync(join(dir, f)).isFile())).toBe(true);
  });
});
