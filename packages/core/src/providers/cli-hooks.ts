import type { z } from "zod";
import type { SandboxProvider } from "../contract/provider.js";
import type { RegistryEntry } from "../contract/registry-store.js";
import type { DoctorCheck } from "./doctor-check.js";

/**
 * What a provider's {@link ProviderCliHooks.doctor} hook receives from `sandbox doctor`.
 *
 * A hook runs in one of two situations:
 * - `configured: true`: the config names this provider and its options are valid; `options` are
 *   those options after the schema applied its defaults.
 * - `configured: false`: the user asked for this provider's checks without configuring it
 *   (`sandbox doctor --with my-provider`); `options` is `undefined`, and the hook checks what it
 *   can with defaults (the engine is reachable, the tool is installed).
 */
export interface DoctorContext<Options = unknown> {
  /** The config selects this provider and its options parsed. */
  readonly configured: boolean;
  /** The parsed options when {@link configured}, otherwise `undefined`. */
  readonly options: Options | undefined;
  /** `sandbox doctor --fix`: repair what the check finds, and report it in `fixed`. */
  readonly fix: boolean;
  /** Absolute host root for thread data and registries (the config's, or `./.sandbox`). */
  readonly baseDir: string;
  /** The folder relative paths in the config resolve from. */
  readonly root: string;
  /**
   * Creates this provider the way the CLI does for a command: its
   * {@link ProviderCliHooks.toolDefaults} applied, the options validated by its schema. With no
   * argument, the configured options (plus any `-o` flags); pass options to probe an unconfigured
   * provider. The hook owns the result and must `shutdown()` it.
   *
   * @throws {SandboxError} whatever `create` throws, e.g. `PROVIDER_UNAVAILABLE` for an engine
   * that does not answer, or `CONFIG_INVALID` for options the schema refuses.
   */
  open(options?: Record<string, unknown>): Promise<SandboxProvider>;
}

/**
 * What a provider tells the `sandbox` command about itself, so the CLI never special-cases a
 * provider by name. Every member is optional, and new optional members may be added later
 * (issue 17's `sandbox init` will want starter options): a provider without hooks works as-is.
 *
 * @example
 * ```ts
 * export default defineSandboxProvider({
 *   name: "vm",
 *   optionsSchema: VmOptionsSchema,
 *   create: (options, context) => createVmProvider(options, context),
 *   cli: {
 *     toolDefaults: { keepOnShutdown: true },
 *     registrySchemas: { vm: VmRecordSchema },
 *     async doctor({ options }) {
 *       const answered = await pingApi(options?.endpoint ?? DEFAULT_ENDPOINT);
 *       return [answered ? doctorCheck("vm-api", "ok", "the API answers")
 *                        : doctorCheck("vm-api", "fail", "no answer", { hint: "check endpoint" })];
 *     },
 *   },
 * });
 * ```
 */
export interface ProviderCliHooks<Schema extends z.ZodType = z.ZodType> {
  /**
   * Options the CLI sets whenever it creates this provider, over the config file's (a `-o`
   * flag still wins). A config is written for a long-lived harness; a CLI run is a short
   * process with other needs, e.g. not adopting (and then removing on exit) a crashed
   * harness's resources.
   */
  readonly toolDefaults?: Readonly<Partial<z.input<Schema>>>;
  /**
   * The entry schema of each registry namespace this provider writes under
   * `{baseDir}/registry/`, by namespace. `sandbox doctor` checks those entries against it, so
   * an entry that is valid JSON but not a valid record is caught (and quarantined by `--fix`).
   */
  readonly registrySchemas?: Readonly<Record<string, z.ZodType<RegistryEntry>>>;
  /**
   * This provider's own `sandbox doctor` checks, printed after the CLI's (node, config,
   * permissions, registry). A check that finds a problem returns `warn` or `fail` with a hint;
   * it should not throw (a throw is reported as a failed check named after the provider).
   */
  doctor?(
    context: DoctorContext<z.output<Schema>>,
  ): readonly DoctorCheck[] | Promise<readonly DoctorCheck[]>;
}
