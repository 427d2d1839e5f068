import { describeSandboxProvider } from "@sandbox/contract-tests";
import { afterAll, describe, expect, it } from "vitest";
import { createDockerExecProvider } from "../src/shell/index.js";
import {
  describeDocker,
  ownContainers,
  removeOwnContainers,
  TEST_IMAGE,
} from "./support/docker.js";

// The whole suite against the docker-exec provider: a container per sandbox, files through
// createShellFiles. `isolatedExec` is on, so only the optional interactive terminal is skipped.
describeDocker("docker-exec provider", () => {
  describeSandboxProvider("docker-exec", {
    create: ({ baseDir, skillsDir }) =>
      createDockerExecProvider({ baseDir, skillsDir, image: TEST_IMAGE }),
    timeoutMs: 120_000,
    pinned: {
      capabilities: {
        isolatedExec: true,
        streaming: true,
        persistentIds: true,
        readOnlyMounts: true,
      },
      skips: [
        // openTerminal is optional; this provider has none (no `terminal` capability).
        "terminal > stream: runs in the workspace at the given size and reports the exit status (capabilities.terminal stream)",
        "terminal > stream: keys reach the program, Ctrl-C interrupts it (capabilities.terminal stream)",
        "terminal > inherit: reports the program's exit status (capabilities.terminal inherit)",
      ],
    },
  });

  // Every provider the suite made has been shut down by now, and shutdown removes containers.
  describe("after the suite", () => {
    it("no container of this process is left", () => {
      expect(ownContainers()).toEqual([]);
    });
  });

  afterAll(removeOwnContainers);
});
