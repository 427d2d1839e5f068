import {
  absolutePathSchema,
  CommonProviderOptionsSchema,
  type NetworkPolicy,
  NetworkPolicySchema,
  parseProviderOptions,
  SandboxError,
  warnDeprecated,
} from "@sandbox/core";
import { z } from "zod";

// `network` was a boolean (bwrap only) before the shared vocabulary (issue 11). `true` is
// "open"; `false` was the default, so it becomes "no choice made": "none" under bwrap, as before,
// and no error without isolation, where it never did anything.
const legacyNetworkBoolean = z.boolean().transform((shared): NetworkPolicy | undefined => {
  warnDeprecated(
    "SANDBOX_LOCAL_NETWORK_BOOLEAN",
    `@sandbox/provider-local: options.network: ${shared} is deprecated; write ${
      shared ? '"open"' : '"none" (or leave it out)'
    } instead. Booleans stop working in the next major version.`,
  );
  return shared ? "open" : undefined;
});

/**
 * Options of the local provider, validated at the config boundary: the options every provider
 * shares (`CommonProviderOptionsSchema`: `network`, `skillsDir`, `skillsPath`, `mounts`,
 * `environment`, `passEnv`, `execTimeoutMs`, `maxOutputBytes`, `fileLimits`) plus its own.
 *
 * @example
 * ```ts
 * const options = LocalProviderOptionsSchema.parse({ isolation: "bwrap", maxSandboxes: 64 });
 * options.skillsPath; // "/mnt/skills"
 * ```
 */
export const LocalProviderOptionsSchema = CommonProviderOptionsSchema.extend({
  /**
   * How many per-thread sandboxes stay cached (least recently used goes first). An evicted
   * thread loses nothing: its files are on disk and its next `acquire` rebuilds it. Default 256.
   */
  maxSandboxes: z.number().int().positive().default(256),
  /**
   * `none`: commands run directly on the host, virtual paths in the command line rewritten to
   * host paths. `bwrap`: each command runs in a bubblewrap mount namespace where only the
   * mappings (at their virtual paths) and a read-only system are visible. Default `none`.
   */
  isolation: z.enum(["none", "bwrap"]).default("none"),
  /**
   * `"none"` (the default with bwrap): commands get a network namespace of their own with no
   * interface but loopback. `"open"`: they share the host's network, which is all that
   * `isolation: "none"` can offer. The booleans of 0.x (`true`/`false`) still parse, deprecated.
   */
  network: z
    .union([NetworkPolicySchema, legacyNetworkBoolean], {
      error: () => 'must be "none" or "open"',
    })
    .optional(),
  /** The shell that runs `-c command`. Default `/bin/sh`. */
  shell: absolutePathSchema("shell").default("/bin/sh"),
}).strict();

/** What a user writes; see {@link LocalProviderOptionsSchema}. */
export type LocalProviderOptionsInput = z.input<typeof LocalProviderOptionsSchema>;
/** Options with every default filled in; see {@link LocalProviderOptionsSchema}. */
export type LocalProviderOptions = z.output<typeof LocalProviderOptionsSchema>;

/**
 * The network policy commands actually get: `network` under bwrap (default `"none"`), and
 * always `"open"` without isolation.
 *
 * @throws {SandboxError} `CONFIG_INVALID` for `network: "none"` without bwrap: a policy the
 * provider cannot enforce is a config error, never a silent "open". (Checked here rather than in
 * the schema, which `definition.ts` extends: zod cannot extend a refined object.)
 *
 * @example
 * ```ts
 * localNetworkPolicy(parseLocalProviderOptions({ isolation: "bwrap" })); // "none"
 * ```
 */
export function localNetworkPolicy(options: LocalProviderOptions): NetworkPolicy {
  if (options.isolation === "bwrap") return options.network ?? "none";
  if (options.network === "none") {
    throw new SandboxError(
      "CONFIG_INVALID",
      'Invalid options for provider "local": options.network: needs isolation "bwrap": ' +
        'without isolation commands share the host\'s network ("open")',
    );
  }
  return "open";
}

/**
 * Validates options given in code, with the same error `createSandboxProvider` gives for a bad
 * config: `CONFIG_INVALID` naming the field.
 *
 * @example
 * ```ts
 * parseLocalProviderOptions({ maxSandboxes: 0 });
 * // throws CONFIG_INVALID "Invalid options for provider "local": options.maxSandboxes: ..."
 * ```
 */
export function parseLocalProviderOptions(input: unknown): LocalProviderOptions {
  return parseProviderOptions(LocalProviderOptionsSchema, input, { provider: "local" });
}
