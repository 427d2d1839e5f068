import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { toSandboxFsError } from "./fs-error.js";
import { isSandboxError, SandboxError } from "./sandbox-error.js";

describe("SandboxError", () => {
  it("carries a code, the virtual path and the cause", () => {
    const cause = new Error("low level");
    const error = new SandboxError("NOT_FOUND", "missing /mnt/user-data/a", {
      cause,
      path: "/mnt/user-data/a",
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("SandboxError");
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "SandboxError",
      code: "NOT_FOUND",
      message: "missing /mnt/user-data/a",
      path: "/mnt/user-data/a",
    });
  });

  it("filters by code", () => {
    const error = new SandboxError("READ_ONLY", "x");
    expect(isSandboxError(error)).toBe(true);
    expect(isSandboxError(error, "READ_ONLY", "NOT_FOUND")).toBe(true);
    expect(isSandboxError(error, "NOT_FOUND")).toBe(false);
    expect(isSandboxError(new Error("x"))).toBe(false);
    expect(isSandboxError("READ_ONLY")).toBe(false);
  });

  it("is recognised across duplicate copies of the package (ESM and CJS builds)", () => {
    const require = createRequire(import.meta.url);
    let cjs: typeof import("../index.js");
    try {
      cjs = require("../../dist/index.cjs");
    } catch {
      return expect.fail("build @sandbox/core first: dist/index.cjs is missing");
    }
    const foreign = new cjs.SandboxError("TIMEOUT", "slow");
    expect(foreign).toBeInstanceOf(SandboxError);
    expect(isSandboxError(foreign, "TIMEOUT")).toBe(true);
    expect(new SandboxError("TIMEOUT", "slow")).toBeInstanceOf(cjs.SandboxError);
  });
});

describe("toSandboxFsError", () => {
  it("names the virtual path and hides the host path", () => {
    const errno = Object.assign(new Error("ENOENT: no such file, open '/host/secret/a'"), {
      code: "ENOENT",
    });
    const error = toSandboxFsError(errno, "read", "/mnt/user-data/workspace/a");
    expect(isSandboxError(error, "NOT_FOUND")).toBe(true);
    expect(error.message).toBe("Cannot read /mnt/user-data/workspace/a: no such file or directory");
    expect(error.message).not.toContain("/host");
  });

  it.each([
    ["EACCES", "PERMISSION_DENIED"],
    ["EROFS", "READ_ONLY"],
    ["EISDIR", "INVALID_ARGUMENT"],
    ["EIO", "IO_ERROR"],
  ])("maps %s to %s", (errno, code) => {
    const error = toSandboxFsError(Object.assign(new Error(), { code: errno }), "write", "/mnt/x");
    expect(isSandboxError(error, code as "IO_ERROR")).toBe(true);
  });

  it("passes a SandboxError through unchanged", () => {
    const original = new SandboxError("READ_ONLY", "no");
    expect(toSandboxFsError(original, "write", "/mnt/x")).toBe(original);
  });
});
