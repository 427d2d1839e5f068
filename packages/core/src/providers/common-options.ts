import { z } from "zod";
import { envMapSchema, passEnvSchema } from "../config/env-vars.js";
import { absolutePathSchema } from "../config/path-schema.js";
import { DEFAULT_EXEC_TIMEOUT_MS, DEFAULT_MAX_OUTPUT_BYTES } from "../contract/sandbox.js";
import { FileLimitsSchema } from "../host-files/limits.js";
import { MountSchema } from "../layout/mounts.js";
import { DEFAULT_SKILLS_PATH } from "../paths/virtual-paths.js";

/**
 * The network policies every provider understands. `none`: commands reach no network at all.
 * `open`: commands reach whatever the provider's host reaches (Docker: through a bridge where
 * sandboxes cannot reach each other). Issue 15 adds an egress allow-list as an object
 * (`{ allow: [...] }`) beside these strings, so the strings keep their meaning.
 */
export const NETWORK_POLICIES = ["none", "open"] as const;

/** One of {@link NETWORK_POLICIES}. */
export type NetworkPolicy = (typeof NETWORK_POLICIES)[number];

/**
 * The `network` option: `"none"` or `"open"`. Optional in every provider: each has its own
 * default (local with bubblewrap and Docker's `exec` transport `"none"`, Docker's `aio` transport
 * `"open"`), and a provider refuses a policy it cannot enforce with `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * NetworkPolicySchema.parse("none"); // "none"
 * ```
 */
export const NetworkPolicySchema = z.enum(NETWORK_POLICIES, {
  error: () => 'must be "none" or "open"',
});

/**
 * The `skillsDir` option: the host directory of shared skills, mapped read-only at `skillsPath`.
 * Absolute, or relative to the config's folder (`root`); see {@link resolveSkillsDir}.
 *
 * @example
 * ```ts
 * const Options = z.object({ skillsDir: skillsDirSchema.optional() });
 * Options.parse({ skillsDir: "./skills" });
 * ```
 */
export const skillsDirSchema = z
  .string()
  .min(1, "must name a directory")
  .refine((value) => !value.includes("\0"), "must not contain NUL bytes");

/**
 * The `execTimeoutMs` option: the `timeoutMs` of an `exec` call that gives none. Default 600000
 * (10 minutes).
 */
export const execTimeoutMsSchema = z.number().int().positive().default(DEFAULT_EXEC_TIMEOUT_MS);

/**
 * The `maxOutputBytes` option: the `maxOutputBytes` (per stream) of an `exec` call that gives
 * none. Default 1 MiB.
 */
export const maxOutputBytesSchema = z.number().int().positive().default(DEFAULT_MAX_OUTPUT_BYTES);

/**
 * The options every provider shares, with one name, one shape and one meaning: a provider's own
 * schema extends it, so a config can switch providers without renaming them. Documented once in
 * docs/configuration.md ("Options every provider shares").
 *
 * @example
 * ```ts
 * const MyProviderOptionsSchema = CommonProviderOptionsSchema.extend({
 *   endpoint: z.url(),
 * }).strict();
 * MyProviderOptionsSchema.parse({ endpoint: "https://vm.example", network: "none" });
 * ```
 */
export const CommonProviderOptionsSchema = z
  .object({
    /** `"none"` or `"open"`; each provider has its own default. */
    network: NetworkPolicySchema.optional(),
    /** Host directory of shared skills (absolute, or relative to `root`). Default none. */
    skillsDir: skillsDirSchema.optional(),
    /** Where the skills directory appears in every sandbox. Default `/mnt/skills`. */
    skillsPath: absolutePathSchema("skillsPath").default(DEFAULT_SKILLS_PATH),
    /** Extra host directories shown in every sandbox (`{ hostPath, virtualPath, readOnly }`). */
    mounts: z.array(MountSchema).default([]),
    /**
     * Variables every command sees, over the allow-listed base and `passEnv`; a per-call `env`
     * wins. `$VAR` values resolve from the host environment when the config is read.
     */
    environment: envMapSchema().default({}),
    /** Host variables passed through by name (`AWS_REGION`) or prefix (`GIT_*`). Default []. */
    passEnv: passEnvSchema(),
    /** `timeoutMs` of an `exec` call that gives none. Default 600000 (10 minutes). */
    execTimeoutMs: execTimeoutMsSchema,
    /** `maxOutputBytes` (per stream) of an `exec` call that gives none. Default 1 MiB. */
    maxOutputBytes: maxOutputBytesSchema,
    /** Limits of the file API when a call sets none. Default `DEFAULT_FILE_LIMITS`. */
    fileLimits: FileLimitsSchema.optional(),
  })
  .strict();

/** The shared options as written; see {@link CommonProviderOptionsSchema}. */
export type CommonProviderOptionsInput = z.input<typeof CommonProviderOptionsSchema>;
/** The shared options with defaults applied; see {@link CommonProviderOptionsSchema}. */
export type CommonProviderOptions = z.output<typeof CommonProviderOptionsSchema>;
