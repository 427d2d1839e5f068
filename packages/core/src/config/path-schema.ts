import { isAbsolute } from "node:path";
import { z } from "zod";

/**
 * A zod schema for an absolute host or virtual path in options: non-empty, absolute, no NUL.
 * `what` names the field in the error message.
 *
 * @example
 * ```ts
 * const Options = z.object({ skillsPath: absolutePathSchema("skillsPath").default("/mnt/skills") });
 * ```
 */
export function absolutePathSchema(what: string) {
  return z
    .string()
    .min(1)
    .refine(
      (value) => isAbsolute(value) && !value.includes("\0"),
      `${what} must be an absolute path`,
    );
}
