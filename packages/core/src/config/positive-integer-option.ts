import { SandboxError } from "../errors/sandbox-error.js";

/**
 * A call option that must be a positive integer, or its default when the caller gave none. Any
 * other value is the caller's mistake, reported before anything runs or a file is touched. Exec
 * options, file limits and the file API's per-call limits (host or container side) all check
 * with it, so they reject the same input with the same words.
 *
 * @throws {SandboxError} `INVALID_ARGUMENT` `{name} must be a positive integer`.
 * @example
 * ```ts
 * positiveIntegerOption("glob maxResults", undefined, 1000); // 1000
 * positiveIntegerOption("glob maxResults", 0, 1000); // throws INVALID_ARGUMENT
 * ```
 */
export function positiveIntegerOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new SandboxError("INVALID_ARGUMENT", `${name} must be a positive integer`);
  }
  return value;
}
