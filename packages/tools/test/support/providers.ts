import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BUSYBOX_TEST_IMAGE,
  docker,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import { createSandboxProvider, type SandboxProvider } from "@sandbox/core";
import { afterAll, beforeAll, describe } from "vitest";

/** Docker runs wherever an engine answers; in CI (or SANDBOX_DOCKER_TESTS=1) it must. */
const runDocker = dockerTestsRequired() || (await dockerAvailable());

/** A provider over a temp baseDir, and where that baseDir is (to check no host path leaks). */
export interface ProviderUnderTest {
  provider: SandboxProvider;
  baseDir: string;
}

type ProviderKind = "local" | "docker";

async function openProvider(kind: ProviderKind, baseDir: string, prefix: string) {
  if (kind === "local") {
    return createSandboxProvider({ provider: "@sandbox/provider-local", baseDir });
  }
  return createSandboxProvider({
    provider: "@sandbox/provider-docker",
    baseDir,
    options: { image: BUSYBOX_TEST_IMAGE, pull: "never", containerPrefix: prefix, replicas: 32 },
  });
}

async function removeContainers(prefix: string): Promise<void> {
  const { stdout } = await docker(["ps", "-aq", "--filter", `label=dev.sandbox.prefix=${prefix}`]);
  const ids = stdout.split("\n").filter(Boolean);
  if (ids.length > 0) await docker(["rm", "-f", ...ids]);
}

/**
 * Runs `body` once per provider (local, and Docker where it runs), each with a fresh provider
 * over a temp baseDir that is shut down and removed afterwards.
 */
export function describeEachProvider(
  name: string,
  body: (get: () => ProviderUnderTest, kind: ProviderKind) => void,
): void {
  for (const kind of ["local", "docker"] as const) {
    const run = kind === "local" || runDocker;
    describe.skipIf(!run)(`${name} (${kind} provider)`, () => {
      let current: ProviderUnderTest | undefined;
      let dir = "";
      const prefix = `tools-test-${randomBytes(4).toString("hex")}`;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), "sandbox-tools-"));
        const baseDir = join(dir, "base");
        current = { provider: await openProvider(kind, baseDir, prefix), baseDir };
      });
      afterAll(async () => {
        await current?.provider.shutdown();
        if (kind === "docker") await removeContainers(prefix);
        await rm(dir, { recursive: true, force: true });
      });
      body(() => {
        if (current === undefined) throw new Error("provider not opened yet");
        return current;
      }, kind);
    });
  }
}

/** A thread id unique to one test, so tests of one file never share files. */
export function freshThread(): string {
  return `t-${randomBytes(6).toString("hex")}`;
}
