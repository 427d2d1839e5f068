import {
  absolutePathSchema,
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_SKILLS_PATH,
  envMapSchema,
  FileLimitsSchema,
  formatIssues,
  MountSchema,
  passEnvSchema,
  SandboxError,
} from "@sandbox/core";
import { z } from "zod";

/**
 * Options of the local provider, validated at the config boundary.
 *
 * @example
 * ```ts
 * const options = LocalProviderOptionsSchema.parse({ isolation: "bwrap", maxSandboxes: 64 });
 * options.skillsPath; // "/mnt/skills"
 * ```
 */
export const LocalProviderOptionsSchema = z
  .object({
    /**
     * How many per-thread sandboxes stay cached (least recently used goes first). An evicted
     * thread loses nothing: its files are on disk and its next `acquire` rebuilds it. Default 256.
     */
    maxSandboxes: z.number().int().positive().default(256),
    /**
     * Host directory of shared skills, mapped read-only at `skillsPath`. Relative paths resolve
     * from the config's folder. Default: none (no skills mapping).
     */
    skillsDir: z.string().min(1).optional(),
    /** Where the skills directory appears in every sandbox. Default `/mnt/skills`. */
    skillsPath: absolutePathSchema("skillsPath").default(DEFAULT_SKILLS_PATH),
    /** Extra host directories shown in every sandbox (`{ hostPath, virtualPath, readOnly }`). Default []. */
    mounts: z.array(MountSchema).default([]),
    /**
     * Variables injected into every command, on top of the allow-listed base (`PATH`, `LANG`,
     * `LC_*`, `TZ`, `TERM`, a sandbox `HOME` and `TMPDIR`) and `passEnv`; a per-call `env`
     * wins. `$VAR` values resolve from the host environment when the config is read. Default {}.
     */
    environment: envMapSchema().default({}),
    /**
     * Host variables passed through to every command, by name (`AWS_REGION`) or name prefix
     * (`GIT_*`), read from the provider process's environment when the command starts. Nothing
     * else from the host's environment reaches a command. Default [].
     */
    passEnv: passEnvSchema(),
    /**
     * `none`: commands run directly on the host, virtual paths in the command line rewritten to
     * host paths. `bwrap`: each command runs in a bubblewrap mount namespace where only the
     * mappings (at their virtual paths) and a read-only system are visible. Default `none`.
     */
    isolation: z.enum(["none", "bwrap"]).default("none"),
    /**
     * Limits of the file API when a call sets none (`maxReadBytes`, `maxListResults`,
     * `maxSearchEntries`, `maxSearchBytes`, `searchTimeoutMs`). Default `DEFAULT_FILE_LIMITS`.
     */
    fileLimits: FileLimitsSchema.optional(),
    /** bwrap only: let commands use the host's network. Default false (network off). */
    network: z.boolean().default(false),
    /** Default `timeoutMs` of `exec` when a call gives none. Default 600000 (10 minutes). */
    execTimeoutMs: z.number().int().positive().default(DEFAULT_EXEC_TIMEOUT_MS),
    /** Default `maxOutputBytes` per stream of `exec` when a call gives none. Default 1 MiB. */
    maxOutputBytes: z.number().int().positive().default(DEFAULT_MAX_OUTPUT_BYTES),
    /** The shell that runs `-c command`. Default `/bin/sh`. */
    shell: absolutePathSchema("shell").default("/bin/sh"),
  })
  .strict();

/** What a user writes; see {@link LocalProviderOptionsSchema}. */
export type LocalProviderOptionsInput = z.input<typeof LocalProviderOptionsSchema>;
/** Options with every default filled in; see {@link LocalProviderOptionsSchema}. */
export type LocalProviderOptions = z.output<typeof LocalProviderOptionsSchema>;

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
  const parsed = LocalProviderOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new SandboxError(
      "CONFIG_INVALID",
      `Invalid options for provider "local": ${formatIssues(parsed.error, "options")}`,
      { cause: parsed.error },
    );
  }
  return parsed.data;
}
