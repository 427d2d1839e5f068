import { SandboxError } from "@sandbox/core";
import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { exitCodeFor, formatError } from "./errors.js";

const plain = pc.createColors(false);

describe("formatError", () => {
  it("shows the code, the message and the hint", () => {
    const error = new SandboxError("CONFIG_INVALID", "bad field", { hint: "fix it" });
    expect(formatError(error, plain)).toBe("error CONFIG_INVALID: bad field\nhint: fix it\n");
    expect(formatError(new Error("boom"), plain)).toBe("error: boom\n");
    expect(formatError("text", plain)).toBe("error: text\n");
  });

  it("adds the cause chain in debug mode", () => {
    const error = new SandboxError("IO_ERROR", "outer", { cause: new Error("inner cause") });
    expect(formatError(error, plain, true)).toContain("inner cause");
  });

  it("maps usage and config errors to 2, the rest to 1", () => {
    expect(exitCodeFor(new SandboxError("CONFIG_INVALID", "x"))).toBe(2);
    expect(exitCodeFor(new SandboxError("INVALID_ID", "x"))).toBe(2);
    expect(exitCodeFor(new SandboxError("INVALID_ARGUMENT", "x"))).toBe(2);
    expect(exitCodeFor(new SandboxError("PROVIDER_UNAVAILABLE", "x"))).toBe(1);
    expect(exitCodeFor(new Error("x"))).toBe(1);
  });
});
