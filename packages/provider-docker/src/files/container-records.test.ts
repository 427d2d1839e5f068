import { describe, expect, it } from "vitest";
import { fullRealPath, parseResolveOutput, parseWalkOutput } from "./container-records.js";

describe("container-side record parsing", () => {
  it("parses resolve records, names with newlines included", () => {
    const records = parseResolveOutput("f\0/a/b c\nd\0\0n\0/a\0/x/y\0");
    expect(records).toEqual([
      { kind: "f", real: "/a/b c\nd", tail: "" },
      { kind: "n", real: "/a", tail: "/x/y" },
    ]);
    expect(fullRealPath(records[1] as never)).toBe("/a/x/y");
    expect(fullRealPath({ kind: "n", real: "/", tail: "/x" })).toBe("/x");
  });

  it("parses walk records with symlink targets and big-file marks", () => {
    const out = "B\0/r/big\0d\0/r/d\0f\0/r/big\0l\0/r/link\0d\0/r/d\0\0o\0/r/fifo\0";
    expect(parseWalkOutput(out)).toEqual([
      { path: "/r/d", kind: "d", big: false },
      { path: "/r/big", kind: "f", big: true },
      { path: "/r/link", kind: "l", big: false, target: { kind: "d", real: "/r/d", tail: "" } },
      { path: "/r/fifo", kind: "o", big: false },
    ]);
  });
});
