import {
  absolutePathSchema,
  CommonProviderOptionsSchema,
  NetworkPolicySchema,
  type RegistryStore,
  warnDeprecated,
} from "@sandbox/core";
import { z } from "zod";
import { AIO_API_KEY_ENV } from "../transports/aio-api-key.js";
import type { ContainerRecord } from "./container-record.js";
import { parseMemorySize } from "./memory-size.js";

/** How to reach the Docker daemon: a Unix socket, or TCP (optionally TLS with PEM contents). */
const DockerConnectionSchema = z.union([
  z.object({ socketPath: z.string().min(1) }).strict(),
  z
    .object({
      host: z.string().min(1),
      port: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).optional(),
      protocol: z.enum(["http", "https"]).default("http"),
      /** PEM contents, not file paths. */
      ca: z.string().optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
    })
    .strict(),
]);

/** Where the provider reports things a user should know about (a soft cap exceeded, say). */
export interface DockerProviderLogger {
  warn(message: string): void;
  debug?(message: string): void;
}

const isRegistryStore = (value: unknown): value is RegistryStore<ContainerRecord> =>
  typeof value === "object" &&
  value !== null &&
  ["get", "list", "upsert", "update", "remove"].every(
    (method) => typeof (value as Record<string, unknown>)[method] === "function",
  );

const isLogger = (value: unknown): value is DockerProviderLogger =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { warn?: unknown }).warn === "function";

// Before the shared vocabulary (issue 11), `network` named the Docker network itself. A name
// other than "none"/"open" still works as it did, deprecated in favour of `dockerNetwork`.
const legacyDockerNetworkName = z
  .string()
  .min(1)
  .transform((name) => {
    warnDeprecated(
      "SANDBOX_DOCKER_NETWORK_NAME",
      `@sandbox/provider-docker: options.network: "${name}" names a Docker network, which is ` +
        `deprecated; write network: "open", dockerNetwork: "${name}" instead. Docker network ` +
        "names in network stop working in the next major version.",
    );
    return name;
  });

/**
 * The Docker provider's options: the options every provider shares (`CommonProviderOptionsSchema`:
 * `network`, `skillsDir`, `skillsPath`, `mounts`, `environment`, `passEnv`, `execTimeoutMs`,
 * `maxOutputBytes`, `fileLimits`) plus its own. Every field has a default except `image`.
 *
 * @example
 * ```ts
 * DockerProviderOptionsSchema.parse({ image: "ghcr.io/agent-infra/sandbox:latest", transport: "aio" });
 * ```
 */
export const DockerProviderOptionsSchema = CommonProviderOptionsSchema.extend({
  /**
   * The image every sandbox container runs. Required: a missing one gets the same kind of
   * message as an empty one, not zod's "expected string, received undefined" (issue 20).
   */
  image: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? 'must name a Docker image (it is required), e.g. "debian:bookworm-slim"'
          : undefined,
    })
    .min(1, "must name a Docker image"),
  /**
   * `exec` (default): Docker exec and archive APIs, any image with `/bin/sh`, no network port.
   * `aio`: the AIO sandbox HTTP API on a port published to 127.0.0.1.
   */
  transport: z.enum(["exec", "aio"]).default("exec"),
  /** Container names are `{containerPrefix}-{sandboxId}`; also scopes discovery. Default `sandbox`. */
  containerPrefix: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/, "must be 1-63 of [a-zA-Z0-9_.-]")
    .default("sandbox"),
  /** Soft cap on containers (active + warm): the oldest warm one is evicted first. Default 3. */
  replicas: z.number().int().positive().default(3),
  /** Idle sandboxes (active or warm) are removed after this long; 0 disables. Default 10 min. */
  idleTimeoutMs: z.number().int().nonnegative().default(600_000),
  /**
   * `acquire` replaces a dead container and `get` drops one; deaths are learnt from the engine's
   * event stream. Default true.
   */
  autoRestart: z.boolean().default(true),
  /**
   * While the event stream is down, `get` inspects a sandbox's container at most once per this
   * many ms. Default 1000.
   */
  livenessIntervalMs: z.number().int().nonnegative().default(1000),
  /** How long a new container may take to answer its readiness probe. Default 60 s. */
  readyTimeoutMs: z.number().int().positive().default(60_000),
  /**
   * Memory limit (RAM, no swap on top), e.g. `512m` or `8g`; a `tmpfs` counts against it.
   * Default `2g`: an agent that allocates without bound is stopped instead of the host.
   */
  memory: z
    .string()
    .refine((value) => parseMemorySize(value) !== undefined, "must be a size like 512m or 2g")
    .default("2g"),
  /** CPU limit in cores, e.g. 1.5. Default unlimited (`cpuShares` weighs them under load). */
  cpus: z.number().positive().optional(),
  /**
   * Relative CPU weight under contention (Docker's default is 1024). Default 512: a busy
   * sandbox gets half the weight of an ordinary container.
   */
  cpuShares: z.number().int().min(2).max(262_144).default(512),
  /**
   * Mount the image's root file system read-only, so the agent can write only to its mounts and
   * to `tmpfs`. Default true; images that write elsewhere (the full AIO image does) need
   * `false` or a `tmpfs` entry for each such directory.
   */
  readOnlyRootfs: z.boolean().default(true),
  /**
   * Memory-backed directories (path → mount options, as `docker run --tmpfs`), counted against
   * `memory`. Default `{ "/tmp": "rw,nosuid,nodev,size=512m" }`.
   */
  tmpfs: z
    .record(
      z.string().regex(/^\/[^\0]*$/, "must be an absolute path"),
      z.string().regex(/^[A-Za-z0-9_=,.:-]*$/, "must be mount options like size=512m"),
    )
    .default({ "/tmp": "rw,nosuid,nodev,size=512m" }),
  /**
   * Size limit of the container's own writable layer (`--storage-opt size=`), e.g. `10g`. Only
   * some storage drivers support it (overlay2 on xfs with `pquota`, btrfs, zfs); elsewhere
   * creating a container fails with CONFIG_INVALID. Bind mounts (the thread's files) are never
   * limited by it. Default none.
   */
  storageSize: z
    .string()
    .refine((value) => parseMemorySize(value) !== undefined, "must be a size like 10g")
    .optional(),
  /** Maximum processes in the container; 0 means unlimited. Default 512. */
  pidsLimit: z.number().int().nonnegative().default(512),
  /**
   * `exec` transport: resident shells kept per container, each a long-lived `docker exec` that
   * runs command after command, so a command costs a fork in the container instead of a Docker
   * exec (about 90 ms). 0 runs one Docker exec per command. Default 2.
   */
  residentShells: z.number().int().min(0).max(16).default(2),
  /**
   * `"none"`: no network at all (the default for `exec`; `aio` needs a published port, so it
   * refuses it). `"open"` (the default for `aio`): the container joins `dockerNetwork`. A
   * Docker network name here still works, deprecated: write it as `dockerNetwork`.
   */
  network: z
    .union([NetworkPolicySchema, legacyDockerNetworkName], {
      error: () => 'must be "none" or "open"',
    })
    .optional(),
  /**
   * The Docker network an `"open"` container joins. Default `{containerPrefix}-isolated`: a
   * bridge the provider creates with inter-container traffic disabled, so sandboxes cannot
   * reach each other. A network named here is used as it is. Setting it implies `"open"`.
   */
  dockerNetwork: z.string().min(1).optional(),
  /** The AIO API's port inside the container (`aio` transport). Default 8080. */
  aioPort: z.number().int().min(1).max(65_535).default(8080),
  /** Capabilities added back after `CapDrop: ["ALL"]`. Default none. */
  capAdd: z.array(z.string().regex(/^[A-Z_]+$/, "must be a capability name")).default([]),
  /** Extra `--security-opt` values (`no-new-privileges` is always set). Default none. */
  securityOpt: z.array(z.string().min(1)).default([]),
  /** Run Docker's tiny init as PID 1, so orphaned processes are reaped. Default true. */
  init: z.boolean().default(true),
  /** `uid[:gid]` (or a user name) the container runs as. Default: the image's user. */
  user: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/, "must be uid[:gid]")
    .optional(),
  /**
   * Override the image's entrypoint / command. By default the `exec` transport runs a
   * keep-alive shell loop (so any image with `/bin/sh` stays up) and `aio` runs the image's own.
   */
  entrypoint: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  /** When to pull the image: `missing` (default), `always`, or `never`. */
  pull: z.enum(["missing", "always", "never"]).default("missing"),
  /**
   * `auto` (default): read and write files from the host for directories this process can see
   * (fast; containment checked on the host real path), through the container otherwise.
   * `container`: always through the container (remote daemons).
   */
  fileAccess: z.enum(["auto", "container"]).default("auto"),
  /** Docker connection. Default: `DOCKER_HOST`, else the local socket. */
  docker: DockerConnectionSchema.optional(),
  /** How long connecting to Docker may take before `PROVIDER_UNAVAILABLE`. Default 5 s. */
  connectTimeoutMs: z.number().int().positive().default(5000),
  /**
   * Docker-outside-of-Docker: the path of `baseDir` as the Docker daemon's host sees it. Bind
   * sources under `baseDir` are translated to it. Default: `baseDir` itself.
   */
  hostBaseDir: absolutePathSchema("hostBaseDir").optional(),
  /**
   * On start-up, what to do with containers of a crashed owner: `adopt` them into the warm pool
   * (default), `remove` them, or `keep` them untouched, for tools that only look or act on
   * request (`sandbox ls`, `prune`, `doctor`): `list()` shows them with `orphaned: true`.
   */
  orphans: z.enum(["adopt", "remove", "keep"]).default("adopt"),
  /** Remove every owned container on SIGINT/SIGTERM. Default false. */
  handleSignals: z.boolean().default(false),
  /** Registry store for container records (code only). Default: a file registry in `baseDir`. */
  registry: z.custom<RegistryStore<ContainerRecord>>(isRegistryStore).optional(),
  /** Logger for warnings (code only). Default: `console.warn`. */
  logger: z.custom<DockerProviderLogger>(isLogger).optional(),
})
  .strict()
  .superRefine((options, context) => {
    if (options.dockerNetwork !== undefined && options.network === "none") {
      context.addIssue({
        code: "custom",
        path: ["dockerNetwork"],
        message: 'joins a Docker network, which network "none" forbids',
      });
    }
    const legacyName = options.network !== undefined && !["none", "open"].includes(options.network);
    if (options.dockerNetwork !== undefined && legacyName) {
      context.addIssue({
        code: "custom",
        path: ["network"],
        message: 'names a Docker network as well as dockerNetwork; write network: "open"',
      });
    }
    if (options.transport === "aio" && AIO_API_KEY_ENV in options.environment) {
      context.addIssue({
        code: "custom",
        path: ["environment", AIO_API_KEY_ENV],
        message: "is set by the provider: every AIO container gets its own random key",
      });
    }
    if (options.transport === "aio" && options.network === "none") {
      context.addIssue({
        code: "custom",
        path: ["network"],
        message: 'the aio transport needs a network with a published port; "none" has none',
      });
    }
  });

/** Options as written in config or code; see {@link DockerProviderOptionsSchema}. */
export type DockerProviderOptionsInput = z.input<typeof DockerProviderOptionsSchema>;
/** Options with defaults applied; see {@link DockerProviderOptionsSchema}. */
export type DockerProviderOptions = z.output<typeof DockerProviderOptionsSchema>;
