import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  type ProviderContext,
  resolveProviderContext,
  resolveSkillsDir,
  SandboxError,
  validateMounts,
  warnDeprecated,
} from "@sandbox/core";
import { probeBwrap } from "./isolation/bwrap-probe.js";
import { hostSystemArgs } from "./isolation/host-system.js";
import { type Isolation, LocalRuntime } from "./local-runtime.js";
import {
  type LocalProviderOptions,
  type LocalProviderOptionsInput,
  localNetworkPolicy,
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
  const skillsDir = resolveSkillsDir(options.skillsDir, context);
  if (skillsDir !== undefined) await requireDirectory(skillsDir, "options.skillsDir");
  const mounts = validateMounts(options.mounts, options.skillsPath);
  await Promise.all(
    mounts.map((mount, index) =>
      requireDirectory(mount.hostPath, `options.mounts[${index}].hostPath`),
    ),
  );
  const network = localNetworkPolicy(options) === "open";
  let isolation: Isolation = { kind: "none" };
  if (options.isolation === "bwrap") {
    const systemArgs = hostSystemArgs();
    const bwrap = await probeBwrap(systemArgs, network);
    isolation = { kind: "bwrap", bwrap, systemArgs, network };
  }
  return new LocalSandboxProvider(new LocalRuntime(options, baseDir, skillsDir, isolation));
}

/**
 * The 0.x call form, `createLocalProvider({ baseDir, root, ...options })`: still accepted,
 * deprecated in favour of the context argument every provider factory takes.
 */
export interface LegacyLocalProviderContextFields {
  /** @deprecated Pass `{ baseDir }` as the second argument. */
  baseDir?: string;
  /** @deprecated Pass `{ root }` as the second argument. */
  root?: string;
}

/**
 * @deprecated The 0.x single-argument input of {@link createLocalProvider}; pass
 * `(options, { baseDir, root })` instead.
 */
export type CreateLocalProviderInput = LocalProviderOptionsInput & LegacyLocalProviderContextFields;

/**
 * Creates a local provider from code, validating the options exactly as config loading does.
 * Takes the same two arguments as every provider factory: the provider's options, then where
 * thread data lives (`baseDir`, default `.sandbox`) and the folder relative paths resolve from
 * (`root`, default the working directory; a relative `baseDir` or `skillsDir` resolves from it).
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming a bad option; `PROVIDER_UNAVAILABLE` when
 * `isolation: "bwrap"` is asked for and bubblewrap is missing or unusable.
 * @example
 * ```ts
 * const provider = await createLocalProvider({ isolation: "bwrap" }, { baseDir: "/var/lib/agent" });
 * const id = await provider.acquire("thread-1", { userId: "alice" });
 * const result = await (await provider.get(id))!.exec("ls /mnt/user-data");
 * ```
 */
export async function createLocalProvider(
  options: LocalProviderOptionsInput & LegacyLocalProviderContextFields = {},
  context?: Partial<ProviderContext>,
): Promise<LocalSandboxProvider> {
  const { baseDir, root, ...rest } = options;
  if (baseDir !== undefined || root !== undefined) {
    if (context !== undefined) {
      throw new SandboxError(
        "CONFIG_INVALID",
        "createLocalProvider: give baseDir and root in the second argument only, not among the options",
      );
    }
    warnDeprecated(
      "SANDBOX_LOCAL_FACTORY_CONTEXT",
      "@sandbox/provider-local: createLocalProvider({ baseDir, root, ...options }) is deprecated; " +
        "call createLocalProvider(options, { baseDir, root }) like every provider factory.",
    );
  }
  const parsed = parseLocalProviderOptions(rest);
  const legacy = {
    ...(baseDir === undefined ? {} : { baseDir }),
    ...(root === undefined ? {} : { root }),
  };
  return startLocalProvider(parsed, resolveProviderContext(context ?? legacy));
}
