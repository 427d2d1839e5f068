import { describe, expect, it } from "vitest";
import { checkNodeVersion, isAtLeast } from "./node-version.js";

describe("checkNodeVersion", () => {
  it("compares versions numerically", () => {
    expect(isAtLeast("20.19.0", "20.19.0")).toBe(true);
    expect(isAtLeast("v22.1.0", "20.19.0")).toBe(true);
    expect(isAtLeast("20.9.0", "20.19.0")).toBe(false);
    expect(checkNodeVersion("18.20.0")).toMatchObject({ status: "fail", hint: expect.any(String) });
    // Node 20 reached end of life in April 2026; 22 is the floor.
    expect(checkNodeVersion("20.19.0").status).toBe("fail");
    expect(checkNodeVersion("22.0.0").status).toBe("ok");
    expect(checkNodeVersion().status).toBe("ok");
  });
});
