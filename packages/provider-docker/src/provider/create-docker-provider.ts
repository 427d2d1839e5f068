import { join } from "node:path";
import {
  InstanceRegistry,
  type ProviderContext,
  parseProviderOptions,
  processOwnership,
  resolveProviderContext,
  resolveSkillsDir,
  validateMounts,
} from "@sandbox/core";
import { createFileRegistry } from "@sandbox/registry";
import { ContainerClient } from "../docker/container-client.js";
import { createDockerClient, pingDocker } from "../docker/docker-client.js";
import { containerRecordFormat } from "../lifecycle/container-record-format.js";
import { ContainerRecordSchema } from "../options/container-record.js";
import {
  type DockerProviderLogger,
  type DockerProviderOptionsInput,
  DockerProviderOptionsSchema,
} from "../options/options-schema.js";
import { maskProviderRoots, providerRoots } from "../sandbox/host-path-mask.js";
import { DockerSandboxProvider } from "./docker-provider.js";

/**
 * Where a Docker provider keeps thread data and its registry (`baseDir`, default `.sandbox`), and
 * the folder relative paths resolve from (`root`, default the working directory): the context
 * every provider factory takes.
 */
export type DockerProviderContext = Partial<ProviderContext>;

const defaultLogger: DockerProviderLogger = {
  warn: (message) => console.warn(`[@sandbox/provider-docker] ${message}`),
};

/**
 * Creates the Docker provider from its options and the context every provider factory takes
 * (`{ baseDir, root }`; a relative `baseDir` or `skillsDir` resolves from `root`): validates the
 * options, checks the daemon answers within
 * `connectTimeoutMs` (else `PROVIDER_UNAVAILABLE`, never a hang), opens the registry (a file
 * registry under `{baseDir}/registry`, namespace `docker`, unless one is passed), and recovers
 * containers left by a crashed owner before handing out sandboxes.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the bad option; `PROVIDER_UNAVAILABLE`.
 * @example
 * ```ts
 * const provider = await createDockerProvider(
 *   { image: "ghcr.io/agent-infra/sandbox:latest", transport: "aio" },
 *   { baseDir: "/var/lib/agent/sandboxes" },
 * );
 * const id = await provider.acquire("thread-1", { userId: "alice" });
 * const result = await (await provider.get(id))?.exec("echo hi");
 * await provider.shutdown();
 * ```
 */
export async function createDockerProvider(
  input: DockerProviderOptionsInput,
  context: DockerProviderContext = {},
): Promise<DockerSandboxProvider> {
  const parsed = parseProviderOptions(DockerProviderOptionsSchema, input, { provider: "docker" });
  const { baseDir, root } = resolveProviderContext(context);
  // A relative skillsDir means the config's folder, as in every provider; from here on the
  // provider sees (and the bind mount gets) the absolute path.
  const skillsDir = resolveSkillsDir(parsed.skillsDir, { root });
  const options = { ...parsed, ...(skillsDir === undefined ? {} : { skillsDir }) };
  // Check the mounts now, not at the first acquire: a config error belongs to start-up, where
  // createSandboxProvider can name the config file (issue 20).
  validateMounts(options.mounts, options.skillsPath);
  const logger = options.logger ?? defaultLogger;
  const docker = await createDockerClient(options.docker);
  await pingDocker(docker, options.connectTimeoutMs);
  // Docker's own error messages can quote bind sources; show them as <baseDir> instead.
  const client = new ContainerClient(
    docker,
    maskProviderRoots(providerRoots(baseDir, options.hostBaseDir)),
  );
  const store =
    options.registry ??
    createFileRegistry({
      dir: join(baseDir, "registry"),
      namespace: "docker",
      schema: ContainerRecordSchema,
      logger,
    });
  const registry = new InstanceRegistry({
    store,
    format: containerRecordFormat(options),
    logger,
    prefix: options.containerPrefix,
  });
  const ownership = processOwnership();
  const provider = new DockerSandboxProvider({
    options,
    baseDir,
    client,
    registry,
    ownership,
    logger,
  });
  try {
    // "keep" is for tools that only look: a crashed owner's containers stay as they are.
    if (options.orphans !== "keep") await provider.recoverOrphans(options.orphans);
  } catch (error) {
    await provider.shutdown();
    throw error;
  }
  return provider;
}
