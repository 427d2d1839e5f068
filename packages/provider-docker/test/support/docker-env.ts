import {
  AIO_TEST_IMAGE,
  BUSYBOX_TEST_IMAGE,
  dockerAvailable,
  dockerTestsRequired,
} from "@sandbox/aio-test-server/testing";
import Docker from "dockerode";
import { describe } from "vitest";

export { AIO_TEST_IMAGE, BUSYBOX_TEST_IMAGE };

/** Whether a Docker engine answers; in CI (or with SANDBOX_DOCKER_TESTS=1) its absence fails. */
export const dockerReady = await dockerAvailable();
if (!dockerReady && dockerTestsRequired()) {
  throw new Error(
    "Docker tests are required (CI or SANDBOX_DOCKER_TESTS=1) but no Docker engine answers: run `bash scripts/docker/ensure-docker.sh`",
  );
}
if (!dockerReady) {
  console.warn("[provider-docker] No Docker engine answers: skipping the Docker tests.");
}

/** `describe` when Docker is there, a skipped `describe` (with the reason in its name) when not. */
export function describeDocker(name: string, body: () => void): void {
  if (dockerReady) describe(name, body);
  else describe.skip(`${name} (skipped: no Docker engine)`, body);
}

/** A dockerode client for test assertions and clean-up. */
export const docker = new Docker();

/** A container prefix unique to one test file run, so runs never see each other's containers. */
export function uniquePrefix(name: string): string {
  return `t${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}-${name}`;
}

/** Every container (any state) created under `prefix`. */
export async function containersOf(prefix: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: ["dev.sandbox.provider=docker", `dev.sandbox.prefix=${prefix}`] },
  });
}

/** Removes every container under `prefix` (afterAll safety net: runs never leak containers). */
export async function removeContainersOf(prefix: string): Promise<void> {
  if (!dockerReady) return;
  const containers = await containersOf(prefix);
  await Promise.all(
    containers.map((info) =>
      docker
        .getContainer(info.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}
