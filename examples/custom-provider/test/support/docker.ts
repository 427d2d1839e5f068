import { execFileSync } from "node:child_process";
import { describe } from "vitest";

/** The local test image (`node scripts/docker/build-test-images.mjs` builds it; never pulled). */
export const TEST_IMAGE = "sandbox-test/busybox:latest";
/** The label every container of the docker-exec provider carries, valued with its owner's pid. */
export const OWNER_LABEL = "sandbox-example.owner-pid";

// In CI (`CI` set and not "false"/"0") Docker tests must run: a missing engine fails the run
// instead of passing it having tested nothing. Elsewhere they skip, saying why.
const ci = process.env.CI;
const required = Boolean(ci) && ci !== "false" && ci !== "0";

function succeeds(args: string[]): boolean {
  try {
    execFileSync("docker", args, { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

function whyNotReady(): string | undefined {
  if (!succeeds(["info"])) return "`docker info` fails: no Docker engine answers";
  if (!succeeds(["image", "inspect", TEST_IMAGE])) {
    return `the image ${TEST_IMAGE} is missing: run \`node scripts/docker/build-test-images.mjs\``;
  }
  return undefined;
}

const notReady = whyNotReady();
if (notReady && required) throw new Error(`Docker tests are required in CI, but ${notReady}`);

/** `describe` when Docker and the test image are there; otherwise skipped, with the reason. */
export function describeDocker(name: string, body: () => void): void {
  if (notReady) describe.skip(`${name} (skipped: ${notReady})`, body);
  else describe(name, body);
}

/** Ids of the containers this process's providers own (any state). */
export function ownContainers(): string[] {
  const filter = `label=${OWNER_LABEL}=${process.pid}`;
  const out = execFileSync("docker", ["ps", "-aq", "--filter", filter], { encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}

/** Removes this process's containers: the safety net after a failed run. */
export function removeOwnContainers(): void {
  if (notReady) return;
  const ids = ownContainers();
  if (ids.length > 0) execFileSync("docker", ["rm", "-f", ...ids], { stdio: "ignore" });
}
