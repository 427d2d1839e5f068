// The exit status of the built `sandbox` binary comes from the command's settled result, never
// from the event loop running dry (issue 20): a command that did not run never exits 0.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AIO_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBinary } from "./helpers/run-binary.js";

const NEVER_SETTLES = join(
  dirname(fileURLToPath(import.meta.url)),
  "fixtures",
  "never-settles-provider.mjs",
);
const runDocker = dockerTestsRequired() || (await dockerAvailable());

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "cli-exit-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("exit status guard", () => {
  it("exits non-zero when the command's promise is still pending as the event loop runs dry", async () => {
    const config = join(dir, "never.json");
    await writeFile(config, JSON.stringify({ provider: NEVER_SETTLES, baseDir: "data" }));
    const run = await runBinary(["exec", "-t", "t1", "--", "echo hi"], {
      cwd: dir,
      env: { SANDBOX_CONFIG: config },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("ended without a result");
  });
});

describe.skipIf(!runDocker)("sandbox exec with an AIO container that never becomes ready", () => {
  const prefix = `cli-aio-${randomBytes(4).toString("hex")}`;
  const containers = async () => {
    const { stdout } = await docker([
      "ps",
      "-a",
      "--format",
      "{{.Names}}",
      "--filter",
      `label=dev.sandbox.prefix=${prefix}`,
    ]);
    return stdout.split("\n").filter(Boolean);
  };
  afterAll(async () => {
    for (const name of await containers()) await docker(["rm", "-f", name]);
    await docker(["network", "rm", `${prefix}-isolated`]);
  });

  it("fails with a non-zero status after the ready timeout and removes the container", async () => {
    // aioPort names a port nothing listens on: the container starts but never answers.
    const run = await runBinary(
      [
        "exec",
        "--provider",
        "docker",
        "--base-dir",
        join(dir, "aio"),
        "-o",
        `image=${AIO_TEST_IMAGE}`,
        "-o",
        "pull=never",
        "-o",
        "transport=aio",
        "-o",
        "aioPort=9999",
        "-o",
        "readyTimeoutMs=4000",
        "-o",
        `containerPrefix=${prefix}`,
        "-t",
        "t1",
        "--",
        "echo hi",
      ],
      { cwd: dir },
    );
    expect(run.stdout).toBe("");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/not ready within 4000 ms/);
    expect(await containers()).toEqual([]);
  });
});
