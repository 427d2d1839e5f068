import { describe, expect, it } from "vitest";
import {
  fullRealPath,
  parsePermissions,
  parseResolveForWrite,
  parseResolveOutput,
  parseWalkOutput,
} from "./shell-records.js";

describe("sandbox-side record parsing", () => {
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

  it("parses the write resolve's permission field, for the first path only", () => {
    const out = "f\0/w/run.sh\0\0d\0/w\0\0-rwxr-x---\0";
    expect(parseResolveForWrite(out, 2)).toEqual({
      records: [
        { kind: "f", real: "/w/run.sh", tail: "" },
        { kind: "d", real: "/w", tail: "" },
      ],
      mode: 0o750,
    });
    expect(parseResolveForWrite("n\0/w\0/new\0\0", 1).mode).toBeUndefined();
  });

  it("reads ls permission strings of regular files, special bits included", () => {
    expect(parsePermissions("-rw-r--r--")).toBe(0o644);
    expect(parsePermissions("-rwsr-sr-t")).toBe(0o7755);
    expect(parsePermissions("-rwSr-Sr-T")).toBe(0o7644);
    expect(parsePermissions("drwxr-xr-x")).toBeUndefined();
    expect(parsePermissions("lrwxrwxrwx")).toBeUndefined();
    expect(parsePermissions("")).toBeUndefined();
  });
});
