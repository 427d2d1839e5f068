import { resolve } from "node:path";
import { parseOptions, type RegistryEntry } from "@sandbox/core";
import { z } from "zod";

/** How long a live owner may hold an entry's lock before it counts as wedged: 60 s. */
export const DEFAULT_LOCK_STALE_MS = 60_000;

/** Where the store reports entries it skips. Default: `console.warn`, once per file and reason. */
export interface RegistryLogger {
  warn(message: string): void;
}

/** Options of {@link createFileRegistry}. */
export interface FileRegistryOptions<T extends RegistryEntry> {
  /** The registry's root directory; created on the first write. */
  dir: string;
  /**
   * The sub-directory for this kind of entry, e.g. `"containers"`: 1-64 characters from
   * `A-Z a-z 0-9 . _ -`, starting with a letter or digit.
   */
  namespace: string;
  /** Validates every entry written and read. Its output must parse again (no one-way transforms). */
  schema: z.ZodType<T>;
  /** A live owner's lock is broken after this long. Default {@link DEFAULT_LOCK_STALE_MS}. */
  lockStaleMs?: number;
  /** Waiting for a lock fails with `TIMEOUT` after this long. Default twice `lockStaleMs`. */
  lockTimeoutMs?: number;
  logger?: RegistryLogger;
}

/** The options after validation and defaults. */
export interface ResolvedRegistryOptions<T extends RegistryEntry> {
  /** `{dir}/{namespace}`, absolute. */
  directory: string;
  namespace: string;
  schema: z.ZodType<T>;
  lockStaleMs: number;
  lockTimeoutMs: number;
  logger: RegistryLogger;
}

/**
 * What a namespace looks like: 1-64 characters from `A-Z a-z 0-9 . _ -`, starting with a letter
 * or digit (so never `.`, `..` or hidden). Tools that scan a registry directory use it to tell
 * namespaces from other files.
 *
 * @example
 * ```ts
 * NAMESPACE_PATTERN.test("docker"); // true
 * NAMESPACE_PATTERN.test("..");     // false
 * ```
 */
export const NAMESPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const OptionsSchema = z.object({
  dir: z
    .string()
    .min(1, "a directory is required")
    .refine((dir) => !dir.includes("\0"), "must not contain NUL bytes"),
  namespace: z
    .string()
    .regex(
      NAMESPACE_PATTERN,
      "use 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit",
    ),
  schema: z.custom<z.ZodType>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as { safeParse?: unknown }).safeParse === "function",
    "expected a zod schema",
  ),
  lockStaleMs: z.number().int().positive().optional(),
  lockTimeoutMs: z.number().int().positive().optional(),
  logger: z
    .custom<RegistryLogger>(
      (value) =>
        typeof value === "object" &&
        value !== null &&
        typeof (value as { warn?: unknown }).warn === "function",
      "expected an object with a warn(message) method",
    )
    .optional(),
});

const consoleLogger: RegistryLogger = { warn: (message) => console.warn(message) };

/**
 * Validates the options of a file registry and fills in defaults.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming the bad field.
 * @example
 * ```ts
 * resolveRegistryOptions({ dir: "/var/lib/sandbox", namespace: "containers", schema });
 * // { directory: "/var/lib/sandbox/containers", lockStaleMs: 60000, ... }
 * ```
 */
export function resolveRegistryOptions<T extends RegistryEntry>(
  options: FileRegistryOptions<T>,
): ResolvedRegistryOptions<T> {
  const parsed = parseOptions(OptionsSchema, options, { subject: "registry options" });
  const lockStaleMs = parsed.lockStaleMs ?? DEFAULT_LOCK_STALE_MS;
  return {
    directory: resolve(parsed.dir, parsed.namespace),
    namespace: parsed.namespace,
    schema: options.schema,
    lockStaleMs,
    lockTimeoutMs: parsed.lockTimeoutMs ?? 2 * lockStaleMs,
    logger: parsed.logger ?? consoleLogger,
  };
}
