import { describeSandboxProvider } from "@sandbox/contract-tests";
import { afterAll } from "vitest";
import { createDockerProvider } from "../src/index.js";
import {
  AIO_TEST_IMAGE,
  describeDocker,
  removeContainersOf,
  uniquePrefix,
} from "./support/docker-env.js";

const prefix = uniquePrefix("ca");

describeDocker("docker provider, aio transport", () => {
  describeSandboxProvider("docker (aio)", {
    create: ({ baseDir, skillsDir }) =>
      createDockerProvider(
        {
          image: AIO_TEST_IMAGE,
          transport: "aio",
          containerPrefix: prefix,
          skillsDir,
          replicas: 16,
        },
        { baseDir },
      ),
    timeoutMs: 120_000,
    pinned: {
      capabilities: {
        isolatedExec: true,
        streaming: true,
        persistentIds: true,
        readOnlyMounts: true,
        terminal: ["stream"],
      },
      // Docker makes its own pseudo-terminal; it never takes over the caller's stdio.
      skips: [
        "terminal > inherit: reports the program's exit status (capabilities.terminal inherit)",
      ],
    },
  });
  afterAll(() => removeContainersOf(prefix));
});
