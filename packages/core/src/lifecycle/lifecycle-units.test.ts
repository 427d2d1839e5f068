import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DeathLedger } from "./death-ledger.js";
import { isIdle } from "./idle-reaper.js";
import type { InstanceState } from "./instance.js";
import { formatOwnerId, isOwnerDead, newOwnerId, parseOwnerId } from "./owner-id.js";
import { WarmPool } from "./warm-pool.js";

interface TestEntry {
  id: string;
  lastUsedAtMs: number;
  inFlight: number;
  state: InstanceState;
}

function entry(id: string, lastUsedAtMs: number, inFlight = 0): TestEntry {
  return { id, lastUsedAtMs, inFlight, state: "active" };
}

describe("owner ids", () => {
  it("gives every provider instance its own id, all alive while this process runs", () => {
    const a = newOwnerId();
    const b = newOwnerId();
    expect(a).not.toBe(b);
    expect(parseOwnerId(a)?.pid).toBe(process.pid);
    expect(isOwnerDead(a)).toBe(false);
  });

  it("declares a finished process dead, a reused pid dead, and a foreign host never", () => {
    const child = spawnSync(process.execPath, ["-e", "console.log(process.pid)"]);
    const pid = Number(child.stdout.toString());
    const own = parseOwnerId(newOwnerId());
    if (!own) throw new Error("unparsable owner id");
    expect(isOwnerDead(formatOwnerId({ ...own, pid }))).toBe(true);
    expect(isOwnerDead(formatOwnerId({ ...own, startMs: own.startMs - 60_000 }))).toBe(true);
    expect(isOwnerDead(formatOwnerId({ ...own, host: "elsewhere", pid }))).toBe(false);
    expect(isOwnerDead("garbage")).toBe(false);
  });
});

describe("WarmPool and idleness", () => {
  it("hands each entry out once and evicts the least recently used first", () => {
    const pool = new WarmPool<TestEntry>();
    pool.add(entry("a", 300));
    pool.add(entry("b", 100));
    pool.add(entry("c", 200));
    expect(pool.takeOldest()?.id).toBe("b");
    expect(pool.take("a")?.id).toBe("a");
    expect(pool.take("a")).toBeUndefined();
    expect(pool.values().map((e) => e.id)).toEqual(["c"]);
  });

  it("counts a sandbox with an operation running as busy however old", () => {
    expect(isIdle(entry("a", 0), 1000, 5000)).toBe(true);
    expect(isIdle(entry("a", 0, 1), 1000, 5000)).toBe(false);
    expect(isIdle(entry("a", 4500), 1000, 5000)).toBe(false);
  });
});

describe("DeathLedger", () => {
  it("keeps dead final, forgets a survived dying mark, and forgets the oldest past its capacity", () => {
    const ledger = new DeathLedger(2);
    ledger.record("a", "dying");
    ledger.survived("a");
    expect(ledger.fateOf("a")).toBeUndefined();
    ledger.record("a", "dead");
    ledger.record("a", "dying");
    ledger.survived("a");
    expect(ledger.fateOf("a")).toBe("dead");
    ledger.record("b", "dead");
    ledger.record("c", "dead");
    expect(ledger.fateOf("a")).toBeUndefined();
    expect(ledger.fateOf("c")).toBe("dead");
  });
});
