import { describeSandboxProvider } from "@sandbox/contract-tests";
import { afterAll } from "vitest";
import { createDockerProvider } from "../src/index.js";
import {
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  removeContainersOf,
  uniquePrefix,
} from "./support/docker-env.js";

const prefix = uniquePrefix("cf");
const SAME_AS_AUTO = "does not depend on where file operations run; covered by the exec run";

// Every file operation through the container (what remote daemons and Docker-outside-of-Docker
// mounts use): the file, path-safety and isolation groups must hold there too.
describeDocker("docker provider, container-side file access", () => {
  describeSandboxProvider("docker (exec, fileAccess: container)", {
    create: ({ baseDir, skillsDir }) =>
      createDockerProvider(
        {
          image: BUSYBOX_TEST_IMAGE,
          containerPrefix: prefix,
          skillsDir,
          replicas: 16,
          fileAccess: "container",
        },
        { baseDir },
      ),
    skip: {
      lifecycle: SAME_AS_AUTO,
      concurrency: SAME_AS_AUTO,
      ids: SAME_AS_AUTO,
      exec: "commands never touch the file API; a container-side cwd is tested with hostBaseDir",
      terminal: SAME_AS_AUTO,
    },
    timeoutMs: 120_000,
    pinned: {
      capabilities: {
        isolatedExec: true,
        streaming: true,
        persistentIds: true,
        readOnlyMounts: true,
        terminal: ["stream"],
      },
      skips: ["lifecycle", "concurrency", "ids", "exec", "terminal"],
    },
  });
  afterAll(() => removeContainersOf(prefix));
});
