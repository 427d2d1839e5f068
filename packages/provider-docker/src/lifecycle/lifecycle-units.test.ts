import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { fateOf } from "../docker/container-events.js";
import { KeyedLock } from "./keyed-lock.js";

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

describe("container event fates", () => {
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
});
