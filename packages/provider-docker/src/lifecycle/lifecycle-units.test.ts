import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { DeathLedger, fateOf } from "./death-ledger.js";
import { isIdle } from "./idle-reaper.js";
import { KeyedLock } from "./keyed-lock.js";
import { formatOwnerId, isOwnerDead, newOwnerId, parseOwnerId } from "./owner-id.js";
import type { SandboxEntry } from "./sandbox-entry.js";
import { WarmPool } from "./warm-pool.js";

function entry(id: string, lastUsedAtMs: number, inFlight = 0): SandboxEntry {
  return { id, lastUsedAtMs, inFlight, state: "active" } as unknown as SandboxEntry;
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

describe("KeyedLock", () => {
  it("serialises one key and lets other keys run", async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const slow = lock.run("a", async () => {
      await sleep(30);
      order.push("a1");
    });
    const queued = lock.run("a", async () => order.push("a2"));
    const other = lock.run("b", async () => order.push("b"));
    await Promise.all([slow, queued, other]);
    expect(order).toEqual(["b", "a1", "a2"]);
    expect(lock.isHeld("a")).toBe(false);
  });

  it("keeps going after a failed task and drains everything", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("k", async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await lock.run("k", async () => 2)).toBe(2);
    let done = false;
    void lock.run("k", async () => {
      await sleep(20);
      done = true;
    });
    await lock.drain();
    expect(done).toBe(true);
  });
});

describe("WarmPool and idleness", () => {
  it("hands each entry out once and evicts the least recently used first", () => {
    const pool = new WarmPool();
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
  it("counts SIGKILL, die, stop and destroy as dead, other signals and OOM as dying", () => {
    const event = (action: "die" | "stop" | "kill" | "oom" | "destroy", signal?: number) => ({
      action,
      containerId: "c",
      signal,
    });
    expect(fateOf(event("kill", 9))).toBe("dead");
    expect(fateOf(event("kill", 15))).toBe("dying");
    expect(fateOf(event("oom"))).toBe("dying");
    for (const action of ["die", "stop", "destroy"] as const)
      expect(fateOf(event(action))).toBe("dead");
  });

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
