import { describe, expect, it } from "vitest";
import { KeyedLock } from "./keyed-lock.js";

/** A promise the test settles by hand, so ordering never depends on timers. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("KeyedLock", () => {
  it("runs the tasks of one key one at a time, in the order they were queued", async () => {
    const lock = new KeyedLock();
    const first = gate();
    const events: string[] = [];
    const runs = [1, 2, 3, 4].map((n) =>
      lock.run("k", async () => {
        events.push(`start ${n}`);
        if (n === 1) await first.promise;
        await Promise.resolve();
        events.push(`end ${n}`);
        return n;
      }),
    );
    await Promise.resolve();
    expect(events).toEqual(["start 1"]);
    first.open();
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 4]);
    expect(events).toEqual([
      "start 1",
      "end 1",
      "start 2",
      "end 2",
      "start 3",
      "end 3",
      "start 4",
      "end 4",
    ]);
  });

  it("never makes one key wait for another", async () => {
    const lock = new KeyedLock();
    const blocked = gate();
    const slow = lock.run("a", () => blocked.promise.then(() => "a"));
    expect(await lock.run("b", async () => "b")).toBe("b");
    expect(lock.isHeld("a")).toBe(true);
    blocked.open();
    expect(await slow).toBe("a");
  });

  it("does not let a failed task poison its key", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("k", async () => {
      throw new Error("boom");
    });
    const sync = lock.run("k", () => {
      throw new Error("thrown before any await");
    });
    const next = lock.run("k", async () => "still works");
    await expect(failing).rejects.toThrow("boom");
    await expect(sync).rejects.toThrow("thrown before any await");
    expect(await next).toBe("still works");
  });

  it("forgets a key once its queue is empty, so the map does not grow", async () => {
    const lock = new KeyedLock();
    await Promise.all(
      Array.from({ length: 1000 }, (_, n) => lock.run(`key-${n % 50}`, async () => n)),
    );
    await lock.run("last", async () => undefined).catch(() => undefined);
    await lock.drain();
    expect(lock.size).toBe(0);
    expect(lock.isHeld("key-0")).toBe(false);
  });

  it("drains every task, including those queued while draining", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    void lock.run("a", async () => {
      events.push("a");
      void lock.run("b", async () => {
        events.push("b, queued during the drain");
      });
    });
    await lock.drain();
    expect(events).toEqual(["a", "b, queued during the drain"]);
    expect(lock.size).toBe(0);
  });
});
