import { formatIssues } from "../config/format-issues.js";
import {
  type LoadConfigOptions,
  loadSandboxConfig,
  resolveSandboxConfig,
} from "../config/load-config.js";
import type { SandboxProvider } from "../contract/provider.js";
import { SandboxError } from "../errors/sandbox-error.js";
import { isSandboxProviderDefinition, type SandboxProviderDefinition } from "./define-provider.js";
import { importProviderModule } from "./import-provider-module.js";

/** A config as {@link createSandboxProvider} takes it: from a file, or written in code. */
export interface CreateSandboxProviderInput {
  /** A package name, builtin short name, module path, or a definition object itself. */
  provider: string | SandboxProviderDefinition;
  /** Host root for thread data and registries. */
  baseDir?: string | undefined;
  /** The provider's own options. */
  options?: Record<string, unknown> | undefined;
  /** The folder relative paths resolve from. Default `process.cwd()`. */
  root?: string | undefined;
}

/**
 * Turns a config into a running provider: loads the provider module, validates `options` with
 * the provider's own schema, and calls its `create`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the module or the bad field.
 * @example
 * ```ts
 * const provider = await createSandboxProvider({
 *   provider: "@sandbox/provider-docker",
 *   options: { image: "my-sandbox:latest", replicas: 5 },
 * });
 * ```
 */
export async function createSandboxProvider(
  input: CreateSandboxProviderInput,
): Promise<SandboxProvider> {
  const root = input.root ?? process.cwd();
  const { provider, ...rest } = input;
  const named = typeof provider === "string" ? provider : "inline";
  const config = resolveSandboxConfig(
    {
      provider: named,
      ...(rest.baseDir ? { baseDir: rest.baseDir } : {}),
      options: rest.options ?? {},
    },
    { root },
  );
  let definition: SandboxProviderDefinition;
  if (typeof provider === "string") {
    definition = await importProviderModule(provider, root);
  } else if (isSandboxProviderDefinition(provider)) {
    definition = provider;
  } else {
    throw new SandboxError(
      "CONFIG_INVALID",
      "provider must be a module name or a provider definition",
    );
  }
  const options = definition.optionsSchema.safeParse(config.options);
  if (!options.success) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Invalid options for provider "${definition.name}": ${formatIssues(options.error, "options")}`,
      { cause: options.error },
    );
  }
  return definition.create(options.data, { baseDir: config.baseDir, root: config.root });
}

/**
 * {@link loadSandboxConfig} then {@link createSandboxProvider}: the one call most harnesses need.
 *
 * @example
 * ```ts
 * const provider = await loadSandboxProvider(); // reads ./sandbox.config.json
 * ```
 */
export async function loadSandboxProvider(
  path?: string,
  options?: LoadConfigOptions,
): Promise<SandboxProvider> {
  const config = await loadSandboxConfig(path, options);
  return createSandboxProvider(config);
}
