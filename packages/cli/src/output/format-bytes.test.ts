import { describe, expect, it } from "vitest";
import { formatBytes } from "./format-bytes.js";

describe("formatBytes", () => {
  it("shows bytes whole and larger sizes with one decimal, in powers of 1000", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1000)).toBe("1.0 kB");
    expect(formatBytes(12_345_678)).toBe("12.3 MB");
    expect(formatBytes(5e15)).toBe("5000.0 TB");
  });
});
