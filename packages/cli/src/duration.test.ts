import { isSandboxError } from "@sandbox/core";
import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads every unit and combinations", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration("2w")).toBe(1_209_600_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration(" 1.5H ")).toBe(5_400_000);
  });

  it("takes a bare number in the flag's unit only when asked", () => {
    expect(parseDuration("2500", { bareUnit: "ms" })).toBe(2500);
    expect(() => parseDuration("2500")).toThrow(/must be a duration/);
  });

  it("rejects junk, negatives, zero and overflow with INVALID_ARGUMENT naming the flag", () => {
    for (const bad of ["", "h", "5 m", "-5m", "5x", "5m junk", "1e3s", "m5"]) {
      let caught: unknown;
      try {
        parseDuration(bad, { name: "--idle" });
      } catch (error) {
        caught = error;
      }
      expect(isSandboxError(caught, "INVALID_ARGUMENT"), bad).toBe(true);
      expect((caught as Error).message).toContain("--idle");
    }
    expect(() => parseDuration("0s")).toThrow(/longer than zero/);
    expect(parseDuration("0s", { positive: false })).toBe(0);
    expect(() => parseDuration(`${"9".repeat(30)}w`)).toThrow(/too large/);
  });
});
