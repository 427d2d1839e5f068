import { describe, expect, it } from "vitest";
import { GENERIC_SANDBOX_ID, parseSandboxId, sandboxKey } from "./sandbox-ids.js";

describe("sandbox ids", () => {
  it("formats and parses thread ids, the default user included", () => {
    expect(sandboxKey("t1", "alice")).toEqual({
      id: "local:alice:t1",
      userId: "alice",
      threadId: "t1",
    });
    expect(sandboxKey("t1").id).toBe("local:default:t1");
    expect(parseSandboxId("local:alice:t1")).toEqual(sandboxKey("t1", "alice"));
  });

  it("maps no thread to the generic sandbox", () => {
    expect(sandboxKey(undefined).id).toBe(GENERIC_SANDBOX_ID);
    expect(parseSandboxId(GENERIC_SANDBOX_ID)?.threadId).toBeUndefined();
  });

  it("rejects bad ids with INVALID_ID", () => {
    expect(() => sandboxKey("../x")).toThrow(expect.objectContaining({ code: "INVALID_ID" }));
    expect(() => sandboxKey("t", "a:b")).toThrow(expect.objectContaining({ code: "INVALID_ID" }));
    expect(() => sandboxKey(undefined, "a/b")).toThrow(
      expect.objectContaining({ code: "INVALID_ID" }),
    );
  });

  it("does not parse foreign or malformed ids", () => {
    for (const id of ["docker-abc", "local:a", "local:a:b:c", "local:../x:t", "local:a:", 42]) {
      expect(parseSandboxId(id), String(id)).toBeUndefined();
    }
  });
});
