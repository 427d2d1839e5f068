import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { scanForOrphans, takeCensus } from "./census.js";
import { makeKit, nameOf } from "./test-backend.js";

describe("InstanceLifecycle: warm pool", () => {
  it("parks a released sandbox warm and hands the same instance back without a create", async () => {
    const { kit, backend, store, acquire } = makeKit();
    await acquire("a");
    const first = await kit.get("a");
    await kit.release("a");
    expect(kit.size).toEqual({ active: 0, warm: 1 });
    await acquire("a");
    expect(kit.size).toEqual({ active: 1, warm: 0 });
    expect(await kit.get("a")).toBe(first);
    expect(backend.creates).toBe(1);
    await kit.shutdown();
    expect(store.entries.size).toBe(0);
  });

  it("records each state change of an owned instance in the registry", async () => {
    const { kit, store, acquire, registry } = makeKit();
    await acquire("a");
    expect(store.entries.get(nameOf("a"))?.state).toBe("active");
    await kit.release("a");
    await registry.flush();
    expect(store.entries.get(nameOf("a"))?.state).toBe("warm");
    await acquire("a");
    await registry.flush();
    expect(store.entries.get(nameOf("a"))?.state).toBe("active");
    await kit.shutdown();
  });

  it("refills from scratch after the warm instance died: one new instance, the old one removed", async () => {
    const { kit, backend, acquire } = makeKit();
    kit.start();
    await backend.connected;
    await acquire("a");
    const before = backend.instances.get(nameOf("a"))?.instanceId;
    await kit.release("a");
    backend.kill(nameOf("a"));
    await acquire("a");
    const after = backend.instances.get(nameOf("a"))?.instanceId;
    expect(after).not.toBe(before);
    expect(backend.calls).toContain(`remove ${before}`);
    expect(backend.creates).toBe(2);
    await kit.shutdown();
  });

  it("serialises concurrent acquires of one sandbox: one instance", async () => {
    const { kit, backend, acquire } = makeKit();
    await Promise.all([acquire("a"), acquire("a"), acquire("a")]);
    expect(backend.creates).toBe(1);
    expect(kit.size).toEqual({ active: 1, warm: 0 });
    await kit.shutdown();
  });

  it("removes an anonymous sandbox (and its files) on release instead of parking it", async () => {
    const { kit, backend, acquire, removedFiles } = makeKit();
    await acquire("anon1", { threadId: null });
    await kit.release("anon1");
    expect(kit.size).toEqual({ active: 0, warm: 0 });
    expect(backend.instances.size).toBe(0);
    expect(removedFiles).toEqual(["anon1"]);
    await kit.shutdown();
  });
});

describe("InstanceLifecycle: replica cap (soft)", () => {
  it("evicts the least recently used warm instance to make room for a new one", async () => {
    const { kit, backend, clock, acquire } = makeKit({ replicas: 2 });
    await acquire("a");
    clock.advance(10);
    await acquire("b");
    clock.advance(10);
    await kit.release("b");
    clock.advance(10);
    await kit.release("a"); // a is now the most recently used
    await acquire("c");
    expect(kit.stateOf("a")).toBe("warm");
    expect(kit.stateOf("b")).toBeUndefined();
    expect(backend.instances.has(nameOf("b"))).toBe(false);
    expect(kit.size).toEqual({ active: 1, warm: 1 });
    await kit.shutdown();
  });

  it("never stops an active instance: with all active it warns and starts one more", async () => {
    const { kit, backend, acquire, warnings } = makeKit({ replicas: 2 });
    await acquire("a");
    await acquire("b");
    await acquire("c");
    expect(kit.size).toEqual({ active: 3, warm: 0 });
    expect(backend.instances.size).toBe(3);
    expect(warnings).toEqual([
      "all 2 sandbox instances are active and replicas is 2; starting one more (replicas is a soft cap)",
    ]);
    await kit.shutdown();
  });

  it("trims warm instances above the cap on release", async () => {
    const { kit, backend, clock, acquire } = makeKit({ replicas: 2 });
    await acquire("a");
    await acquire("b");
    await acquire("c");
    clock.advance(10);
    await kit.release("a");
    expect(kit.size).toEqual({ active: 2, warm: 0 });
    expect(backend.instances.has(nameOf("a"))).toBe(false);
    await kit.shutdown();
  });
});

describe("InstanceLifecycle: idle reaper", () => {
  it("removes active and warm instances idle past the timeout, and keeps a busy or recent one", async () => {
    const { kit, backend, clock, acquire } = makeKit({ idleTimeoutMs: 60_000 });
    await acquire("idle-active");
    await acquire("idle-warm");
    await kit.release("idle-warm");
    await acquire("busy");
    await acquire("recent");
    const busy = await kit.get("busy");
    if (!busy) throw new Error("busy is gone");
    busy.inFlight = 1;
    clock.advance(60_001);
    await kit.get("recent"); // marks it used now
    await kit.reapIdle();
    expect(kit.stateOf("idle-active")).toBeUndefined();
    expect(kit.stateOf("idle-warm")).toBeUndefined();
    expect(kit.stateOf("busy")).toBe("active");
    expect(kit.stateOf("recent")).toBe("active");
    expect([...backend.instances.keys()].sort()).toEqual([nameOf("busy"), nameOf("recent")]);
    await kit.shutdown();
  });

  it("leaves everything alone before the timeout", async () => {
    const { kit, clock, acquire } = makeKit({ idleTimeoutMs: 60_000 });
    await acquire("a");
    clock.advance(59_000);
    await kit.reapIdle();
    expect(kit.stateOf("a")).toBe("active");
    await kit.shutdown();
  });
});

describe("InstanceLifecycle: liveness and auto-restart", () => {
  it("drops a crashed instance when its death event arrives; the next acquire makes a new one", async () => {
    const { kit, backend, acquire } = makeKit();
    kit.start();
    await backend.connected;
    expect(kit.following).toBe(true);
    await acquire("a");
    const entry = await kit.get("a");
    const crashed = backend.instances.get(nameOf("a"))?.instanceId;
    backend.kill(nameOf("a"));
    expect(entry?.gone.signal.aborted).toBe(true);
    expect(entry?.sandbox.closed).toBe(true);
    expect(await kit.get("a")).toBeUndefined();
    await acquire("a");
    expect(backend.instances.get(nameOf("a"))?.instanceId).not.toBe(crashed);
    expect(backend.creates).toBe(2);
    await kit.shutdown();
  });

  it("answers get from memory while events are live (no question to the backend)", async () => {
    const { kit, backend, acquire } = makeKit();
    kit.start();
    await backend.connected;
    await acquire("a");
    await kit.get("a");
    await kit.get("a");
    expect(backend.calls.filter((call) => call.startsWith("alive"))).toEqual([]);
    await kit.shutdown();
  });

  it("without events, polls: get asks at most once per interval and drops a dead instance", async () => {
    const { kit, backend, clock, acquire } = makeKit({ events: false, livenessIntervalMs: 1000 });
    kit.start();
    expect(kit.following).toBe(false);
    await acquire("a");
    await kit.get("a");
    await kit.get("a");
    expect(backend.calls.filter((call) => call.startsWith("alive"))).toHaveLength(1);
    backend.kill(nameOf("a"));
    expect(await kit.get("a")).toBeDefined(); // the last answer still stands
    clock.advance(1001);
    expect(await kit.get("a")).toBeUndefined();
    expect(backend.instances.has(nameOf("a"))).toBe(false);
    await acquire("a");
    expect(backend.creates).toBe(2);
    await kit.shutdown();
  });

  it("catches up on deaths missed while events were down, when the feed connects", async () => {
    const { kit, backend, acquire } = makeKit();
    await acquire("a");
    const entry = await kit.get("a");
    backend.kill(nameOf("a")); // nobody listens yet
    kit.start();
    await backend.connected;
    expect(entry?.gone.signal.aborted).toBe(true);
    expect(kit.stateOf("a")).toBeUndefined();
    await kit.shutdown();
  });

  it("keeps a warm instance when the backend cannot answer, and fails the acquire clearly", async () => {
    const { kit, backend, acquire } = makeKit({ events: false });
    await acquire("a");
    await kit.release("a");
    backend.unreachable = true;
    const failure = await acquire("a").catch((error: unknown) => error);
    expect(isSandboxError(failure, "PROVIDER_UNAVAILABLE")).toBe(true);
    expect(kit.stateOf("a")).toBe("warm");
    backend.unreachable = false;
    await acquire("a");
    expect(kit.stateOf("a")).toBe("active");
    expect(backend.creates).toBe(1);
    await kit.shutdown();
  });

  it("with autoRestart off, a dead instance stays held (its commands fail) and nothing is asked", async () => {
    const { kit, backend, acquire } = makeKit({ autoRestart: false });
    kit.start();
    await backend.connected;
    await acquire("a");
    const entry = await kit.get("a");
    backend.kill(nameOf("a"));
    expect(entry?.gone.signal.aborted).toBe(true);
    expect(await kit.get("a")).toBe(entry);
    await kit.shutdown();
  });
});

describe("InstanceLifecycle: creation", () => {
  it("removes a new instance that never becomes ready and fails with its TIMEOUT", async () => {
    const { kit, backend, acquire } = makeKit();
    const failure = await acquire("a", { spec: { ready: false } }).catch((error: unknown) => error);
    expect(isSandboxError(failure, "TIMEOUT")).toBe(true);
    expect(backend.instances.size).toBe(0);
    await kit.shutdown();
  });

  it("loses a create race to a peer gracefully: it uses the peer's instance, and leaves it be", async () => {
    const { kit, backend, acquire } = makeKit();
    backend.racedBy.set(nameOf("a"), "peer");
    await acquire("a");
    expect(backend.creates).toBe(0);
    expect((await kit.get("a"))?.owned).toBe(false);
    await kit.shutdown();
    expect(backend.instances.has(nameOf("a"))).toBe(true);
  });

  it("replaces an instance made from another config instead of adopting it", async () => {
    const { kit, backend, acquire } = makeKit();
    const old = backend.plant({
      name: nameOf("a"),
      sandboxId: "a",
      threadId: "a",
      userId: "u",
      configHash: "old",
      owner: "me",
      status: "running",
    });
    await acquire("a");
    expect(backend.calls).toContain(`remove ${old}`);
    expect(backend.creates).toBe(1);
    await kit.shutdown();
  });

  it("rejects with SHUT_DOWN after shutdown", async () => {
    const { kit, acquire } = makeKit();
    await kit.shutdown();
    const failure = await acquire("a").catch((error: unknown) => error);
    expect(isSandboxError(failure, "SHUT_DOWN")).toBe(true);
  });
});

describe("ownership census and orphans", () => {
  function plantThree(backend: ReturnType<typeof makeKit>["backend"]) {
    const common = { userId: "u", configHash: "h1", status: "running" as const };
    backend.plant({
      ...common,
      name: nameOf("mine"),
      sandboxId: "mine",
      threadId: "mine",
      owner: "me",
    });
    backend.plant({
      ...common,
      name: nameOf("peer"),
      sandboxId: "peer",
      threadId: "peer",
      owner: "peer",
    });
    backend.plant({
      ...common,
      name: nameOf("dead"),
      sandboxId: "dead",
      threadId: "dead",
      owner: "crashed",
    });
  }

  it("sorts instances by owner, with the registry's owner overriding the label's", async () => {
    const { kit, backend, registry, store, ownership, gone } = makeKit();
    gone.add("crashed");
    plantThree(backend);
    // The peer adopted the crashed owner's instance: the record says so.
    const dead = backend.instances.get(nameOf("dead"));
    store.entries.set(nameOf("dead"), {
      name: nameOf("dead"),
      instanceId: dead?.instanceId ?? "",
      sandboxId: "dead",
      owner: "peer",
      state: "warm",
      createdAtMs: 1,
      lastUsedAtMs: 2,
    });
    store.entries.set(nameOf("vanished"), {
      name: nameOf("vanished"),
      instanceId: "gone-long-ago",
      sandboxId: "vanished",
      owner: "crashed",
      state: "active",
      createdAtMs: 1,
      lastUsedAtMs: 2,
    });
    const census = await takeCensus(backend, registry);
    const owners = Object.fromEntries(census.instances.map((e) => [e.info.sandboxId, e.owner]));
    expect(owners).toEqual({ mine: "me", peer: "peer", dead: "peer" });
    expect(census.recordsWithoutInstance.map((r) => r.sandboxId)).toEqual(["vanished"]);
    const scan = await scanForOrphans(backend, registry, ownership);
    expect(scan.orphans).toEqual([]);
    expect(scan.staleRecords.map((r) => r.sandboxId)).toEqual(["vanished"]);
    await kit.shutdown();
  });

  it("finds only a gone owner's instances as orphans, never a live peer's or its own", async () => {
    const { kit, backend, registry, ownership, gone } = makeKit();
    gone.add("crashed");
    plantThree(backend);
    const scan = await scanForOrphans(backend, registry, ownership);
    expect(scan.orphans.map((o) => o.info.sandboxId)).toEqual(["dead"]);
    await kit.shutdown();
  });

  it("adopts a gone owner's instances warm (up to replicas, newest first) and removes the rest", async () => {
    const { kit, backend, clock, store, gone, open } = makeKit({ replicas: 1 });
    gone.add("crashed");
    const common = { userId: "u", configHash: "h1", status: "running" as const, owner: "crashed" };
    backend.plant({ ...common, name: nameOf("old"), sandboxId: "old", threadId: "old" });
    clock.advance(1000);
    backend.plant({ ...common, name: nameOf("new"), sandboxId: "new", threadId: "new" });
    backend.plant({
      ...common,
      name: nameOf("other-config"),
      sandboxId: "other-config",
      threadId: "x",
      configHash: "h0",
    });
    backend.plant({
      ...common,
      name: nameOf("peer"),
      sandboxId: "peer",
      threadId: "peer",
      owner: "alive",
    });
    await kit.recoverOrphans("adopt", () => ({ configHash: "h1", open }));
    expect(kit.stateOf("new")).toBe("warm");
    expect(kit.stateOf("old")).toBeUndefined();
    expect([...backend.instances.keys()].sort()).toEqual([nameOf("new"), nameOf("peer")]);
    expect(store.entries.get(nameOf("new"))?.owner).toBe("me");
    // The adopted instance is this provider's now: its thread reclaims it, shutdown removes it.
    await kit.shutdown();
    expect([...backend.instances.keys()]).toEqual([nameOf("peer")]);
  });

  it("with mode remove, removes a gone owner's instances and keeps a live peer's", async () => {
    const { kit, backend, gone } = makeKit();
    gone.add("crashed");
    plantThree(backend);
    await kit.recoverOrphans("remove", () => undefined);
    expect([...backend.instances.keys()].sort()).toEqual([nameOf("mine"), nameOf("peer")]);
    await kit.shutdown();
  });

  it("on acquire, takes over a gone owner's running instance and only uses a live peer's", async () => {
    const { kit, backend, gone, acquire } = makeKit();
    gone.add("crashed");
    plantThree(backend);
    await acquire("dead");
    await acquire("peer");
    expect((await kit.get("dead"))?.owned).toBe(true);
    expect((await kit.get("peer"))?.owned).toBe(false);
    expect(backend.creates).toBe(0);
    // Shutdown removes what it owns (its own label, the adopted one) and never the peer's.
    await kit.shutdown();
    expect([...backend.instances.keys()]).toEqual([nameOf("peer")]);
  });
});

describe("InstanceLifecycle: adopting an instance that was ready", () => {
  it("probes an adopted instance again even in the run the registry recorded ready", async () => {
    const { kit, backend, store, acquire } = makeKit();
    await acquire("a");
    const instanceId = backend.instances.get(nameOf("a"))?.instanceId ?? "";
    expect(backend.probes).toEqual([instanceId]);
    expect(store.entries.get(nameOf("a"))?.readyRun).toBe("run-1");
    // Forgotten, as by a process that exits leaving it running: the next acquire adopts it, and
    // probes it first (the agent may have broken it since it was last ready).
    await kit.reset();
    await acquire("a");
    expect(backend.probes).toEqual([instanceId, instanceId]);
    expect(backend.creates).toBe(1);
    await kit.shutdown();
  });

  it("probes a restarted instance (a new run) and replaces it when the probe fails", async () => {
    const { kit, backend, acquire } = makeKit({ events: false });
    await acquire("a");
    const first = backend.instances.get(nameOf("a"))?.instanceId ?? "";
    await kit.reset();
    backend.restart(nameOf("a"), { ready: true });
    await acquire("a");
    expect(backend.probes).toEqual([first, first]);
    expect(backend.creates).toBe(1);
    await kit.reset();
    // Killed and started again, but what runs inside is no longer ready: not adopted as ready.
    backend.restart(nameOf("a"), { ready: false });
    const failed = await acquire("a").catch((error: unknown) => error);
    expect(isSandboxError(failed, "TIMEOUT")).toBe(true);
    expect(backend.probes).toEqual([first, first, first]);
    await kit.shutdown();
  });

  it("replaces a kept instance whose process stopped, and probes one the registry never saw ready", async () => {
    const { kit, backend, store, acquire } = makeKit({ events: false });
    await acquire("a");
    await kit.reset();
    backend.kill(nameOf("a"));
    await acquire("a");
    expect(backend.creates).toBe(2);
    const second = backend.instances.get(nameOf("a"))?.instanceId ?? "";
    await kit.reset();
    const record = store.entries.get(nameOf("a"));
    if (record) delete record.readyRun; // a record written before run ids existed
    const probesBefore = backend.probes.length;
    await acquire("a");
    expect(backend.probes.slice(probesBefore)).toEqual([second]);
    await kit.shutdown();
  });
});
