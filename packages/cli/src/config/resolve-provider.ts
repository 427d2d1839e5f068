import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createSandboxProvider,
  importProviderModule,
  isSandboxError,
  type LoadedSandboxConfig,
  loadSandboxConfig,
  resolveSandboxConfig,
  SandboxError,
  type SandboxProvider,
  type SandboxProviderDefinition,
} from "@sandbox/core";
import type { CliIo, CliOutput } from "../io.js";
import type { ProviderFlags } from "./provider-flags.js";
import { withToolDefaults } from "./tool-defaults.js";
import { isUnconfigured, ZERO_CONFIG_NOTE, zeroConfig } from "./zero-config.js";

/** A loaded config, plus which options the user set on the command line. */
export interface CliConfig extends LoadedSandboxConfig {
  /** Top-level option keys given with `-o`; they win over the CLI's own defaults. */
  explicitOptions: string[];
  /** Nothing configured the run: the zero-config default (local provider, `./.sandbox`). */
  zeroConfig?: boolean;
}

// The CLI ships with the local and Docker providers as dependencies; a package name that the
// project does not install itself still resolves from here.
const CLI_MODULE_DIR = dirname(fileURLToPath(import.meta.url));

function parseOptionValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Applies `-o key=value` flags on top of a config's options. Dotted keys nest
 * (`-o docker.socketPath=/run/docker.sock`); values are JSON when they parse as JSON
 * (`replicas=5`, `mounts=[...]`), strings otherwise.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a flag without `=` or with an empty key.
 * @example
 * ```ts
 * applyOptionFlags({}, ["image=busybox", "replicas=2"]); // { image: "busybox", replicas: 2 }
 * ```
 */
export function applyOptionFlags(
  options: Record<string, unknown>,
  flags: string[] = [],
): Record<string, unknown> {
  const result: Record<string, unknown> = structuredClone(options);
  for (const flag of flags) {
    const equals = flag.indexOf("=");
    const keys = equals > 0 ? flag.slice(0, equals).split(".") : [];
    if (keys.length === 0 || keys.some((key) => key === "")) {
      throw new SandboxError(
        "INVALID_ARGUMENT",
        `--option ${JSON.stringify(flag)} is not key=value`,
        {
          hint: "For example: -o image=busybox:latest -o replicas=5",
        },
      );
    }
    let target = result;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      target[key] = typeof next === "object" && next !== null && !Array.isArray(next) ? next : {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys.at(-1) as string] = parseOptionValue(flag.slice(equals + 1));
  }
  return result;
}

/**
 * The config a command runs with: `--provider` (no file needed), else `--config`, else
 * `$SANDBOX_CONFIG`, else `./sandbox.config.{json,yaml}`, else the zero-config default (the
 * local provider with `./.sandbox`, announced in one line on `io.stderr` when given, so stdout
 * stays clean for pipes); then `--base-dir` and `-o` on top.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the file and the field.
 * @example
 * ```ts
 * const config = await resolveCliConfig({ provider: "local" }, processIo());
 * ```
 */
export async function resolveCliConfig(
  flags: ProviderFlags,
  io: Pick<CliIo, "cwd" | "env"> & { stderr?: CliOutput },
): Promise<CliConfig> {
  if (flags.provider !== undefined && flags.config !== undefined) {
    throw new SandboxError("INVALID_ARGUMENT", "--provider and --config cannot be used together", {
      hint: "--provider picks a provider without a file; put options in the file or use -o",
    });
  }
  const unconfigured = flags.provider === undefined && (await isUnconfigured(flags.config, io));
  if (unconfigured) io.stderr?.write(ZERO_CONFIG_NOTE);
  const loaded = unconfigured
    ? zeroConfig(io.cwd)
    : flags.provider === undefined
      ? await loadSandboxConfig(flags.config, { cwd: io.cwd, env: io.env })
      : resolveSandboxConfig({ provider: flags.provider }, { root: io.cwd, source: "--provider" });
  const baseDir =
    flags.baseDir === undefined
      ? loaded.baseDir
      : isAbsolute(flags.baseDir)
        ? flags.baseDir
        : resolve(io.cwd, flags.baseDir);
  return {
    ...loaded,
    baseDir,
    options: applyOptionFlags(loaded.options, flags.option),
    explicitOptions: Object.keys(applyOptionFlags({}, flags.option)),
    ...(unconfigured ? { zeroConfig: true } : {}),
  };
}

function isBareSpecifier(specifier: string): boolean {
  return !(specifier.startsWith(".") || specifier.startsWith("file:") || isAbsolute(specifier));
}

/**
 * Loads the provider module a config names: from the config's folder first (the version the
 * project installed), then, for a package name, from the CLI's own dependencies.
 *
 * @throws {SandboxError} `CONFIG_INVALID` when neither place has it.
 * @example
 * ```ts
 * const definition = await importProviderDefinition(config);
 * ```
 */
export async function importProviderDefinition(
  config: Pick<LoadedSandboxConfig, "provider" | "root">,
): Promise<SandboxProviderDefinition> {
  try {
    return await importProviderModule(config.provider, config.root);
  } catch (error) {
    const notFound =
      isSandboxError(error, "CONFIG_INVALID") && error.message.startsWith("Cannot find provider");
    if (!notFound || !isBareSpecifier(config.provider)) throw error;
    return importProviderModule(config.provider, CLI_MODULE_DIR).catch(() => {
      throw error;
    });
  }
}

/**
 * Creates the provider a config describes, validating its options with the provider's schema,
 * with the provider's own tool defaults (`cli.toolDefaults`) applied under any `-o` flags.
 * Pass `definition` when it is loaded already.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the module or the bad option.
 * @example
 * ```ts
 * const provider = await openProvider(await resolveCliConfig(flags, io));
 * try { ... } finally { await provider.shutdown(); }
 * ```
 */
export async function openProvider(
  config: CliConfig,
  definition?: SandboxProviderDefinition,
): Promise<SandboxProvider> {
  const provider = definition ?? (await importProviderDefinition(config));
  // Core names the field and, given the source, the file it came from.
  return createSandboxProvider({
    provider,
    baseDir: config.baseDir,
    options: withToolDefaults(provider, config.options, config.explicitOptions),
    root: config.root,
    source: config.source,
  });
}

/**
 * Runs `work` with the configured provider and always shuts the provider down afterwards, so
 * a command never leaves containers or timers behind.
 *
 * @example
 * ```ts
 * const sandboxes = await withProvider(config, (provider) => provider.list?.() ?? []);
 * ```
 */
export async function withProvider<T>(
  config: CliConfig,
  work: (provider: SandboxProvider) => Promise<T>,
): Promise<T> {
  const provider = await openProvider(config);
  try {
    return await work(provider);
  } finally {
    await provider.shutdown();
  }
}
