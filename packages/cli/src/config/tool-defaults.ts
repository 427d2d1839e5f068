import { formatIssues, SandboxError, type SandboxProviderDefinition } from "@sandbox/core";
import { z } from "zod";

// A provider module is a boundary: a JavaScript provider can put anything in its hooks.
const ToolDefaultsSchema = z.record(z.string(), z.unknown()).default({});

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
 * @throws {SandboxError} `CONFIG_INVALID` when the provider's `cli.toolDefaults` is not an
 * object of options.
 */
export function withToolDefaults(
  definition: Pick<SandboxProviderDefinition, "name" | "cli">,
  options: Record<string, unknown>,
  explicitKeys: readonly string[],
): Record<string, unknown> {
  const parsed = ToolDefaultsSchema.safeParse(definition.cli?.toolDefaults);
  if (!parsed.success) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Provider "${definition.name}" has invalid CLI tool defaults: ${formatIssues(parsed.error, "cli.toolDefaults")}`,
      { cause: parsed.error, hint: "Report it to the provider's author" },
    );
  }
  const defaults = parsed.data;
  const result = { ...options };
  for (const [key, value] of Object.entries(defaults)) {
    if (!explicitKeys.includes(key)) result[key] = value;
  }
  return result;
}
