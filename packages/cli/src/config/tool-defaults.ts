/**
 * Provider options the CLI sets for itself, by provider name. A config file is written for the
 * harness; a CLI run is a short-lived process with different needs:
 *
 * - docker: `orphans: "keep"`. A harness adopts a crashed owner's containers on start-up; a CLI
 *   process that did so would remove them all when it shuts down a moment later, so merely
 *   running `sandbox ls` would destroy them. The CLI lists orphans, and removes them only when
 *   asked (`prune`, `rm`, `doctor --fix`).
 *
 * An explicit `-o key=value` still wins.
 */
const TOOL_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  docker: { orphans: "keep" },
};

/**
 * A provider's options with the CLI's own defaults applied over the config file's, except for
 * keys the user set with `-o`.
 *
 * @example
 * ```ts
 * withToolDefaults("docker", { image: "x", orphans: "adopt" }, []); // { image: "x", orphans: "keep" }
 * ```
 */
export function withToolDefaults(
  providerName: string,
  options: Record<string, unknown>,
  explicitKeys: readonly string[],
): Record<string, unknown> {
  const defaults = TOOL_DEFAULTS[providerName] ?? {};
  const result = { ...options };
  for (const [key, value] of Object.entries(defaults)) {
    if (!explicitKeys.includes(key)) result[key] = value;
  }
  return result;
}
