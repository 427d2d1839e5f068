import { describe, expect, it } from "vitest";
import { isSandboxError } from "../errors/sandbox-error.js";
import { positiveIntegerOption } from "./positive-integer-option.js";

describe("positiveIntegerOption", () => {
  it("gives the fallback for undefined and the value for a positive integer", () => {
    expect(positiveIntegerOption("n", undefined, 7)).toBe(7);
    expect(positiveIntegerOption("n", 1, 7)).toBe(1);
  });

  it("refuses anything else with INVALID_ARGUMENT naming the option", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "3", null]) {
      let caught: unknown;
      try {
        positiveIntegerOption("glob maxResults", bad, 7);
      } catch (error) {
        caught = error;
      }
      expect(isSandboxError(caught, "INVALID_ARGUMENT"), String(bad)).toBe(true);
      expect((caught as Error).message).toBe("glob maxResults must be a positive integer");
    }
  });
});
