import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { type ProviderContext, SandboxError, validateMounts } from "@sandbox/core";
import { probeBwrap } from "./isolation/bwrap-probe.js";
import { hostSystemArgs } from "./isolation/host-system.js";
import { type Isolation, LocalRuntime } from "./local-runtime.js";
import {
  type LocalProviderOptions,
  type LocalProviderOptionsInput,
  parseLocalProviderOptions,
} from "./options.js";
import { LocalSandboxProvider } from "./provider.js";

async function requireDirectory(path: string, field: string): Promise<void> {
  const isDirectory = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    throw new SandboxError("CONFIG_INVALID", `${field}: ${path} is not an existing directory`);
  }
}

/**
 * Builds a provider from parsed options: checks the skills directory and mounts exist, and in
 * bwrap mode probes bubblewrap once, so a misconfiguration fails here, not on the agent's first
 * command.
 */
export async function startLocalProvider(
  options: LocalProviderOptions,
  context: ProviderContext,
): Promise<LocalSandboxProvider> {
  const baseDir = resolve(context.baseDir);
  const skillsDir =
    options.skillsDir === undefined ? undefined : resolve(context.root, options.skillsDir);
  if (skillsDir !== undefined) await requireDirectory(skillsDir, "options.skillsDir");
  const mounts = validateMounts(options.mounts, options.skillsPath);
  await Promise.all(
    mounts.map((mount, index) =>
      requireDirectory(mount.hostPath, `options.mounts[${index}].hostPath`),
    ),
  );
  let isolation: Isolation = { kind: "none" };
  if (options.isolation === "bwrap") {
    const systemArgs = hostSystemArgs();
    const bwrap = await probeBwrap(systemArgs, options.network);
    isolation = { kind: "bwrap", bwrap, systemArgs, network: options.network };
  }
  return new LocalSandboxProvider(new LocalRuntime(options, baseDir, skillsDir, isolation));
}

/** {@link createLocalProvider}'s input: the provider options plus where thread data lives. */
export interface CreateLocalProviderInput extends LocalProviderOptionsInput {
  /** Host root of thread data. Default `.sandbox` in the working directory. */
  baseDir?: string;
  /** The folder a relative `skillsDir` resolves from. Default the working directory. */
  root?: string;
}

/**
 * Creates a local provider from code, validating the options exactly as config loading does.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming a bad option; `PROVIDER_UNAVAILABLE` when
 * `isolation: "bwrap"` is asked for and bubblewrap is missing or unusable.
 * @example
 * ```ts
 * const provider = await createLocalProvider({ baseDir: "/var/lib/agent", isolation: "bwrap" });
 * const id = await provider.acquire("thread-1", { userId: "alice" });
 * const result = await (await provider.get(id))!.exec("ls /mnt/user-data");
 * ```
 */
export async function createLocalProvider(
  input: CreateLocalProviderInput = {},
): Promise<LocalSandboxProvider> {
  const { baseDir, root, ...rest } = input;
  const cwd = root ?? process.cwd();
  const options = parseLocalProviderOptions(rest);
  return startLocalProvider(options, { baseDir: resolve(cwd, baseDir ?? ".sandbox"), root: cwd });
}
