import type { z } from "zod";
import { SandboxError } from "../errors/sandbox-error.js";
import { formatIssues } from "./format-issues.js";

/** What {@link parseOptions} says the options were for, in `Invalid {subject}: ...`. */
export interface ParseOptionsLabel {
  /** e.g. `registry options`, `options for provider "docker"`. */
  subject: string;
  /** The prefix of every field path in the message. Default `options`. */
  prefix?: string;
}

/**
 * Parses options at a boundary with their zod schema, and turns a failure into the one config
 * error every package gives: `CONFIG_INVALID`, one `field.path: problem` per issue, the zod
 * error kept as `cause`.
 *
 * @throws {SandboxError} `CONFIG_INVALID` naming each bad field.
 * @example
 * ```ts
 * const Options = z.object({ dir: z.string() });
 * parseOptions(Options, { dir: 1 }, { subject: "registry options" });
 * // throws CONFIG_INVALID "Invalid registry options: options.dir: Invalid input: expected string, received number"
 * ```
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  label: ParseOptionsLabel,
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SandboxError(
    "CONFIG_INVALID",
    `Invalid ${label.subject}: ${formatIssues(parsed.error, label.prefix ?? "options")}`,
    { cause: parsed.error },
  );
}
