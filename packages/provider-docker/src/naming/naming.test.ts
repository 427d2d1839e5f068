import { describe, expect, it } from "vitest";
import { buildLabels, parseLabels } from "./labels.js";
import { containerNameFor, isSandboxId, threadSandboxId } from "./sandbox-id.js";

describe("sandbox ids and labels", () => {
  it("derives a stable 16-hex id from user and thread", () => {
    const id = threadSandboxId("alice", "t1");
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(threadSandboxId("alice", "t1")).toBe(id);
    expect(threadSandboxId("bob", "t1")).not.toBe(id);
    // The separator keeps ("a:b", "c") and ("a", "b:c") apart; ids cannot contain ':' anyway.
    expect(threadSandboxId("a", "b_c")).not.toBe(threadSandboxId("a_b", "c"));
    expect(containerNameFor("sandbox", id)).toBe(`sandbox-${id}`);
    expect(isSandboxId(id)).toBe(true);
    expect(isSandboxId("../etc")).toBe(false);
  });

  it("reads back what it writes, and ignores foreign containers", () => {
    const labels = {
      prefix: "p",
      sandboxId: "0123456789abcdef",
      threadId: "t",
      userId: "u",
      configHash: "h",
      owner: "host/1/2/ab",
      transport: "aio" as const,
    };
    expect(parseLabels(buildLabels(labels))).toEqual(labels);
    const anonymous = buildLabels({ ...labels, threadId: undefined });
    expect(anonymous["dev.sandbox.anonymous"]).toBe("true");
    expect(parseLabels(anonymous)?.threadId).toBeUndefined();
    expect(parseLabels({ "com.example": "x" })).toBeUndefined();
    expect(parseLabels(undefined)).toBeUndefined();
  });
});
