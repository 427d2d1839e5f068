import { describe, expect, it } from "vitest";
import { parseCopyOperand, planCopy } from "./copy-operand.js";

describe("parseCopyOperand", () => {
  it("reads THREAD:PATH as a sandbox path and the rest as host paths", () => {
    expect(parseCopyOperand("t1:/mnt/user-data/uploads/")).toEqual({
      side: "sandbox",
      threadId: "t1",
      path: "/mnt/user-data/uploads/",
    });
    expect(parseCopyOperand("t1:")).toEqual({
      side: "sandbox",
      threadId: "t1",
      path: "/mnt/user-data/workspace/",
    });
    expect(parseCopyOperand("./a:b")).toEqual({ side: "host", path: "./a:b" });
    expect(parseCopyOperand("/tmp/a:b")).toEqual({ side: "host", path: "/tmp/a:b" });
    expect(parseCopyOperand("data.csv")).toEqual({ side: "host", path: "data.csv" });
  });

  it("refuses a thread id the contract refuses", () => {
    expect(() => parseCopyOperand(`${"x".repeat(129)}:/a`)).toThrow(/thread/i);
  });
});

describe("planCopy", () => {
  it("pairs a host side with a sandbox side in either order", () => {
    expect(planCopy("./data.csv", "t1:/mnt/user-data/uploads/")).toMatchObject({ direction: "in" });
    expect(planCopy("t1:/mnt/user-data/outputs/r.md", ".")).toMatchObject({ direction: "out" });
    expect(() => planCopy("a", "b")).toThrow(/needs a sandbox side/);
    expect(() => planCopy("t1:/a", "t2:/b")).toThrow(/not between two sandboxes/);
  });
});
