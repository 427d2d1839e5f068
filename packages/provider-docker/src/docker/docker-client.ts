import { SandboxError } from "@sandbox/core";
import type Docker from "dockerode";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { toDockerError } from "./docker-errors.js";

/**
 * A dockerode client for the configured connection. No global request timeout: exec streams and
 * archive downloads may legitimately stay quiet for minutes. Reachability is bounded by
 * {@link pingDocker} instead. dockerode (with the gRPC, protobuf and SSH libraries it loads) is
 * imported here, on first use, not when the package is: importing the provider, or a CLI that
 * ships it, costs nothing until a Docker provider is created.
 */
export async function createDockerClient(
  connection: DockerProviderOptions["docker"],
): Promise<Docker> {
  const { default: Docker } = await import("dockerode");
  if (connection === undefined) return new Docker();
  if ("socketPath" in connection) return new Docker({ socketPath: connection.socketPath });
  return new Docker({
    host: connection.host,
    ...(connection.port === undefined ? {} : { port: connection.port }),
    protocol: connection.protocol,
    ...(connection.ca === undefined ? {} : { ca: connection.ca }),
    ...(connection.cert === undefined ? {} : { cert: connection.cert }),
    ...(connection.key === undefined ? {} : { key: connection.key }),
  });
}

/** Races `promise` against a timer; the loser is ignored. */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Checks the daemon answers within `timeoutMs`, so a missing daemon fails in seconds with
 * `PROVIDER_UNAVAILABLE` instead of hanging the first `acquire`.
 *
 * @throws {SandboxError} `PROVIDER_UNAVAILABLE`.
 */
export async function pingDocker(docker: Docker, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  // dockerode 4 accepts `abortSignal` on ping; @types/dockerode does not know it yet.
  const ping = docker.ping.bind(docker) as unknown as (options: {
    abortSignal: AbortSignal;
  }) => Promise<unknown>;
  try {
    await withTimeout(
      ping({ abortSignal: controller.signal }),
      timeoutMs,
      () =>
        new SandboxError("PROVIDER_UNAVAILABLE", `Docker did not answer within ${timeoutMs} ms`, {
          hint: "Is the Docker daemon running, and is its socket (or DOCKER_HOST) reachable?",
        }),
    );
  } catch (error) {
    controller.abort();
    const failure = toDockerError(error, "ping the Docker daemon");
    if (failure.code === "PROVIDER_UNAVAILABLE") throw failure;
    throw new SandboxError("PROVIDER_UNAVAILABLE", failure.message, { cause: error });
  }
}
