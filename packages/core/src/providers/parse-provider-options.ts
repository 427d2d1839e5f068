import type { z } from "zod";
import { parseOptions } from "../config/parse-options.js";

/** Which provider the options belong to, so the error can say so. */
export interface ProviderOptionsLabel {
  /** The provider's name, as its definition gives it (`"docker"`, `"local"`). */
  provider: string;
}

/**
 * Validates a provider's options with its zod schema: the one check `createSandboxProvider`, a
 * provider's own factory and its definition's `create` share, so a bad option reads the same
 * whichever way the provider was built. Missing options (`undefined`) parse as `{}`, so every
 * default applies.
 *
 * @throws {SandboxError} `CONFIG_INVALID` `Invalid options for provider "{provider}": options.{field}: ...`,
 * with the zod error as `cause`.
 * @example
 * ```ts
 * import { parseProviderOptions } from "@sandbox/core";
 * import { z } from "zod";
 *
 * const MemoryOptionsSchema = z.object({ maxSandboxes: z.number().int().positive().default(16) });
 * const options = parseProviderOptions(MemoryOptionsSchema, { maxSandboxes: 4 }, { provider: "memory" });
 * ```
 */
export function parseProviderOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  { provider }: ProviderOptionsLabel,
): z.output<Schema> {
  return parseOptions(schema, input ?? {}, { subject: `options for provider "${provider}"` });
}
