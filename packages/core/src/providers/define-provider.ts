import type { z } from "zod";
import type { SandboxProvider } from "../contract/provider.js";
import type { ProviderCliHooks } from "./cli-hooks.js";

/** What a provider's `create` receives besides its own options. */
export interface ProviderContext {
  /** Absolute host root for thread data and registries. */
  baseDir: string;
  /** The folder relative paths in the config resolve from. */
  root: string;
}

/**
 * A provider module's default export: a name, a zod schema for its options, a factory, and
 * optionally hooks for the `sandbox` command. Config picks a definition by package name;
 * {@link createSandboxProvider} validates the options with `optionsSchema` before `create` ever
 * sees them.
 */
export interface SandboxProviderDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly optionsSchema: Schema;
  create(
    options: z.output<Schema>,
    context: ProviderContext,
  ): SandboxProvider | Promise<SandboxProvider>;
  /**
   * What the `sandbox` CLI needs to know about this provider: options it sets for itself, the
   * schemas of the registry namespaces it writes, and its own `sandbox doctor` checks.
   */
  readonly cli?: ProviderCliHooks<Schema>;
}

// Registry-wide so a definition built by one copy of core is recognised by another.
const DEFINITION = Symbol.for("@sandbox/core/SandboxProviderDefinition");

/**
 * Declares a sandbox provider. Export the result as the module's default export so config can
 * load it by package name or path.
 *
 * @example
 * ```ts
 * export default defineSandboxProvider({
 *   name: "memory",
 *   optionsSchema: z.object({ maxSandboxes: z.number().int().positive().default(16) }),
 *   create: (options, { baseDir }) => new MemoryProvider(options, baseDir),
 *   cli: {
 *     doctor: ({ options }) => [doctorCheck("memory", "ok", `${options?.maxSandboxes ?? 16} slots`)],
 *   },
 * });
 * ```
 */
export function defineSandboxProvider<Schema extends z.ZodType>(
  definition: SandboxProviderDefinition<Schema>,
): SandboxProviderDefinition<Schema> {
  return Object.freeze(Object.defineProperty({ ...definition }, DEFINITION, { value: true }));
}

/** True for an object made by {@link defineSandboxProvider} (by any copy of this package). */
export function isSandboxProviderDefinition(value: unknown): value is SandboxProviderDefinition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}
