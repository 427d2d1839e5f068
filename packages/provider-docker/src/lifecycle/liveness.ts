import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import { withTimeout } from "../docker/docker-client.js";
import { isDockerNotFound, toDockerError } from "../docker/docker-errors.js";

/**
 * Asks Docker whether a container runs: `true` or `false` for a definite answer (a 404 is
 * `false`), a `PROVIDER_UNAVAILABLE` error when the daemon cannot be asked within `timeoutMs`.
 */
export async function inspectRunning(
  container: Docker.Container,
  timeoutMs: number,
): Promise<boolean> {
  try {
    const info = await withTimeout(
      container.inspect(),
      timeoutMs,
      () =>
        new SandboxError("PROVIDER_UNAVAILABLE", `Docker did not answer within ${timeoutMs} ms`, {
          hint: "Is the Docker daemon running, and is its socket (or DOCKER_HOST) reachable?",
        }),
    );
    return info.State.Running && !info.State.Restarting && !info.State.Paused;
  } catch (error) {
    if (isDockerNotFound(error)) return false;
    // Unreachable becomes PROVIDER_UNAVAILABLE; anything else the daemon said, IO_ERROR.
    throw toDockerError(error, "check the sandbox container");
  }
}
