import { describe, expect, it } from "vitest";
import { dockerTestsRequired } from "./index.js";

describe("dockerTestsRequired", () => {
  it.each([
    [{}, false],
    [{ CI: "true" }, true],
    [{ CI: "false" }, false],
    // CI overrides the developer's opt-out: no silent switch turns the Docker tests off there.
    [{ CI: "true", SANDBOX_DOCKER_TESTS: "0" }, true],
    [{ CI: "0", SANDBOX_DOCKER_TESTS: "0" }, false],
    [{ SANDBOX_DOCKER_TESTS: "1" }, true],
  ])("%o -> %s", (env, expected) => {
    expect(dockerTestsRequired(env as NodeJS.ProcessEnv)).toBe(expected);
  });
});
