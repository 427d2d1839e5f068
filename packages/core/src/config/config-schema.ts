import { z } from "zod";

/**
 * The one config object that picks and configures a provider.
 *
 * - `provider`: a package name (`@sandbox/provider-docker`), a builtin short name (`local`,
 *   `docker`) or a path to a module (`./my-provider.js`), resolved from the config file's folder.
 * - `baseDir`: host root for thread data and registries. Default `.sandbox` in the working
 *   directory (or beside the config file).
 * - `options`: the provider's own options, validated by the provider's schema.
 *
 * @example
 * ```ts
 * SandboxConfigSchema.parse({ provider: "local", options: { maxSandboxes: 64 } });
 * ```
 */
export const SandboxConfigSchema = z
  .object({
    provider: z.string().min(1, "must name a provider package or module"),
    baseDir: z.string().min(1).optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** A parsed config; see {@link SandboxConfigSchema}. */
export type SandboxConfig = z.output<typeof SandboxConfigSchema>;
/** What a user writes; see {@link SandboxConfigSchema}. */
export type SandboxConfigInput = z.input<typeof SandboxConfigSchema>;
