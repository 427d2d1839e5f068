import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { DEFAULT_USER_ID, validateThreadId, validateUserId } from "./ids.js";

const BAD = ["", "../x", "a/b", "a b", "a\0b", "é", "x".repeat(129), "a:b", ".", "..", "a.b"];

describe("id rules", () => {
  it("accepts letters, digits, '_' and '-' up to 128 characters", () => {
    for (const id of ["a", "thread_1", "ABC-def", "x".repeat(128)]) {
      expect(validateThreadId(id)).toBe(id);
      expect(validateUserId(id)).toBe(id);
    }
  });

  it("defaults the user", () => {
    expect(validateUserId(undefined)).toBe(DEFAULT_USER_ID);
    expect(DEFAULT_USER_ID).toBe("default");
  });

  it.each(BAD)("refuses %j with INVALID_ID", (id) => {
    for (const validate of [validateThreadId, validateUserId]) {
      try {
        validate(id);
        expect.fail(`accepted ${JSON.stringify(id)}`);
      } catch (error) {
        expect(isSandboxError(error, "INVALID_ID")).toBe(true);
      }
    }
  });

  it("refuses non-strings", () => {
    for (const id of [null, 42, {}, ["a"]]) {
      expect(() => validateThreadId(id)).toThrowError(/Invalid thread id/);
    }
    expect(() => validateThreadId(undefined)).toThrowError(/Invalid thread id/);
  });

  it("names the kind and shows the refused id, quoted and cut to 64 characters", () => {
    const long = `${"a".repeat(70)}/`;
    expect(() => validateThreadId(long)).toThrowError(
      `Invalid thread id "${"a".repeat(64)}": use 1-128 characters from A-Z, a-z, 0-9, '_' and '-'`,
    );
    expect(() => validateUserId("a/b")).toThrowError('Invalid user id "a/b": use 1-128');
    expect(() => validateUserId(42)).toThrowError("Invalid user id number: use");
  });
});
