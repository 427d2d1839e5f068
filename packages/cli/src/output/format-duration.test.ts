import { describe, expect, it } from "vitest";
import { formatAgo, formatSeconds, formatSpan } from "./format-duration.js";

describe("formatSpan", () => {
  it("shows at most two units and drops a zero second unit", () => {
    expect(formatSpan(0)).toBe("0s");
    expect(formatSpan(59_999)).toBe("59s");
    expect(formatSpan(60_000)).toBe("1m");
    expect(formatSpan(61_000)).toBe("1m 1s");
    expect(formatSpan(3 * 3_600_000 + 20 * 60_000 + 5_000)).toBe("3h 20m");
    expect(formatSpan(2 * 86_400_000 + 30 * 60_000)).toBe("2d");
    expect(formatSpan(2 * 86_400_000 + 4 * 3_600_000)).toBe("2d 4h");
    expect(formatSpan(-5)).toBe("0s");
  });

  it("formats seconds and ages", () => {
    expect(formatSeconds(640)).toBe("0.6 s");
    expect(formatSeconds(12_000)).toBe("12.0 s");
    expect(formatAgo(undefined)).toBe("-");
    expect(formatAgo(1_000, 91_000)).toBe("1m 30s");
  });
});
