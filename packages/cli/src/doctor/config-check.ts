import { formatIssues, isSandboxError, type SandboxProviderDefinition } from "@sandbox/core";
import type { ProviderFlags } from "../config/provider-flags.js";
import {
  type CliConfig,
  importProviderDefinition,
  resolveCliConfig,
} from "../config/resolve-provider.js";
import type { CliIo } from "../io.js";
import { type CheckResult, checkResult } from "./check.js";

/** The config and provider `doctor` found, for the checks that depend on them. */
export interface ConfigCheckOutcome {
  results: CheckResult[];
  config: CliConfig | undefined;
  definition: SandboxProviderDefinition | undefined;
  /** The provider's options after its schema applied defaults. */
  options: Record<string, unknown> | undefined;
}

/**
 * Checks that a config is found and valid and that its provider module loads and accepts the
 * options, without creating the provider (creating one may start containers or timers).
 * No config at all is a warning: the host checks still mean something without one.
 *
 * @example
 * ```ts
 * const { config, results } = await checkConfig({}, io);
 * ```
 */
export async function checkConfig(
  flags: ProviderFlags,
  io: Pick<CliIo, "cwd" | "env">,
): Promise<ConfigCheckOutcome> {
  let config: CliConfig;
  try {
    // Without stderr: doctor reports the zero-config default in its own table, below.
    config = await resolveCliConfig(flags, { cwd: io.cwd, env: io.env });
  } catch (error) {
    const missing = isSandboxError(error) && error.message.startsWith("No sandbox config found");
    const result = checkResult(
      "config",
      missing ? "warn" : "fail",
      error instanceof Error ? error.message : String(error),
      { hint: isSandboxError(error) ? error.hint : undefined },
    );
    return { results: [result], config: undefined, definition: undefined, options: undefined };
  }
  const source = config.source ?? "code";
  const configOk = config.zeroConfig
    ? checkResult(
        "config",
        "warn",
        `No sandbox config found; commands use the local provider, baseDir ${config.baseDir}`,
        { hint: "sandbox init writes a starter config (--provider local|docker|<package>)" },
      )
    : checkResult("config", "ok", `${source}, baseDir ${config.baseDir}`);
  let definition: SandboxProviderDefinition;
  try {
    definition = await importProviderDefinition(config);
  } catch (error) {
    const result = checkResult("provider", "fail", (error as Error).message, {
      hint: isSandboxError(error) ? error.hint : undefined,
    });
    return { results: [configOk, result], config, definition: undefined, options: undefined };
  }
  const parsed = definition.optionsSchema.safeParse(config.options);
  if (!parsed.success) {
    const result = checkResult(
      "provider",
      "fail",
      `Invalid options for provider "${definition.name}": ${formatIssues(parsed.error, "options")}`,
      { hint: `Fix the options in ${source}` },
    );
    return { results: [configOk, result], config, definition, options: undefined };
  }
  const providerOk = checkResult(
    "provider",
    "ok",
    `"${definition.name}" from ${config.provider}, options valid`,
  );
  return {
    results: [configOk, providerOk],
    config,
    definition,
    options: parsed.data as Record<string, unknown>,
  };
}
