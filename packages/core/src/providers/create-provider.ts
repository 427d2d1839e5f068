import {
  type LoadConfigOptions,
  loadSandboxConfig,
  resolveSandboxConfig,
} from "../config/load-config.js";
import type { SandboxProvider } from "../contract/provider.js";
import { isSandboxError, SandboxError } from "../errors/sandbox-error.js";
import { isSandboxProviderDefinition, type SandboxProviderDefinition } from "./define-provider.js";
import { importProviderModule } from "./import-provider-module.js";
import { parseProviderOptions } from "./parse-provider-options.js";

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
  /**
   * Where this config came from (a file path, `"$SANDBOX_CONFIG"`): every `CONFIG_INVALID` then
   * names it as well as the field. {@link loadSandboxConfig} sets it; leave it out for a config
   * written in code.
   */
  source?: string | undefined;
}

// Names the config's origin in a config error raised while loading or creating the provider, so
// `options.image: ...` says which file to fix (issue 20: only the CLI used to add it).
function withSource(error: unknown, source: string | undefined): unknown {
  if (source === undefined || !isSandboxError(error, "CONFIG_INVALID")) return error;
  return new SandboxError("CONFIG_INVALID", `${error.message} (from ${source})`, {
    cause: error,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  });
}

/**
 * Turns a config into a running provider: loads the provider module, validates `options` with
 * the provider's own schema, and calls its `create`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the module or the bad field, and the config's
 * `source` when it has one (`... (from /srv/agent/sandbox.config.json)`).
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
  try {
    return await createFromInput(input);
  } catch (error) {
    throw withSource(error, input.source);
  }
}

async function createFromInput(input: CreateSandboxProviderInput): Promise<SandboxProvider> {
  const root = input.root ?? process.cwd();
  const { provider } = input;
  const named = typeof provider === "string" ? provider : "inline";
  const config = resolveSandboxConfig(
    {
      provider: named,
      ...(input.baseDir ? { baseDir: input.baseDir } : {}),
      options: input.options ?? {},
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
  const options = parseProviderOptions(definition.optionsSchema, config.options, {
    provider: definition.name,
  });
  return definition.create(options, { baseDir: config.baseDir, root: config.root });
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
