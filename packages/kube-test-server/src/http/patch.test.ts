import { describe, expect, it } from "vitest";
import { applyPatch, patchTypeOf } from "./patch.js";

describe("patches", () => {
  it("merge patch merges maps, removes nulls and replaces lists", () => {
    const target = { metadata: { labels: { a: "1", b: "2" } }, list: [1, 2] };
    expect(
      applyPatch("merge", target, { metadata: { labels: { b: null, c: "3" } }, list: [3] }),
    ).toEqual({
      metadata: { labels: { a: "1", c: "3" } },
      list: [3],
    });
    expect(target.metadata.labels).toEqual({ a: "1", b: "2" });
  });

  it("JSON patch adds, replaces, removes and tests, with escaped pointers", () => {
    const target = { metadata: { annotations: { "a/b": "x" } }, items: ["p"] };
    const result = applyPatch("json", target, [
      { op: "test", path: "/metadata/annotations/a~1b", value: "x" },
      { op: "replace", path: "/metadata/annotations/a~1b", value: "y" },
      { op: "add", path: "/items/-", value: "q" },
      { op: "remove", path: "/items/0" },
    ]);
    expect(result).toEqual({ metadata: { annotations: { "a/b": "y" } }, items: ["q"] });
    expect(() => applyPatch("json", target, [{ op: "replace", path: "/nope", value: 1 }])).toThrow(
      /missing key/,
    );
    expect(() =>
      applyPatch("json", target, [{ op: "test", path: "/items/0", value: "z" }]),
    ).toThrow(/testing value/);
  });

  it("knows the three patch content types and refuses others with 415", () => {
    expect(patchTypeOf("application/merge-patch+json; charset=utf-8")).toBe("merge");
    expect(patchTypeOf("application/json-patch+json")).toBe("json");
    expect(patchTypeOf("application/strategic-merge-patch+json")).toBe("strategic");
    expect(() => patchTypeOf("application/apply-patch+yaml")).toThrow(/unknown format/);
  });
});
