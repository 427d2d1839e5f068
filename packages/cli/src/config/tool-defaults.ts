import type { SandboxProviderDefinition } from "@sandbox/core";

/**
 * A provider's options with the CLI's own defaults for it (its definition's
 * `cli.toolDefaults`) applied over the config file's, except for keys the user set with `-o`.
 * A config file is written for a long-lived harness; a CLI run is a short process with other
 * needs, and the provider says which (the Docker provider keeps a crashed harness's containers
 * instead of adopting them, so `sandbox ls` never removes them on exit).
 *
 * @example
 * ```ts
 * // dockerProvider.cli.toolDefaults is { orphans: "keep" }
 * withToolDefaults(dockerProvider, { image: "x", orphans: "adopt" }, []); // { image: "x", orphans: "keep" }
 * ```
 */
export function withToolDefaults(
  definition: Pick<SandboxProviderDefinition, "cli">,
  options: Record<string, unknown>,
  explicitKeys: readonly string[],
): Record<string, unknown> {
  const defaults: Readonly<Record<string, unknown>> = definition.cli?.toolDefaults ?? {};
  const result = { ...options };
  for (const [key, value] of Object.entries(defaults)) {
    if (!explicitKeys.includes(key)) result[key] = value;
  }
  return result;
}
