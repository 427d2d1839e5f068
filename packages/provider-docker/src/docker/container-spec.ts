import { createHash } from "node:crypto";
import { pickHostEnv, VIRTUAL_WORKSPACE } from "@sandbox/core";
import type Docker from "dockerode";
import { parseMemorySize } from "../options/memory-size.js";
import type { DockerProviderOptions } from "../options/options-schema.js";

/** One bind mount as the Docker daemon sees it. */
export interface BindMount {
  /** Path on the daemon's host. */
  source: string;
  /** Path inside the container (the virtual path). */
  target: string;
  readOnly: boolean;
}

/**
 * Keeps a container of any image with `/bin/sh` running until it is stopped: the `exec` transport
 * does all its work through `docker exec`, so the main process only has to stay alive.
 */
export const KEEP_ALIVE_SCRIPT = "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done";

/** Everything that decides what a container looks like, and so whether an existing one fits. */
export interface ContainerSpecInput {
  options: DockerProviderOptions;
  binds: readonly BindMount[];
}

/** The network a container joins: the configured one, or the transport's default. */
export function networkFor(options: DockerProviderOptions): string {
  return options.network ?? (options.transport === "aio" ? "bridge" : "none");
}

function aioPortKey(options: DockerProviderOptions): string {
  return `${options.aioPort}/tcp`;
}

/**
 * The `docker create` body for a sandbox container, without name and labels. Secure by default:
 * every capability dropped (`capAdd` puts back what an image needs), `no-new-privileges`, a pids
 * limit, no network for `exec`, and the AIO port published on 127.0.0.1 only.
 */
export function buildContainerSpec({
  options,
  binds,
}: ContainerSpecInput): Docker.ContainerCreateOptions {
  const aio = options.transport === "aio";
  const memory = options.memory === undefined ? undefined : parseMemorySize(options.memory);
  const keepAlive = !aio && options.entrypoint === undefined && options.command === undefined;
  const hostConfig: Docker.HostConfig = {
    Mounts: binds.map((bind) => ({
      Type: "bind",
      Source: bind.source,
      Target: bind.target,
      ReadOnly: bind.readOnly,
    })),
    NetworkMode: networkFor(options),
    CapDrop: ["ALL"],
    ...(options.capAdd.length > 0 ? { CapAdd: [...options.capAdd] } : {}),
    SecurityOpt: ["no-new-privileges", ...options.securityOpt],
    Privileged: false,
    Init: options.init,
    PidsLimit: options.pidsLimit,
    ...(memory === undefined ? {} : { Memory: memory }),
    ...(options.cpus === undefined ? {} : { NanoCpus: Math.round(options.cpus * 1e9) }),
    ...(aio
      ? { PortBindings: { [aioPortKey(options)]: [{ HostIp: "127.0.0.1", HostPort: "" }] } }
      : {}),
  };
  return {
    Image: options.image,
    // Sorted, so reordering the config does not change the hash and recreate every container.
    Env: Object.entries({ ...pickHostEnv(options.passEnv), ...options.environment })
      .map(([name, value]) => `${name}=${value}`)
      .sort(),
    WorkingDir: VIRTUAL_WORKSPACE,
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    ...(options.user === undefined ? {} : { User: options.user }),
    ...(keepAlive ? { Entrypoint: ["/bin/sh", "-c"], Cmd: [KEEP_ALIVE_SCRIPT] } : {}),
    ...(options.entrypoint === undefined ? {} : { Entrypoint: options.entrypoint }),
    ...(options.command === undefined ? {} : { Cmd: options.command }),
    ...(aio ? { ExposedPorts: { [aioPortKey(options)]: {} } } : {}),
    HostConfig: hostConfig,
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/**
 * A hash of everything that shapes a container (image, environment, mounts, limits, transport),
 * stored as a label: an existing container is adopted only when its hash matches, so a config
 * change recreates it instead of silently running the old setup.
 */
export function configHashOf(spec: Docker.ContainerCreateOptions, transport: string): string {
  const json = JSON.stringify(canonical({ spec, transport }));
  return createHash("sha256").update(json).digest("hex").slice(0, 32);
}
