import { z } from "zod";
import { positiveIntegerOption } from "../config/positive-integer-option.js";
import { DEFAULT_FILE_LIMITS, type FileLimits } from "../contract/sandbox.js";
import { SandboxError } from "../errors/sandbox-error.js";

const limit = z.number().int().positive();

/**
 * The `fileLimits` option of a provider's config: any of the {@link FileLimits}, each a positive
 * integer; the rest keep {@link DEFAULT_FILE_LIMITS}.
 *
 * @example
 * ```ts
 * FileLimitsSchema.parse({ maxReadBytes: 16 * 1024 * 1024, searchTimeoutMs: 5000 });
 * ```
 */
export const FileLimitsSchema = z
  .object({
    maxReadBytes: limit.optional(),
    maxListResults: limit.optional(),
    maxSearchEntries: limit.optional(),
    maxSearchBytes: limit.optional(),
    searchTimeoutMs: limit.optional(),
  })
  .strict();

/**
 * A provider's {@link FileLimits}: the defaults with `overrides` on top, each checked to be a
 * positive integer.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` for a limit that is not a positive integer.
 * @example
 * ```ts
 * resolveFileLimits({ maxReadBytes: 8 * 1024 * 1024 }).maxListResults; // 10000
 * ```
 */
export function resolveFileLimits(overrides: Partial<FileLimits> = {}): FileLimits {
  const limits = { ...DEFAULT_FILE_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof FileLimits>) {
    limits[key] = positiveIntegerOption(`file limit ${key}`, overrides[key], limits[key]);
  }
  return limits;
}

/**
 * The `TOO_LARGE` error of a read refused by its byte limit. It names the virtual path and the
 * limit, and hints at reading a line range instead.
 */
export function tooLargeError(virtualPath: string, maxBytes: number, size?: number): SandboxError {
  const what = size === undefined ? "is larger" : `is ${size} bytes, larger`;
  return new SandboxError(
    "TOO_LARGE",
    `Cannot read ${virtualPath}: it ${what} than the read limit of ${maxBytes} bytes`,
    {
      path: virtualPath,
      hint: "read a range of lines (startLine/endLine), or raise maxBytes",
    },
  );
}
