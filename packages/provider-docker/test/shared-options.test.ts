import { mkdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Sandbox } from "@sandbox/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDockerProvider, type DockerSandboxProvider } from "../src/index.js";
import {
  BUSYBOX_TEST_IMAGE,
  describeDocker,
  removeContainersOf,
  uniquePrefix,
} from "./support/docker-env.js";
import { tempDir } from "./support/providers.js";

// Issue 11: the options every provider shares behave in Docker as they do in the local provider:
// the exec defaults apply to calls that set none, and a relative skillsDir means the config's
// folder (`root`), not the process's working directory.
describeDocker("shared options on a real container", () => {
  const prefix = uniquePrefix("shared");
  let root = "";
  let provider: DockerSandboxProvider;
  let sandbox: Sandbox;

  beforeAll(async () => {
    root = await tempDir("shared");
    await mkdir(join(root, "skills", "demo"), { recursive: true });
    await writeFile(join(root, "skills", "demo", "SKILL.md"), "# demo\n");
    provider = await createDockerProvider(
      {
        image: BUSYBOX_TEST_IMAGE,
        containerPrefix: prefix,
        skillsDir: "skills",
        execTimeoutMs: 3_000,
        maxOutputBytes: 1_000,
      },
      { root, baseDir: "data" },
    );
    sandbox = (await provider.get(await provider.acquire("shared"))) as Sandbox;
  });

  afterAll(async () => {
    await provider?.shutdown();
    await removeContainersOf(prefix);
  });

  it("applies execTimeoutMs and maxOutputBytes to a call that sets neither", async () => {
    const slow = await sandbox.exec("sleep 60");
    expect(slow.timedOut).toBe(true);
    const loud = await sandbox.exec("head -c 5000 /dev/zero | tr '\\0' x");
    expect(loud).toMatchObject({ truncated: true, exitCode: 0 });
    expect(loud.stdout.length).toBeLessThanOrEqual(1_000);
  });

  it("lets a call's own timeoutMs and maxOutputBytes win over the defaults", async () => {
    const result = await sandbox.exec("sleep 4; head -c 5000 /dev/zero | tr '\\0' x", {
      timeoutMs: 60_000,
      maxOutputBytes: 10_000,
    });
    expect(result).toMatchObject({ timedOut: false, truncated: false, exitCode: 0 });
    expect(result.stdout).toBe("x".repeat(5000));
  });

  it("mounts a relative skillsDir from root, and keeps thread data under a relative baseDir there", async () => {
    expect(
      (await sandbox.exec("cat /mnt/skills/demo/SKILL.md", { timeoutMs: 30_000 })).stdout,
    ).toBe("# demo\n");
    await sandbox.writeFile("/mnt/user-data/workspace/here.txt", "x");
    const written = join(root, "data", "users", "default", "threads", "shared");
    expect((await stat(written)).isDirectory()).toBe(true);
  });
});
