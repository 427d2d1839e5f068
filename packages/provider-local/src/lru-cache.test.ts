import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";

describe("LruCache", () => {
  it("evicts the least recently used entry and returns it", () => {
    const cache = new LruCache<string, number>(2);
    expect(cache.set("a", 1)).toBeUndefined();
    expect(cache.set("b", 2)).toBeUndefined();
    expect(cache.set("c", 3)).toEqual(["a", 1]);
    expect([...cache.values()]).toEqual([2, 3]);
    expect(cache.size).toBe(2);
  });

  it("promotes on get and set, but not on peek or has", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    expect(cache.set("c", 3)).toEqual(["b", 2]);
    expect(cache.peek("a")).toBe(1);
    expect(cache.has("c")).toBe(true);
    expect(cache.set("d", 4)).toEqual(["a", 1]);
    cache.set("c", 30);
    expect(cache.set("e", 5)).toEqual(["d", 4]);
    expect(cache.get("c")).toBe(30);
  });

  it("misses return undefined and delete/clear remove entries", () => {
    const cache = new LruCache<string, number>(3);
    expect(cache.get("x")).toBeUndefined();
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.delete("a")).toBe(true);
    expect(cache.delete("a")).toBe(false);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("rejects a capacity that is not a positive integer", () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });
});
