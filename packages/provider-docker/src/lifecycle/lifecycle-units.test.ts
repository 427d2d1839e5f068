import { describe, expect, it } from "vitest";
import { fateOf } from "../docker/container-events.js";

describe("container event fates", () => {
  it("counts SIGKILL, die, stop and destroy as dead, other signals and OOM as dying", () => {
    const event = (action: "die" | "stop" | "kill" | "oom" | "destroy", signal?: number) => ({
      action,
      containerId: "c",
      signal,
    });
    expect(fateOf(event("kill", 9))).toBe("dead");
    expect(fateOf(event("kill", 15))).toBe("dying");
    expect(fateOf(event("oom"))).toBe("dying");
    for (const action of ["die", "stop", "destroy"] as const)
      expect(fateOf(event(action))).toBe("dead");
  });
});
