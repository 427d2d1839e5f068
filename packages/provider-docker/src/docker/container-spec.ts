import { createHash } from "node:crypto";
import { pickHostEnv, VIRTUAL_WORKSPACE } from "@sandbox/core";
import type Docker from "dockerode";
import { parseMemorySize } from "../options/memory-size.js";
import type { DockerProviderOptions } from "../options/options-schema.js";
import { AIO_API_KEY_ENV, newAioApiKey, withoutAioApiKey } from "../transports/aio-api-key.js";

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
  /**
   * `aio` transport: the container's API key. Default: a fresh random one, since each spec is
   * for one `docker create`. It is left out of {@link configHashOf}.
   */
  apiKey?: string;
}

/** Labels of the networks this provider creates, so they can be found and removed like containers. */
export const NETWORK_LABELS = { provider: "dev.sandbox.provider", prefix: "dev.sandbox.prefix" };

/**
 * The network the `aio` transport uses by default: one bridge per container prefix, created by
 * the provider with inter-container traffic disabled (issue 19 item 3).
 */
export function isolatedNetworkName(containerPrefix: string): string {
  return `${containerPrefix}-isolated`;
}

/**
 * The `docker network create` body of {@link isolatedNetworkName}: a bridge (so ports can be
 * published to 127.0.0.1; an `Internal` network cannot publish) whose containers cannot reach
 * each other, labelled like the containers.
 */
export function isolatedNetworkSpec(containerPrefix: string): Docker.NetworkCreateOptions {
  return {
    Name: isolatedNetworkName(containerPrefix),
    Driver: "bridge",
    CheckDuplicate: true,
    Options: { "com.docker.network.bridge.enable_icc": "false" },
    Labels: { [NETWORK_LABELS.provider]: "docker", [NETWORK_LABELS.prefix]: containerPrefix },
  };
}

/**
 * The Docker network a container joins (its `NetworkMode`). `network: "none"` is Docker's
 * `none`; `"open"` is `dockerNetwork`, else the prefix's isolated bridge. Left out, the policy is
 * the transport's: `aio` needs a published port so it is open, `exec` needs nothing so it is
 * none, unless a `dockerNetwork` is named. A 0.x Docker network name in `network` is used as is.
 */
export function networkFor(options: DockerProviderOptions): string {
  const { network, dockerNetwork } = options;
  if (network === "none") return "none";
  if (network !== undefined && network !== "open") return network;
  const open = network === "open" || dockerNetwork !== undefined || options.transport === "aio";
  return open ? (dockerNetwork ?? isolatedNetworkName(options.containerPrefix)) : "none";
}

function aioPortKey(options: DockerProviderOptions): string {
  return `${options.aioPort}/tcp`;
}

function environmentOf(options: DockerProviderOptions, apiKey: string | undefined): string[] {
  // The host variables `passEnv` names, then `environment` over them. Sorted, so reordering the
  // config does not change the hash and recreate every container.
  const env = Object.entries({ ...pickHostEnv(options.passEnv), ...options.environment })
    .map(([name, value]) => `${name}=${value}`)
    .sort();
  return apiKey === undefined ? env : [...env, `${AIO_API_KEY_ENV}=${apiKey}`];
}

/**
 * The `docker create` body for a sandbox container, without name and labels. Secure by default:
 * every capability dropped (`capAdd` puts back what an image needs), `no-new-privileges`, a pids
 * limit, a memory limit with no swap on top, reduced CPU shares, a read-only root file system
 * with a tmpfs `/tmp`, no network for `exec`; for `aio` a per-container API key, the port
 * published on 127.0.0.1 only and a network where sandboxes cannot reach each other.
 */
export function buildContainerSpec({
  options,
  binds,
  apiKey,
}: ContainerSpecInput): Docker.ContainerCreateOptions {
  const aio = options.transport === "aio";
  const memory = parseMemorySize(options.memory);
  const storageSize =
    options.storageSize === undefined ? undefined : parseMemorySize(options.storageSize);
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
    // MemorySwap equal to Memory: no swap on top, or a 2g limit would let 4g be allocated.
    ...(memory === undefined ? {} : { Memory: memory, MemorySwap: memory }),
    CpuShares: options.cpuShares,
    ...(options.cpus === undefined ? {} : { NanoCpus: Math.round(options.cpus * 1e9) }),
    ReadonlyRootfs: options.readOnlyRootfs,
    ...(Object.keys(options.tmpfs).length > 0 ? { Tmpfs: { ...options.tmpfs } } : {}),
    ...(storageSize === undefined ? {} : { StorageOpt: { size: String(storageSize) } }),
    ...(aio
      ? { PortBindings: { [aioPortKey(options)]: [{ HostIp: "127.0.0.1", HostPort: "" }] } }
      : {}),
  };
  return {
    Image: options.image,
    Env: environmentOf(options, aio ? (apiKey ?? newAioApiKey()) : undefined),
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
 * A hash of everything that shapes a container (image, environment but the API key, mounts,
 * limits, transport),
 * stored as a label: an existing container is adopted only when its hash matches, so a config
 * change recreates it instead of silently running the old setup.
 */
export function configHashOf(spec: Docker.ContainerCreateOptions, transport: string): string {
  // The API key differs for every container by design; it says nothing about the config.
  const hashed = { ...spec, Env: withoutAioApiKey(spec.Env ?? []) };
  const json = JSON.stringify(canonical({ spec: hashed, transport }));
  return createHash("sha256").update(json).digest("hex").slice(0, 32);
}
